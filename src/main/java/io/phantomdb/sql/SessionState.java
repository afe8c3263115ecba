package io.phantomdb.sql;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.txn.mvcc.IsolationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One client session's transaction state machine (the embedded {@code Session}, and later one per pgwire or
 * HTTP connection): transaction blocks, savepoints, the session's default isolation, and autocommit with
 * retries for statements outside a block (docs/transactions.md).
 *
 * <pre>
 *   IDLE --BEGIN--> IN_TRANSACTION --error--> FAILED --ROLLBACK [TO s]--> IDLE [IN_TRANSACTION]
 *     ^                 |  COMMIT / ROLLBACK                   |  COMMIT (rolls back)
 *     +-----------------+--------------------------------------+
 * </pre>
 *
 * <p>One statement at a time: a statement sent while the previous one runs fails with 25000. The state is
 * only touched by the running statement, so fields need no locking beyond the {@code busy} flag's ordering.
 */
public final class SessionState {

    /** Where the session stands (pgwire's ReadyForQuery: 'I', 'T', 'E'). */
    public enum Status { IDLE, IN_TRANSACTION, FAILED }

    /** A statement's result, or one batch of it when streamed: its columns, rows and update/row count. */
    public record Result(List<Prepared.ResultColumn> columns, List<Object[]> rows, long count) {
        static Result count(long n) {
            return new Result(List.of(), List.of(), n);
        }
    }

    private final SqlEngine engine;
    private final Transactions transactions;
    private final boolean oneShot;
    /** The role the statements run as (privilege checks, docs/security.md); null: the embedded API's superuser. */
    private final String role;
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * Completed when the statement holding {@code busy} ends (see {@link #idle()}); made only when someone waits
     * (null otherwise), so a statement nobody waits for allocates no future. Guarded by {@code this}.
     */
    private CompletableFuture<Void> released;
    private IsolationLevel defaultLevel;
    private boolean defaultReadOnly;
    private TxnState block;
    private int blockStatements;
    private boolean failed;
    private final List<SavepointMark> savepoints = new ArrayList<>();

    private record SavepointMark(String name, int mark) {}

    SessionState(SqlEngine engine, Transactions transactions, boolean oneShot) {
        this(engine, transactions, oneShot, null);
    }

    SessionState(SqlEngine engine, Transactions transactions, boolean oneShot, String role) {
        this.engine = engine;
        this.transactions = transactions;
        this.oneShot = oneShot;
        this.role = role;
        this.defaultLevel = transactions.settings().defaultIsolation();
    }

    /** The role this session runs as; null for the embedded API's implicit superuser. */
    public String role() {
        return role;
    }

    /**
     * True for the statements a session runs itself and {@link SqlEngine#prepare} does not compile: transaction
     * control, saga statements, and role/privilege statements (CREATE ROLE, GRANT, ...). Send them through
     * {@link #query} / {@link #execute}.
     */
    public static boolean isSessionStatement(String sql) {
        return Sagas.isSagaStatement(sql) || TransactionStatement.parse(sql).isPresent()
                || io.phantomdb.security.AccessParser.isAccessStatement(sql);
    }

    public Status status() {
        return block == null ? Status.IDLE : failed ? Status.FAILED : Status.IN_TRANSACTION;
    }

    /** The level of the open block, else the level the next transaction gets. */
    public IsolationLevel isolation() {
        return block != null ? block.level() : defaultLevel;
    }

    /** Runs a statement; completes with its update count (DML) or row count (queries). */
    public CompletionStage<Long> execute(String sql, Object[] parameters) {
        return query(sql, parameters).thenApply(Result::count);
    }

    /** Runs a prepared statement (the engine's one-statement path). */
    CompletionStage<Long> execute(Prepared prepared, Object[] parameters) {
        return exclusive(() -> run(prepared, parameters)).thenApply(Result::count);
    }

    /** Runs a statement and collects its rows. */
    public CompletionStage<Result> query(String sql, Object[] parameters) {
        return exclusive(() -> dispatch(sql, parameters));
    }

    /**
     * Runs a query or DML statement already compiled by {@link SqlEngine#prepare} (the wire layer's prepared
     * statements) and collects its rows: as {@link #query(String, Object[])} without looking at the text again
     * (saga, role and transaction-control checks cost more than a key lookup).
     */
    public CompletionStage<Result> query(Prepared prepared, Object[] parameters) {
        if (prepared.kind() != Prepared.Kind.QUERY && prepared.kind() != Prepared.Kind.DML) {
            throw new IllegalArgumentException("only queries and DML run from a plan, not " + prepared.kind());
        }
        return exclusive(() -> run(prepared, parameters));
    }

    /**
     * Runs a statement and streams its rows as batches; statements without rows emit nothing (SHOW emits its
     * one row). Nothing runs until the source is materialized.
     */
    public Source<Result, NotUsed> stream(String sql, Object[] parameters) {
        return stream(sql, parameters, false);
    }

    /**
     * As {@link #stream(String, Object[])} for text that {@link SqlEngine#prepare} compiled before (the wire
     * layer's prepared statements): such text is never a session statement, so it is not recognized again (the
     * saga, role and transaction-control recognizers tokenize the whole text). The plan is still taken from the
     * plan cache when the stream starts, so DDL and ANALYZE in between are seen.
     */
    public Source<Result, NotUsed> streamCompiled(String sql, Object[] parameters) {
        return stream(sql, parameters, true);
    }

    private Source<Result, NotUsed> stream(String sql, Object[] parameters, boolean compiled) {
        return Source.lazySource(() -> {
            Prepared prepared;
            try {
                if (!compiled && isSessionStatement(sql)) {
                    return Source.completionStage(query(sql, parameters)).filter(r -> !r.columns().isEmpty());
                }
                prepared = engine.prepare(sql);
            } catch (RuntimeException e) {
                fail();
                return Source.<Result>failed(e);
            }
            if (prepared.kind() != Prepared.Kind.QUERY && prepared.kind() != Prepared.Kind.EXPLAIN) {
                return Source.completionStage(exclusive(() -> run(prepared, parameters))).filter(r -> !r.columns().isEmpty());
            }
            if (!acquire()) {
                return Source.<Result>failed(busyError());
            }
            return streamQuery(prepared, parameters).watchTermination((mat, done) -> {
                // inline where the stream ends, never on a new thread (PekkoFutures), and before the end reaches the consumer
                PekkoFutures.of(done, Runnable::run).whenComplete((d, e) -> release());
                return mat;
            });
        }).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    private Source<Result, NotUsed> streamQuery(Prepared prepared, Object[] parameters) {
        if (failed) {
            return Source.failed(inFailedBlock());
        }
        try {
            checkPrivileges(prepared);
        } catch (RuntimeException e) {
            return Source.failed(e);
        }
        List<Prepared.ResultColumn> columns = prepared.columns();
        if (block == null) {
            return engine.stream(prepared, parameters).map(b -> new Result(columns, b.rows(), b.size()));
        }
        TxnState txn = block;
        blockStatements++;
        return Source.completionStageSource(transactions.statementSnapshot(txn).thenApply(ts ->
                engine.streamIn(prepared, parameters, txn, ts).watchTermination((mat, done) -> {
                    PekkoFutures.of(done, Runnable::run).whenComplete((d, e) -> {
                        transactions.endStatement(txn, ts);
                        if (e != null) {
                            fail();
                        }
                    });
                    return mat;
                }))).map((Batch b) -> new Result(columns, b.rows(), b.size()))
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** Ends an open block with a rollback. */
    public void close() {
        if (block != null) {
            transactions.rollback(block);
            block = null;
        }
    }

    // ------------------------------------------------------------------------------- dispatch

    private CompletionStage<Result> exclusive(Supplier<CompletionStage<Result>> body) {
        if (!acquire()) {
            return CompletableFuture.failedFuture(busyError());
        }
        CompletionStage<Result> result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        if (result instanceof CompletableFuture<Result> done && done.isDone()) {
            release(); // ran inline (key lookups): free the session now instead of through one more stage
            return result;
        }
        return result.whenComplete((r, e) -> release());
    }

    private CompletionStage<Result> dispatch(String sql, Object[] parameters) {
        if (Sagas.isSagaStatement(sql)) { // before TransactionStatement: "START SAGA" is not START TRANSACTION
            if (failed) {
                throw inFailedBlock();
            }
            try {
                AccessChecks.checkSaga(engine.security(), role);
            } catch (RuntimeException e) {
                fail();
                throw e;
            }
            return engine.sagas().execute(sql, parameters).orElseThrow();
        }
        if (io.phantomdb.security.AccessParser.isAccessStatement(sql)) {
            return access(sql);
        }
        Optional<TransactionStatement> control = TransactionStatement.parse(sql);
        if (control.isPresent()) {
            try {
                return control(control.get());
            } catch (RuntimeException e) {
                fail(); // as in PostgreSQL, a failing statement (even ROLLBACK TO an unknown savepoint) fails the block
                throw e;
            }
        }
        Prepared prepared;
        try {
            prepared = engine.prepare(sql);
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
        return run(prepared, parameters);
    }

    private CompletionStage<Result> run(Prepared prepared, Object[] parameters) {
        if (failed) {
            throw inFailedBlock();
        }
        checkPrivileges(prepared);
        if (prepared.kind() == Prepared.Kind.DDL) {
            // ANALYZE changes no data and no catalog version: PostgreSQL runs it in a block, so do we.
            if (block != null && !(prepared.ddl() instanceof io.phantomdb.sql.ddl.Analyze)) {
                fail();
                throw new PhantomSqlException(SqlState.ACTIVE_SQL_TRANSACTION,
                        "schema changes cannot run inside a transaction block; commit first (docs/transactions.md)");
            }
            return engine.ddl(prepared, role).thenApply(Result::count);
        }
        if (block != null) {
            return inBlock(prepared, parameters);
        }
        if (prepared.kind() == Prepared.Kind.DML) {
            return autocommit(prepared, parameters, 0);
        }
        // A query outside a block reads one snapshot and writes nothing: no transaction state is needed.
        return engine.collect(prepared, parameters).thenApply(rows -> new Result(prepared.columns(), rows, rows.size()));
    }

    private CompletionStage<Result> inBlock(Prepared prepared, Object[] parameters) {
        TxnState txn = block;
        int mark = txn.mark();
        blockStatements++;
        return statement(prepared, parameters, txn).whenComplete((r, e) -> {
            if (e != null) {
                txn.rollbackTo(mark); // the failed statement leaves nothing behind (ROLLBACK TO may revive the block)
                fail();
            }
        });
    }

    /** One statement in {@code txn} at the statement's read timestamp. */
    private CompletionStage<Result> statement(Prepared prepared, Object[] parameters, TxnState txn) {
        return transactions.statementSnapshot(txn).thenCompose(ts -> {
            CompletionStage<Result> result = prepared.kind() == Prepared.Kind.DML
                    ? engine.dmlIn(prepared, parameters, txn, ts).thenApply(Result::count)
                    : engine.collectIn(prepared, parameters, txn, ts).thenApply(rows -> new Result(prepared.columns(), rows, rows.size()));
            return result.whenComplete((r, e) -> transactions.endStatement(txn, ts));
        });
    }

    /** A statement as its own transaction, retried on 40001/40P01 up to {@code implicit-retries-max} times. */
    private CompletionStage<Result> autocommit(Prepared prepared, Object[] parameters, int attempt) {
        TxnState txn = transactions.begin(defaultLevel, defaultReadOnly);
        return statement(prepared, parameters, txn)
                .thenCompose(r -> transactions.commit(txn).thenApply(v -> r))
                .handle((r, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(r);
                    }
                    transactions.rollback(txn);
                    PhantomSqlException error = PhantomSqlException.of(e);
                    if (error != null && error.state().retryable() && attempt < transactions.settings().implicitRetriesMax()) {
                        return autocommit(prepared, parameters, attempt + 1);
                    }
                    return CompletableFuture.<Result>failedFuture(e);
                })
                .thenCompose(x -> x);
    }

    // ------------------------------------------------------------------------------- access control

    /** Throws 42501 (failing an open block, as any error does) when the role may not run {@code prepared}. */
    private void checkPrivileges(Prepared prepared) {
        try {
            AccessChecks.check(engine.security(), role, prepared, engine.catalogSnapshot());
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
    }

    /** CREATE/ALTER/DROP ROLE, GRANT, REVOKE: not transactional, so refused in a block as DDL is. */
    private CompletionStage<Result> access(String sql) {
        if (failed) {
            throw inFailedBlock();
        }
        io.phantomdb.security.AccessStatement statement;
        try {
            statement = io.phantomdb.security.AccessParser.parse(sql).orElseThrow();
            if (block != null) {
                throw new PhantomSqlException(SqlState.ACTIVE_SQL_TRANSACTION,
                        "role and privilege statements cannot run inside a transaction block; commit first (docs/security.md)");
            }
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
        return engine.security().execute(role, statement).thenApply(Result::count);
    }

    // ------------------------------------------------------------------------------- transaction control

    private CompletionStage<Result> control(TransactionStatement s) {
        boolean ends = s instanceof TransactionStatement.Rollback || s instanceof TransactionStatement.Commit
                || s instanceof TransactionStatement.RollbackTo;
        if (failed && !ends) {
            throw inFailedBlock();
        }
        if (s instanceof TransactionStatement.Begin begin) {
            begin(begin);
        } else if (s instanceof TransactionStatement.Commit) {
            return commit();
        } else if (s instanceof TransactionStatement.Rollback) {
            close();
            endBlock();
        } else if (s instanceof TransactionStatement.Savepoint sp) {
            requireBlock("SAVEPOINT");
            savepoints.add(new SavepointMark(sp.name(), block.mark()));
        } else if (s instanceof TransactionStatement.RollbackTo to) {
            requireBlock("ROLLBACK TO SAVEPOINT");
            int at = savepoint(to.name());
            savepoints.subList(at + 1, savepoints.size()).clear();
            block.rollbackTo(savepoints.get(at).mark());
            failed = false;
        } else if (s instanceof TransactionStatement.Release release) {
            requireBlock("RELEASE SAVEPOINT");
            savepoints.subList(savepoint(release.name()), savepoints.size()).clear();
        } else if (s instanceof TransactionStatement.SetModes set) {
            setModes(set);
        } else if (s instanceof TransactionStatement.Show show) {
            IsolationLevel level = show.sessionDefault() ? defaultLevel : isolation();
            String name = show.sessionDefault() ? "default_transaction_isolation" : "transaction_isolation";
            return CompletableFuture.completedFuture(new Result(List.of(new Prepared.ResultColumn(name, DataType.VARCHAR, false)),
                    List.<Object[]>of(new Object[] {level.sql()}), 1));
        }
        return CompletableFuture.completedFuture(Result.count(0));
    }

    private void begin(TransactionStatement.Begin begin) {
        if (oneShot) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                    "a transaction block needs a session: use PhantomDb.session() (or one connection) for BEGIN ... COMMIT");
        }
        if (block != null) {
            return; // PostgreSQL: WARNING "there is already a transaction in progress"; the block goes on
        }
        block = transactions.begin(begin.level() != null ? begin.level() : defaultLevel,
                begin.readOnly() != null ? begin.readOnly() : defaultReadOnly);
        blockStatements = 0;
    }

    private CompletionStage<Result> commit() {
        if (block == null) {
            return CompletableFuture.completedFuture(Result.count(0)); // PostgreSQL: WARNING, no transaction in progress
        }
        TxnState txn = block;
        boolean rollback = failed;
        endBlock();
        if (rollback) {
            transactions.rollback(txn); // COMMIT of a failed block rolls it back (PostgreSQL answers ROLLBACK)
            return CompletableFuture.completedFuture(Result.count(0));
        }
        return transactions.commit(txn).thenApply(v -> Result.count(0));
    }

    private void endBlock() {
        block = null;
        failed = false;
        savepoints.clear();
    }

    private void setModes(TransactionStatement.SetModes set) {
        if (set.session()) {
            if (set.level() != null) {
                defaultLevel = set.level();
            }
            if (set.readOnly() != null) {
                defaultReadOnly = set.readOnly();
            }
            return;
        }
        if (block == null) {
            return; // PostgreSQL: WARNING "SET TRANSACTION can only be used in transaction blocks"
        }
        if (blockStatements > 0) {
            throw new PhantomSqlException(SqlState.ACTIVE_SQL_TRANSACTION,
                    "SET TRANSACTION ISOLATION LEVEL must be called before any query");
        }
        TxnState old = block;
        transactions.rollback(old); // nothing ran in it yet: start it again with the new modes
        block = transactions.begin(set.level() != null ? set.level() : old.level(),
                set.readOnly() != null ? set.readOnly() : old.readOnly());
    }

    private void requireBlock(String what) {
        if (block == null) {
            throw new PhantomSqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, what + " can only be used in transaction blocks");
        }
    }

    private int savepoint(String name) {
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            if (savepoints.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new PhantomSqlException(SqlState.INVALID_SAVEPOINT_SPECIFICATION, "savepoint \"" + name + "\" does not exist");
    }

    // ------------------------------------------------------------------------------- errors

    /**
     * Fails the open block (no-op outside one) after an error the session did not see itself — a bad Bind
     * parameter, a catalog query answered by the wire layer — so that, as in PostgreSQL, later statements get 25P02
     * and COMMIT rolls back. Call it only while no statement of this session runs.
     */
    public void fail() {
        if (block != null) {
            failed = true;
        }
    }

    /**
     * Completes when no statement of this session runs (at once if none does). A stream's consumer sees its end
     * slightly before the session releases itself; a client that sends the next statement right away waits here.
     */
    public synchronized CompletionStage<Void> idle() {
        if (!busy.get()) {
            return CompletableFuture.completedFuture(null);
        }
        if (released == null) {
            released = new CompletableFuture<>();
        }
        return released;
    }

    private synchronized boolean acquire() {
        return busy.compareAndSet(false, true);
    }

    private void release() {
        CompletableFuture<Void> done;
        synchronized (this) {
            busy.set(false);
            done = released;
            released = null;
        }
        if (done != null) {
            done.complete(null);
        }
    }

    private static PhantomSqlException inFailedBlock() {
        return new PhantomSqlException(SqlState.IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    private static PhantomSqlException busyError() {
        return new PhantomSqlException(SqlState.INVALID_TRANSACTION_STATE,
                "another statement of this session is still running; send one statement at a time");
    }
}
