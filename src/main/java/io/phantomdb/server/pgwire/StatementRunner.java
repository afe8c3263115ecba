package io.phantomdb.server.pgwire;

import io.phantomdb.Column;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.server.pgcatalog.CatalogResult;
import io.phantomdb.server.pgcatalog.PgSessionSettings;
import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

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

    private final SessionState session;
    private final PgSessionSettings settings;
    private final ActorSystem<?> system;
    private final Duration statementTimeout;
    private final Duration settleTimeout;
    private final AtomicReference<Execution> running = new AtomicReference<>();
    /** A statement of this connection may still hold the session (a stream ended, a wait was abandoned). */
    private volatile boolean mayBeBusy;
    private volatile CompletionStage<?> abandoned = CompletableFuture.completedFuture(null);

    StatementRunner(SessionState session, PgSessionSettings settings, ActorSystem<?> system, PgWireSettings wire) {
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

    /**
     * The messages of running {@code portal} for up to {@code maxRows} rows (0 = all). {@code simple}: a simple
     * query, which sends RowDescription first. Fails (with the statement's error) instead of sending ErrorResponse.
     */
    Source<ByteString, NotUsed> run(Portal portal, long maxRows, boolean simple) {
        return Source.lazySource(() -> {
            Execution execution = begin();
            Source<ByteString, NotUsed> body;
            switch (portal.statement.route) {
                case CATALOG: body = catalog(portal, simple); break;
                case QUERY: body = query(portal, maxRows, simple, execution); break;
                default: body = command(portal, simple, execution); break;
            }
            return body.watchTermination((mat, done) -> {
                done.whenComplete((d, e) -> end(execution));
                return mat;
            });
        }).mapMaterializedValue(m -> NotUsed.getInstance());
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
        long session = settings.millis("statement_timeout");
        return session > 0 ? Duration.ofMillis(session) : statementTimeout;
    }

    private void end(Execution execution) {
        execution.end();
        running.compareAndSet(execution, null);
    }

    private Source<ByteString, NotUsed> catalog(Portal portal, boolean simple) {
        CatalogResult result = portal.statement.catalog.run(portal.parameters, settings);
        ByteStringBuilder out = new ByteStringBuilder();
        List<Backend.Field> fields = portal.fields;
        if (simple && !fields.isEmpty()) {
            out.append(Backend.rowDescription(fields));
        }
        for (Object[] row : result.rows()) {
            Backend.dataRow(out, row, fields);
        }
        out.append(Backend.commandComplete(result.commandTag()));
        for (Map.Entry<String, String> changed : settings.drainChanged().entrySet()) {
            out.append(Backend.parameterStatus(changed.getKey(), changed.getValue()));
        }
        return Source.single(out.result());
    }

    private Source<ByteString, NotUsed> query(Portal portal, long maxRows, boolean simple, Execution execution) {
        CompletionStage<Cursor> opened = portal.cursor != null ? CompletableFuture.completedFuture(portal.cursor)
                : settle().thenApply(v -> {
                    Cursor cursor = Cursor.open(session.stream(portal.statement.sql, portal.parameters), system);
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

    private Source<ByteString, NotUsed> command(Portal portal, boolean simple, Execution execution) {
        if (portal.completedTag != null) {
            return Source.single(Backend.commandComplete(portal.completedTag));
        }
        PgStatement statement = portal.statement;
        SessionState.Status before = session.status();
        CompletionStage<SessionState.Result> result = settle().thenCompose(v -> session.query(statement.sql, portal.parameters));
        if (before == SessionState.Status.IN_TRANSACTION && statement.prepared != null
                && statement.prepared.kind() == Prepared.Kind.DML) {
            result = interruptible(result, execution);
        }
        return Source.completionStage(result).map(r -> {
            String tag = CommandTags.of(statement, r.count(), before);
            portal.completedTag = tag;
            return encode(r, portal.fields, simple, tag);
        });
    }

    /**
     * Gives up waiting for a DML in a block when the execution is cancelled; once the DML really ends, the block
     * is marked failed so its changes can never commit (the client was told it failed).
     */
    private CompletionStage<SessionState.Result> interruptible(CompletionStage<SessionState.Result> work, Execution execution) {
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
        ByteStringBuilder out = new ByteStringBuilder();
        if (!r.columns().isEmpty()) {
            List<Backend.Field> fields = described.size() == r.columns().size() ? described : textFields(r.columns());
            if (simple) {
                out.append(Backend.rowDescription(fields));
            }
            for (Object[] row : r.rows()) {
                Backend.dataRow(out, row, fields);
            }
        }
        out.append(Backend.commandComplete(tag));
        return out.result();
    }

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

    /** Completes once the session accepts a statement again (see the class comment); fails with 25000 after settle-timeout. */
    CompletionStage<Void> settle() {
        if (!mayBeBusy) {
            return CompletableFuture.completedFuture(null);
        }
        return abandoned.toCompletableFuture().handle((r, e) -> null)
                .thenCompose(v -> session.idle())
                .toCompletableFuture()
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
