package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * One engine as {@link TxnBench} drives it: the same table, the same transaction shape (BEGIN; one
 * {@code UPDATE txnbench SET val = val + 1 WHERE id = ?} per key; COMMIT) and the same retry loop on every
 * engine, which lives in the driver, not here. Implementations: {@link PhantomTxnTarget} (the embedded
 * {@code Session} API) and {@link JdbcTxnTarget} (PostgreSQL, SQLite, H2 through JDBC, autocommit off).
 *
 * <pre>
 *   txnbench(id INTEGER PRIMARY KEY, val BIGINT NOT NULL, pad VARCHAR(100) NOT NULL), val = 0 after the load
 * </pre>
 */
interface TxnTarget extends AutoCloseable {

    String CREATE = "CREATE TABLE txnbench (id INTEGER PRIMARY KEY, val BIGINT NOT NULL, pad VARCHAR(100) NOT NULL)";
    /** Read-modify-write, so a lost or doubled update shows in {@link #sumOfVal()}. */
    String UPDATE = "UPDATE txnbench SET val = val + 1 WHERE id = ?";
    String SUM = "SELECT SUM(val) FROM txnbench";

    /** Name in the report ("Phantom 1p", "PostgreSQL", ...). */
    String name();

    /** Durability, isolation and every setting that differs from the engine's defaults, for the report. */
    String settings();

    /** Where the engine keeps its files. */
    Path dir();

    /** Creates the table and inserts rows 0..rows-1 with val = 0 and a 100-character pad, in batches. */
    void load(int rows, int batch, String pad) throws Exception;

    /** SUM(val) over the table: the number of row updates committed since the load. */
    long sumOfVal() throws Exception;

    /** The session of benchmark thread {@code index}, created on first use and kept until close. */
    TxnSession session(int index) throws Exception;

    /** Engine counters (monotonic since open) whose deltas per phase are reported; may be empty. */
    Map<String, Long> counters();

    @Override
    void close() throws Exception;

    /** One thread's connection (not thread-safe). */
    interface TxnSession {
        /**
         * One attempt: BEGIN, one UPDATE per id in the given order (each must change exactly one row), COMMIT.
         * On any failure the transaction is rolled back before the exception is rethrown, so the session is
         * ready for the next attempt.
         */
        void transaction(int[] ids) throws Exception;
    }

    /**
     * The SQLSTATE (or engine code) of a failure the client should answer by running the whole transaction
     * again, or null when the failure is not retryable.
     */
    String retryableCode(Throwable failure);
}
