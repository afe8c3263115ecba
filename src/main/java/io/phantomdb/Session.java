package io.phantomdb;

import io.phantomdb.txn.mvcc.IsolationLevel;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One client's conversation with the database: its transaction and its settings (DESIGN.md "Interfaces":
 * the Session). Opened with {@link PhantomDb#session()}; the pgwire and HTTP servers keep one per connection.
 *
 * <p>Outside a transaction block every statement is its own transaction (autocommit), retried by the server
 * when it fails with a retryable error (40001, 40P01). {@code BEGIN [ISOLATION LEVEL ...]} / {@code START
 * TRANSACTION} opens a block; {@code COMMIT}/{@code END} and {@code ROLLBACK}/{@code ABORT} end it;
 * {@code SAVEPOINT s}, {@code ROLLBACK TO [SAVEPOINT] s}, {@code RELEASE [SAVEPOINT] s}; {@code SET TRANSACTION
 * ISOLATION LEVEL ...}; {@code SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ...}. After an error
 * inside a block, statements fail with 25P02 until the block ends; COMMIT of a failed block rolls it back.
 * See docs/transactions.md.
 *
 * <p>Not thread-safe: one statement at a time. Send the next statement after the previous one's stage (or
 * stream) completed; a statement sent earlier fails with 25000.
 */
public final class Session implements AutoCloseable {

    /** Where the session stands, as pgwire's ReadyForQuery reports it. */
    public enum Status {
        /** No transaction block is open ('I'). */
        IDLE,
        /** Inside a transaction block ('T'). */
        IN_TRANSACTION,
        /** Inside a transaction block that failed; only ROLLBACK ends it ('E'). */
        FAILED
    }

    private final io.phantomdb.sql.SessionState state;

    Session(io.phantomdb.sql.SessionState state) {
        this.state = state;
    }

    /** Runs a statement; completes with the rows changed (DML), rows returned (queries) or 0 (other statements). */
    public CompletionStage<Long> execute(String sql, Object... parameters) {
        return state.execute(sql, parameters.clone());
    }

    /** Runs a statement and collects its rows (small results; use {@link #sql} to stream). */
    public CompletionStage<List<Row>> query(String sql, Object... parameters) {
        return state.query(sql, parameters.clone()).thenApply(PhantomDb::rows);
    }

    /** Runs a statement and streams its rows; nothing runs until the source is materialized. */
    public Source<Row, NotUsed> sql(String sql, Object... parameters) {
        return state.stream(sql, parameters.clone()).mapConcat(PhantomDb::rows);
    }

    /** Whether a transaction block is open, and whether it failed. */
    public Status status() {
        return Status.valueOf(state.status().name());
    }

    /** The isolation level the current (or next) transaction runs at. */
    public IsolationLevel isolation() {
        return state.isolation();
    }

    /** Rolls back an open transaction block and releases its locks. */
    @Override
    public void close() {
        state.close();
    }
}
