package io.phantomdb.server.pgwire;

import io.phantomdb.Column;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.server.pgcatalog.CatalogResult;
import io.phantomdb.server.pgcatalog.PgSessionSettings;
import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SessionState;
import io.phantomdb.sql.SqlEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Runs portals of one connection against its {@link SessionState} (or the catalog emulation) and turns results
 * into backend messages: RowDescription (simple query only), DataRows, CommandComplete / PortalSuspended.
 *
 * <p>Cancellation (CancelRequest, statement timeout) reaches the running {@link Execution}: a query's stream is
 * killed (the scan stops); a DML inside a transaction block stops being waited for and the block is marked failed
 * once the DML ends, so nothing it did can commit. A DML outside a block, DDL and transaction control run to their
 * end: reporting 57014 for a statement that may still commit would be a lie (docs/pgwire.md "Limits").
 *
 * <p>The session runs one statement at a time and frees itself a moment after a stream ends, so after a stream
 * (or an abandoned wait) the next statement first waits until the session is idle ({@link #settle}),
 * at most {@code settle-timeout}. Confined to the connection's stream stage, except {@link #cancelRunning}.
 */
final class StatementRunner {
    static final PhantomSqlException CANCELED_BY_USER = new PhantomSqlException(SqlState.QUERY_CANCELED,
            "canceling statement due to user request");
    static final PhantomSqlException CANCELED_BY_TIMEOUT = new PhantomSqlException(SqlState.QUERY_CANCELED,
            "canceling statement due to statement timeout");
    /** The parameter values of a statement without parameters (shared: an empty array cannot change). */
    static final Object[] NO_PARAMETERS = new Object[0];

    private final SqlEngine engine;
    private final SessionState session;
    private final PgSessionSettings settings;
    private final ActorSystem<?> system;
    private final Duration statementTimeout;
    private final Duration settleTimeout;
    private final AtomicReference<Execution> running = new AtomicReference<>();
    /** A statement of this connection may still hold the session (a stream ended, a wait was abandoned). */
    private volatile boolean mayBeBusy;
    private volatile CompletableFuture<?> abandoned = CompletableFuture.completedFuture(null);

    StatementRunner(SqlEngine engine, SessionState session, PgSessionSettings settings, ActorSystem<?> system, PgWireSettings wire) {
        this.engine = engine;
        this.session = session;
        this.settings = settings;
        this.system = system;
        this.statementTimeout = wire.statementTimeout();
        this.settleTimeout = wire.settleTimeout();
    }

    SessionState session() {
        return session;
    }

    PgSessionSettings settings() {
        return settings;
    }

    /** ReadyForQuery's status byte: exactly the session's state ('I', 'T', 'E'). */
    char status() {
        switch (session.status()) {
            case IN_TRANSACTION: return 'T';
            case FAILED: return 'E';
            default: return 'I';
        }
    }

    /** Cancels the running statement, if any (CancelRequest from another connection; any thread). */
    void cancelRunning(PhantomSqlException reason) {
        Execution e = running.get();
        if (e != null) {
            e.cancel(reason);
        }
    }

    /** What running a portal produced: its whole answer once the statement ended, or a stream of it. */
    sealed interface Answer permits Whole, Streamed {}

    /**
     * The complete answer of a statement that is a bounded amount of work (commands, primary-key lookups, catalog
     * queries): collected without materializing a stream and sent in one write. Fails with the statement's error.
     */
    record Whole(CompletableFuture<ByteString> bytes) implements Answer {}

    /** Rows streamed with backpressure from the TCP connection (scans, portals with a row limit). */
    record Streamed(Source<ByteString, NotUsed> bytes) implements Answer {}

    /**
     * The messages of running {@code portal} for up to {@code maxRows} rows (0 = all). {@code simple}: a simple
     * query, which sends RowDescription first. Fails (with the statement's error) instead of sending ErrorResponse.
     * The statement starts now (a {@link Streamed} answer when it is materialized).
     */
    Answer run(Portal portal, long maxRows, boolean simple) {
        Execution execution = begin();
        Answer answer;
        try {
            switch (portal.statement.route) {
                case CATALOG: answer = new Whole(CompletableFuture.completedFuture(catalog(portal, simple))); break;
                case QUERY: answer = query(portal, maxRows, simple, execution); break;
                default: answer = new Whole(command(portal, simple, execution)); break;
            }
        } catch (RuntimeException e) {
            answer = new Whole(CompletableFuture.failedFuture(e));
        }
        if (answer instanceof Whole whole) {
            if (whole.bytes().isDone()) {
                end(execution); // answered inline (key lookups, catalog queries): no stage to add
            } else {
                whole.bytes().whenComplete((d, e) -> end(execution));
            }
            return whole;
        }
        return new Streamed(((Streamed) answer).bytes().watchTermination((mat, done) -> {
            Futures.plain(done).whenComplete((d, e) -> end(execution));
            return mat;
        }));
    }

    private Execution begin() {
        Execution execution = new Execution();
        running.set(execution);
        Duration timeout = statementTimeout();
        if (!timeout.isZero()) {
            execution.timer(system.scheduler().scheduleOnce(timeout, () -> execution.cancel(CANCELED_BY_TIMEOUT),
                    system.executionContext()));
        }
        return execution;
    }

    /** The session's {@code statement_timeout} when set (SET statement_timeout = ...), else phantom.pgwire's. */
    private Duration statementTimeout() {
        long session = settings.statementTimeoutMillis();
        return session > 0 ? Duration.ofMillis(session) : statementTimeout;
    }

    private void end(Execution execution) {
        execution.end();
        running.compareAndSet(execution, null);
    }

    private ByteString catalog(Portal portal, boolean simple) {
        CatalogResult result = portal.statement.catalog.run(portal.parameters, settings);
        List<Backend.Field> fields = portal.fields;
        Backend.Writer out = new Backend.Writer();
        if (simple && !fields.isEmpty()) {
            out.rowDescription(fields);
        }
        for (Object[] row : result.rows()) {
            out.dataRow(row, fields);
        }
        out.commandComplete(result.commandTag());
        for (Map.Entry<String, String> changed : settings.drainChanged().entrySet()) {
            out.parameterStatus(changed.getKey(), changed.getValue());
        }
        return out.result();
    }

    /**
     * A query: collected when its plan is a bounded amount of work (decisions D18: key lookups run inline, no
     * stream) and the client wants all rows; streamed into the connection when it wants all rows of a larger plan;
     * through a {@link Cursor} when it set a row limit (fetch size) or continues a suspended portal.
     */
    private Answer query(Portal portal, long maxRows, boolean simple, Execution execution) {
        if (portal.cursor == null && maxRows <= 0) {
            if (collectable(portal.statement.prepared)) {
                return new Whole(settled(() -> collect(portal.statement, portal.parameters))
                        .thenApply(r -> encode(r, portal.fields, simple, CommandTags.of(portal.statement, r.rows().size(), null))));
            }
            return new Streamed(stream(portal, simple, execution));
        }
        return new Streamed(cursor(portal, maxRows, simple, execution));
    }

    /** Plans collected rather than streamed: EXPLAIN (a few lines) and inline plans (primary-key lookups). */
    private static boolean collectable(Prepared prepared) {
        return prepared != null && (prepared.kind() == Prepared.Kind.EXPLAIN
                || (prepared.kind() == Prepared.Kind.QUERY && prepared.plan() != null && prepared.plan().inline()));
    }

    /** All rows of a query, streamed from the session into the connection (TCP backpressure reaches the scan). */
    private Source<ByteString, NotUsed> stream(Portal portal, boolean simple, Execution execution) {
        SharedKillSwitch killSwitch = KillSwitches.shared("pgwire-query");
        execution.cancelled().whenComplete((v, e) -> killSwitch.abort(e));
        List<Backend.Field> fields = portal.fields;
        Source<ByteString, NotUsed> rows = sessionStream(portal.statement, portal.parameters)
                .via(killSwitch.flow())
                .statefulMap(() -> new long[] {0, simple ? 0 : 1}, (state, batch) -> {
                    Backend.Writer out = new Backend.Writer();
                    if (state[1] == 0) {
                        out.rowDescription(fields);
                        state[1] = 1;
                    }
                    for (Object[] row : batch.rows()) {
                        out.dataRow(row, fields);
                    }
                    state[0] += batch.rows().size();
                    return org.apache.pekko.japi.Pair.create(state, out.result());
                }, state -> {
                    Backend.Writer out = new Backend.Writer();
                    if (state[1] == 0) {
                        out.rowDescription(fields);
                    }
                    out.commandComplete(CommandTags.of(portal.statement, state[0], null));
                    return Optional.of(out.result());
                })
                // The query's operators (sorts, joins, aggregates) and the encoding run on the default dispatcher,
                // not on the connection's selector thread (nio-execution = selector, D23): a long sort must not hold
                // the other connections of that thread. Only encoded bytes cross the boundary.
                .async("pekko.actor.default-dispatcher");
        if (!mayBeBusy) {
            mayBeBusy = true; // the session frees itself as the stream ends (see settle)
            return rows;
        }
        return Source.completionStageSource(settle().thenApply(v -> {
            mayBeBusy = true;
            return rows;
        })).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** The session's stream of {@code statement}: text the engine compiled at Parse is not recognized again. */
    private Source<SessionState.Result, NotUsed> sessionStream(PgStatement statement, Object[] parameters) {
        return statement.prepared != null ? session.streamCompiled(statement.sql, parameters)
                : session.stream(statement.sql, parameters);
    }

    /** A portal read in several Executes (row limit): the query runs into a pull-based queue. */
    private Source<ByteString, NotUsed> cursor(Portal portal, long maxRows, boolean simple, Execution execution) {
        CompletionStage<Cursor> opened = portal.cursor != null ? CompletableFuture.completedFuture(portal.cursor)
                : settle().thenApply(v -> {
                    Cursor cursor = Cursor.open(sessionStream(portal.statement, portal.parameters), system);
                    portal.cursor = cursor;
                    mayBeBusy = true;
                    return cursor;
                });
        return Source.completionStageSource(opened.thenApply(cursor -> {
            execution.cancelled().whenComplete((v, e) -> cursor.abort(e));
            Source<ByteString, NotUsed> rows = cursor.fetch(maxRows, portal.fields);
            return simple ? Source.single(Backend.rowDescription(portal.fields)).concatLazy(rows) : rows;
        })).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    private CompletableFuture<ByteString> command(Portal portal, boolean simple, Execution execution) {
        if (portal.completedTag != null) {
            return CompletableFuture.completedFuture(Backend.commandComplete(portal.completedTag));
        }
        PgStatement statement = portal.statement;
        SessionState.Status before = session.status();
        CompletableFuture<SessionState.Result> result = settled(() -> collect(statement, portal.parameters));
        if (before == SessionState.Status.IN_TRANSACTION && statement.prepared != null
                && statement.prepared.kind() == Prepared.Kind.DML) {
            result = interruptible(result, execution);
        }
        return result.thenApply(r -> {
            String tag = CommandTags.of(statement, r.count(), before);
            portal.completedTag = tag;
            return encode(r, portal.fields, simple, tag);
        });
    }

    /**
     * Runs {@code statement} in the session and collects its result: queries and DML from their current plan (the
     * plan cache's, so DDL and ANALYZE are seen), everything else (and a statement that no longer compiles, whose
     * error the session must report) from its text.
     */
    private CompletionStage<SessionState.Result> collect(PgStatement statement, Object[] parameters) {
        Prepared p = statement.prepared;
        if (p != null && (p.kind() == Prepared.Kind.QUERY || p.kind() == Prepared.Kind.DML)) {
            Prepared current;
            try {
                current = engine.prepare(statement.sql);
            } catch (RuntimeException e) {
                return session.query(statement.sql, parameters);
            }
            if (current.kind() == p.kind()) {
                return session.query(current, parameters);
            }
        }
        return session.query(statement.sql, parameters);
    }

    /** Runs {@code work} once the session accepts a statement ({@link #settle}); at once when it is known to. */
    private CompletableFuture<SessionState.Result> settled(Supplier<CompletionStage<SessionState.Result>> work) {
        if (!mayBeBusy) {
            return Futures.plain(work.get());
        }
        return settle().thenCompose(v -> Futures.plain(work.get()));
    }

    /**
     * Gives up waiting for a DML in a block when the execution is cancelled; once the DML really ends, the block
     * is marked failed so its changes can never commit (the client was told it failed).
     */
    private CompletableFuture<SessionState.Result> interruptible(CompletableFuture<SessionState.Result> work, Execution execution) {
        CompletableFuture<SessionState.Result> out = new CompletableFuture<>();
        work.whenComplete((r, e) -> {
            if (!out.isDone() && (e == null ? out.complete(r) : out.completeExceptionally(e))) {
                return;
            }
            if (e == null) {
                markFailed(); // abandoned and then succeeded: its changes must not commit
            }
        });
        execution.cancelled().whenComplete((v, e) -> {
            if (e != null && !out.isDone()) {
                abandoned = work; // set before the client hears of it: the next statement must wait for it
                mayBeBusy = true;
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static ByteString encode(SessionState.Result r, List<Backend.Field> described, boolean simple, String tag) {
        Backend.Writer out = new Backend.Writer(expectedBytes(r.rows()));
        if (!r.columns().isEmpty()) {
            List<Backend.Field> fields = described.size() == r.columns().size() ? described : textFields(r.columns());
            if (simple) {
                out.rowDescription(fields);
            }
            for (Object[] row : r.rows()) {
                out.dataRow(row, fields);
            }
        }
        out.commandComplete(tag);
        return out.result();
    }

    /**
     * About the bytes of {@code rows} as DataRows plus CommandComplete (the first row's size times the rows, at
     * most {@link #EXPECTED_BYTES_MAX}): the answer's array is then allocated once instead of regrown.
     */
    private static int expectedBytes(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 32;
        }
        long row = 7;
        for (Object v : rows.get(0)) {
            row += 4 + (v instanceof String s ? s.length() : 8);
        }
        return (int) Math.min(EXPECTED_BYTES_MAX, 32 + row * rows.size());
    }

    private static final int EXPECTED_BYTES_MAX = 1 << 16;

    private static List<Backend.Field> textFields(List<Prepared.ResultColumn> columns) {
        List<Column> out = new ArrayList<>();
        for (Prepared.ResultColumn c : columns) {
            out.add(new Column(c.name(), c.type(), c.nullable()));
        }
        return Portal.fields(out, new int[0]);
    }

    /**
     * Marks an open block failed after an error the session did not see (a bad parameter, a catalog query, an
     * abandoned DML), so ReadyForQuery says 'E' and COMMIT rolls back, as in PostgreSQL.
     */
    void markFailed() {
        session.fail();
    }

    /**
     * Runs transaction control {@code sql} (BEGIN, COMMIT, ROLLBACK) once the session is free: the implicit
     * transaction of a multi-statement simple query, which sends no CommandComplete for it. Fails with its error.
     */
    CompletableFuture<Void> control(String sql) {
        return settle().thenCompose(v -> Futures.plain(session.query(sql, NO_PARAMETERS))).thenApply(r -> (Void) null);
    }

    /** Completes once the session accepts a statement again (see the class comment); fails with 25000 after settle-timeout. */
    CompletableFuture<Void> settle() {
        if (!mayBeBusy) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> idle = Futures.plain(session.idle());
        if (abandoned.isDone() && idle.isDone()) { // the usual case: the previous stream freed the session as it ended
            mayBeBusy = false;
            return CompletableFuture.completedFuture(null);
        }
        return abandoned.handle((r, e) -> null)
                .thenCompose(v -> Futures.plain(session.idle()))
                .orTimeout(settleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    if (e != null) {
                        throw new PhantomSqlException(SqlState.INVALID_TRANSACTION_STATE,
                                "the previous statement of this connection is still running (waited settle-timeout " + settleTimeout + ")");
                    }
                    mayBeBusy = false;
                    return (Void) null;
                });
    }

    /** Closes the connection's session: an open block rolls back. */
    void close() {
        Execution e = running.get();
        if (e != null) {
            e.cancel(CANCELED_BY_USER);
        }
        session.close();
    }
}
