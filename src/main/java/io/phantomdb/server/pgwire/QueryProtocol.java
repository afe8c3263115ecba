package io.phantomdb.server.pgwire;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.Prepared;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The query sub-protocol of one authenticated connection: simple query ('Q', several statements run in turn
 * until the first error, in one implicit transaction when they are all queries and DML) and extended query (Parse, Bind, Describe, Execute, Close, Sync, Flush) with named and
 * unnamed prepared statements and portals. After an error in extended mode every message up to Sync is
 * skipped, as the protocol requires. As in PostgreSQL, the answers of extended-query messages are held back until
 * Sync (which ends with ReadyForQuery carrying the session's exact status), Flush, a streamed result, or
 * {@code output-buffer-size} bytes, so a statement's ParseComplete, BindComplete, rows, CommandComplete and
 * ReadyForQuery leave in one TCP write.
 *
 * <p>Answers: a statement that is a bounded amount of work (commands, key lookups, catalog queries) answers with
 * one future of bytes ({@code Source.completionStage}, which {@code flatMapConcat} handles without materializing
 * a stream); scans and fetch-size portals answer with a stream.
 *
 * <p>Confined to the connection's stream stage: one message at a time, the next only after the previous one's
 * responses were all emitted. A future answer's continuation (another thread) touches the held-back output and
 * the error flag only while the stream waits for that answer, so the two never run at once.
 */
final class QueryProtocol {
    private final PgContext context;
    private final StatementRunner runner;
    private final Map<String, PgStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final Runnable activity;
    private final int outputBufferBytes;
    /** Answers held back until Sync, Flush, a streamed answer or a full buffer (see the class comment). */
    private Backend.Writer held = new Backend.Writer();
    private boolean skipUntilSync;

    QueryProtocol(PgContext context, StatementRunner runner, Runnable activity) {
        this.context = context;
        this.runner = runner;
        this.activity = activity;
        this.outputBufferBytes = context.settings().outputBufferBytes();
    }

    /** The responses to one frontend message of the query phase. */
    Source<ByteString, NotUsed> handle(char type, MessageReader in) {
        if (skipUntilSync && type != 'S') {
            return Source.empty();
        }
        try {
            switch (type) {
                case 'Q': return simpleQuery(in.cstring());
                case 'P': return parse(in);
                case 'B': return bind(in);
                case 'D': return describe(in);
                case 'E': return execute(in);
                case 'C': return close(in);
                case 'S': return sync();
                case 'H': return held.isEmpty() ? Source.empty() : Source.single(release());
                default:
                    throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "message type '" + type
                            + "' is not supported (COPY, function calls and replication are not; docs/pgwire.md)");
            }
        } catch (MessageReader.ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            skipUntilSync = type != 'Q';
            if ("PBDEC".indexOf(type) >= 0) {
                return holdLater(errorBytes(e)); // after the answers held before it, e.g. ParseComplete
            }
            ByteString before = release(); // not an extended-query message: answered at once, as before
            return Source.completionStage(errorBytes(e).thenApply(before::concat));
        }
    }

    // ------------------------------------------------------------------------------- simple query

    private Source<ByteString, NotUsed> simpleQuery(String sql) {
        closePortal("");
        List<String> parts = QuerySplitter.split(sql);
        ByteString before = release(); // answers of extended messages sent without Sync before this query
        if (parts.isEmpty()) {
            return Source.single(before.concat(Backend.emptyQueryResponse()).concat(readyForQueryNow()));
        }
        if (parts.size() == 1) {
            return singleStatement(parts.get(0), before);
        }
        List<PgStatement> implicit = implicitTransaction(parts);
        if (implicit != null) {
            return inImplicitTransaction(implicit, before);
        }
        // concatLazy, never concat: concat pulls its second source early, which would start the next statement
        // (and compute ReadyForQuery's status) while the previous one still runs.
        AtomicBoolean failed = new AtomicBoolean();
        Source<ByteString, NotUsed> all = before.isEmpty() ? Source.empty() : Source.single(before);
        for (String part : parts) {
            all = all.concatLazy(unlessFailed(failed, () -> simpleStatement(part, failed)));
        }
        return all.concatLazy(readyForQuery());
    }

    /** {@code next}, started once everything before it has run, and only when none of it failed. */
    private static Source<ByteString, NotUsed> unlessFailed(AtomicBoolean failed, Supplier<Source<ByteString, NotUsed>> next) {
        return Source.lazySource(() -> failed.get() ? Source.<ByteString>empty() : next.get())
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** A simple query of one statement: a collected answer and ReadyForQuery leave in one write. */
    private Source<ByteString, NotUsed> singleStatement(String sql, ByteString before) {
        Portal portal;
        try {
            portal = simplePortal(sql);
        } catch (RuntimeException e) {
            return Source.completionStage(errorBytes(e).thenApply(b -> before.concat(b).concat(readyForQueryNow())));
        }
        StatementRunner.Answer answer = runner.run(portal, 0, true);
        if (answer instanceof StatementRunner.Whole whole) {
            return Source.completionStage(recovered(whole.bytes(), portal, this::errorBytes)
                    .thenApply(b -> before.concat(b).concat(readyForQueryNow())));
        }
        Source<ByteString, NotUsed> rows = streamed((StatementRunner.Streamed) answer, portal, this::errorBytes);
        return (before.isEmpty() ? rows : rows.prepend(Source.single(before))).concatLazy(readyForQuery());
    }

    private Portal simplePortal(String sql) {
        PgStatement statement = PgStatement.analyse(sql, new int[0], context.pgCatalog(), context.db().engine());
        if (statement.endsBlock()) {
            closeAllPortals();
        }
        return simplePortal(statement);
    }

    /** The portal of a statement of a simple query: no parameters, every column in text. */
    private static Portal simplePortal(PgStatement statement) {
        return new Portal(statement, StatementRunner.NO_PARAMETERS, new int[0]);
    }

    /** One statement of a multi-statement query run one by one: its answer, or its ErrorResponse. */
    private Source<ByteString, NotUsed> simpleStatement(String sql, AtomicBoolean failed) {
        Function<Throwable, CompletableFuture<ByteString>> onFailure = e -> {
            failed.set(true);
            return errorBytes(e);
        };
        Portal portal;
        try {
            portal = simplePortal(sql);
        } catch (RuntimeException e) {
            return Source.completionStage(onFailure.apply(e));
        }
        return answered(portal, onFailure);
    }

    /**
     * The answer of one statement of a multi-statement simple query, RowDescription included; when it fails,
     * {@code onFailure}'s answer instead (which also tells the statements after it not to run).
     */
    private Source<ByteString, NotUsed> answered(Portal portal, Function<Throwable, CompletableFuture<ByteString>> onFailure) {
        StatementRunner.Answer answer = runner.run(portal, 0, true);
        if (answer instanceof StatementRunner.Whole whole) {
            return Source.completionStage(recovered(whole.bytes(), portal, onFailure));
        }
        return streamed((StatementRunner.Streamed) answer, portal, onFailure);
    }

    /**
     * The statements of a multi-statement query when they run as one implicit transaction, as in PostgreSQL; null
     * when they run one by one, each its own transaction. They do when no block is open and every one is a query
     * or DML, or does not compile (it fails in the block, which then rolls back, as PostgreSQL's parse error keeps
     * everything from running). DDL, role and saga statements cannot run in a block here, and transaction control
     * or SET in the string decides itself (docs/pgwire.md "Simple query"). Analysed before any of them runs:
     * without DDL among them, nothing they do changes how the others compile.
     */
    private List<PgStatement> implicitTransaction(List<String> parts) {
        if (runner.status() != 'I') {
            return null;
        }
        List<PgStatement> out = new ArrayList<>(parts.size());
        for (String part : parts) {
            PgStatement s;
            try {
                s = PgStatement.analyse(part, new int[0], context.pgCatalog(), context.db().engine());
            } catch (RuntimeException e) {
                return null; // reported when it runs, one by one as before
            }
            boolean queryOrDml = s.prepared != null
                    && (s.prepared.kind() == Prepared.Kind.QUERY || s.prepared.kind() == Prepared.Kind.DML);
            boolean compileError = s.route == PgStatement.Route.COMMAND && s.prepared == null && s.parameterTypes == null;
            if (s.route == PgStatement.Route.CATALOG || !(queryOrDml || compileError)) {
                return null;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * BEGIN, the statements with their answers until the first error, then COMMIT, or ROLLBACK after the error
     * (and no statement after it runs). BEGIN, COMMIT and ROLLBACK send no CommandComplete; a failing COMMIT sends
     * its ErrorResponse after the statements' answers, as PostgreSQL does. ReadyForQuery then says 'I'.
     */
    private Source<ByteString, NotUsed> inImplicitTransaction(List<PgStatement> statements, ByteString before) {
        AtomicBoolean failed = new AtomicBoolean();
        Source<ByteString, NotUsed> all = Source.completionStage(runner.control("BEGIN").handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(before);
            }
            failed.set(true);
            return errorBytes(e).thenApply(before::concat);
        }).thenCompose(f -> f));
        for (PgStatement statement : statements) {
            // a failing statement's ErrorResponse follows the ROLLBACK of the statements before it
            all = all.concatLazy(unlessFailed(failed, () -> answered(simplePortal(statement), e -> rolledBack(e, failed))));
        }
        Source<ByteString, NotUsed> commit = unlessFailed(failed, () -> Source.completionStage(runner.control("COMMIT")
                .handle((v, e) -> e == null ? CompletableFuture.completedFuture(ByteString.emptyByteString()) : errorBytes(e))
                .thenCompose(f -> f)));
        return all.concatLazy(commit).concatLazy(readyForQuery());
    }

    /**
     * Rolls the implicit transaction back after {@code e} (a cancelled statement too: ROLLBACK waits until it
     * really ended), then answers {@code e}. Should the session stay busy past settle-timeout, the block is
     * marked failed instead: ReadyForQuery says 'E' and the client's ROLLBACK ends it.
     */
    private CompletableFuture<ByteString> rolledBack(Throwable e, AtomicBoolean failed) {
        failed.set(true);
        return runner.control("ROLLBACK").handle((v, rollbackError) -> {
            if (rollbackError != null) {
                runner.markFailed();
            }
            return Errors.response(e);
        });
    }

    // ------------------------------------------------------------------------------- extended query

    private Source<ByteString, NotUsed> parse(MessageReader in) {
        String name = in.cstring();
        String sql = in.cstring();
        int count = in.int16();
        int[] oids = new int[Math.max(count, 0)];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = in.int32();
        }
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new PhantomSqlException(SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists");
        }
        if (!name.isEmpty() && statements.size() >= context.settings().preparedStatementsMax()) {
            throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "this connection holds "
                    + statements.size() + " prepared statements, the most phantom.pgwire.prepared-statements-max allows; close some");
        }
        List<String> parts = QuerySplitter.split(sql);
        if (parts.size() > 1) {
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
        }
        PgStatement statement = parts.isEmpty() ? null
                : PgStatement.analyse(parts.get(0), oids, context.pgCatalog(), context.db().engine());
        statements.put(name, statement == null ? PgStatement.EMPTY : statement);
        return hold(Backend.parseComplete());
    }

    private Source<ByteString, NotUsed> bind(MessageReader in) {
        String portalName = in.cstring();
        String statementName = in.cstring();
        int[] formats = int16s(in);
        int count = in.int16();
        byte[][] values = new byte[Math.max(count, 0)][];
        for (int i = 0; i < values.length; i++) {
            int length = in.int32();
            values[i] = length < 0 ? null : in.bytes(length);
        }
        int[] resultFormats = int16s(in);
        PgStatement statement = statement(statementName);
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
            throw new PhantomSqlException(SqlState.DUPLICATE_CURSOR, "portal \"" + portalName + "\" already exists");
        }
        if (!portalName.isEmpty() && portals.size() >= context.settings().portalsMax()) {
            throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "this connection holds " + portals.size()
                    + " portals, the most phantom.pgwire.portals-max allows; close some");
        }
        if (resultFormats.length > 1 && resultFormats.length != statement.columns.size()) {
            throw protocol("bind message has " + resultFormats.length + " result formats but query has "
                    + statement.columns.size() + " columns");
        }
        Object[] parameters = parameters(statement, statementName, formats, values);
        closePortal(portalName);
        portals.put(portalName, new Portal(statement, parameters, resultFormats));
        return hold(Backend.bindComplete());
    }

    private Object[] parameters(PgStatement statement, String name, int[] formats, byte[][] values) {
        if (formats.length > 1 && formats.length != values.length) {
            throw protocol("bind message has " + formats.length + " parameter formats but " + values.length + " parameters");
        }
        if (statement.parameterTypes != null && values.length != statement.parameterTypes.size()) {
            throw protocol("bind message supplies " + values.length + " parameters, but prepared statement \"" + name
                    + "\" requires " + statement.parameterTypes.size());
        }
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            int format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            if (format != 0 && format != 1) {
                throw protocol("unsupported format code: " + format);
            }
            DataType type = statement.parameterTypes == null ? DataType.VARCHAR : statement.parameterTypes.get(i);
            out[i] = ParameterDecoder.decode(values[i], format, statement.declaredOid(i), type);
        }
        return out;
    }

    private Source<ByteString, NotUsed> describe(MessageReader in) {
        byte kind = in.int8();
        String name = in.cstring();
        if (kind == 'S') {
            PgStatement statement = statement(name);
            ByteString parameters = Backend.parameterDescription(statement.parameterOids());
            List<Backend.Field> fields = Portal.fields(statement.columns, new int[0]);
            return hold(parameters.concat(fields.isEmpty() ? Backend.noData() : Backend.rowDescription(fields)));
        }
        if (kind != 'P') {
            throw protocol("invalid DESCRIBE message subtype " + kind);
        }
        Portal portal = portal(name);
        return hold(portal.fields.isEmpty() ? Backend.noData() : Backend.rowDescription(portal.fields));
    }

    private Source<ByteString, NotUsed> execute(MessageReader in) {
        String name = in.cstring();
        int maxRows = in.int32();
        Portal portal = portal(name);
        if (portal.statement == PgStatement.EMPTY) {
            return hold(Backend.emptyQueryResponse());
        }
        if (portal.statement.endsBlock()) {
            closeAllPortalsExcept(portal);
        }
        StatementRunner.Answer answer = runner.run(portal, maxRows, false);
        if (answer instanceof StatementRunner.Whole whole) {
            CompletableFuture<ByteString> bytes = whole.bytes();
            if (bytes.isDone() && !bytes.isCompletedExceptionally()) {
                // Answered already (key lookups and catalog queries run inline): held at once, no stage to wait for.
                return hold(bytes.join());
            }
            return holdLater(recovered(bytes, portal, this::extendedErrorBytes));
        }
        Source<ByteString, NotUsed> rows = streamed((StatementRunner.Streamed) answer, portal, this::extendedErrorBytes);
        return held.isEmpty() ? rows : rows.prepend(Source.single(release()));
    }

    /**
     * A collected answer, or {@code onFailure}'s answer to its error (the ErrorResponse, and whatever else the
     * mode requires: skip to Sync, stop the statements after it, roll the implicit transaction back).
     */
    private CompletableFuture<ByteString> recovered(CompletableFuture<ByteString> answer, Portal portal,
            Function<Throwable, CompletableFuture<ByteString>> onFailure) {
        return answer.handle((b, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(b);
            }
            portal.close();
            return onFailure.apply(e);
        }).thenCompose(f -> f);
    }

    /** A streamed answer that ends with {@code onFailure}'s answer (see {@link #recovered}) instead of failing. */
    private Source<ByteString, NotUsed> streamed(StatementRunner.Streamed answer, Portal portal,
            Function<Throwable, CompletableFuture<ByteString>> onFailure) {
        return answer.bytes().recoverWithRetries(1, recovery(e -> {
            portal.close();
            return Source.completionStage(onFailure.apply(e));
        }));
    }

    private Source<ByteString, NotUsed> close(MessageReader in) {
        byte kind = in.int8();
        String name = in.cstring();
        if (kind == 'S') {
            statements.remove(name);
        } else if (kind == 'P') {
            closePortal(name);
        } else {
            throw protocol("invalid CLOSE message subtype " + kind);
        }
        return hold(Backend.closeComplete());
    }

    private Source<ByteString, NotUsed> sync() {
        skipUntilSync = false;
        if (runner.status() == 'I') {
            closeAllPortals(); // the implicit transaction ended: PostgreSQL drops every portal here
        }
        ByteString before = release();
        ByteString ready = readyForQueryNow();
        return Source.single(before.isEmpty() ? ready : before.concat(ready));
    }

    // ------------------------------------------------------------------------------- helpers

    /** Holds {@code bytes} back (see the class comment); emits everything held once the buffer is full. */
    private Source<ByteString, NotUsed> hold(ByteString bytes) {
        held.append(bytes);
        return held.size() >= outputBufferBytes ? Source.single(release()) : Source.empty();
    }

    /**
     * Holds {@code answer} back once it completes. The stream waits for it (an empty element, dropped before the
     * socket, when nothing is to be written yet), so no other message is handled meanwhile.
     */
    private Source<ByteString, NotUsed> holdLater(CompletableFuture<ByteString> answer) {
        return Source.completionStage(answer.thenApply(b -> {
            held.append(b);
            return held.size() >= outputBufferBytes ? release() : ByteString.emptyByteString();
        }));
    }

    /** Everything held back, now to be written. */
    private ByteString release() {
        if (held.isEmpty()) {
            return ByteString.emptyByteString();
        }
        ByteString out = held.result();
        held = new Backend.Writer();
        return out;
    }

    /** ReadyForQuery with the session's status now (call it once everything before it has run). */
    private ByteString readyForQueryNow() {
        activity.run();
        return Backend.readyForQuery(runner.status());
    }

    /** ReadyForQuery with the session's status as it is once everything before it has run. */
    Source<ByteString, NotUsed> readyForQuery() {
        return Source.lazySingle(this::readyForQueryNow).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** The ErrorResponse for {@code e} in extended mode: every message up to Sync is skipped. */
    private CompletableFuture<ByteString> extendedErrorBytes(Throwable e) {
        skipUntilSync = true;
        return errorBytes(e);
    }

    /**
     * The ErrorResponse for {@code e}, sent once the session is free again and, when a block is open, marked
     * failed: every error inside a block fails it, as in PostgreSQL, also the ones the session did not see.
     */
    private CompletableFuture<ByteString> errorBytes(Throwable e) {
        return runner.settle().handle((v, settleError) -> {
            runner.markFailed();
            return Errors.response(e);
        });
    }

    private static PFBuilder<Throwable, Graph<SourceShape<ByteString>, NotUsed>> builder() {
        return new PFBuilder<>();
    }

    private static scala.PartialFunction<Throwable, Graph<SourceShape<ByteString>, NotUsed>> recovery(
            Function<Throwable, Source<ByteString, NotUsed>> handler) {
        return QueryProtocol.builder().matchAny(handler::apply).build();
    }

    private PgStatement statement(String name) {
        PgStatement statement = statements.get(name);
        if (statement == null) {
            throw new PhantomSqlException(SqlState.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
        }
        return statement;
    }

    private Portal portal(String name) {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new PhantomSqlException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return portal;
    }

    private void closePortal(String name) {
        Portal portal = portals.remove(name);
        if (portal != null) {
            portal.close();
        }
    }

    void closeAllPortals() {
        if (!portals.isEmpty()) { // every Sync outside a block gets here
            closeAllPortalsExcept(null);
        }
    }

    private void closeAllPortalsExcept(Portal kept) {
        if (kept == null) {
            for (Portal p : portals.values()) {
                p.close();
            }
            portals.clear();
            return;
        }
        portals.values().removeIf(p -> {
            if (p == kept) {
                return false;
            }
            p.close();
            return true;
        });
    }

    private static int[] int16s(MessageReader in) {
        int n = in.int16();
        if (n < 0) {
            throw new MessageReader.ProtocolException("negative count " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.int16();
        }
        return out;
    }

    private static PhantomSqlException protocol(String message) {
        return new PhantomSqlException(SqlState.PROTOCOL_VIOLATION, message);
    }
}
