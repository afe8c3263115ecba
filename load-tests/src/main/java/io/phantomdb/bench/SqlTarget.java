package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One SQL engine as {@link SqlBench} drives it: the same few statements on every engine, so that all of them
 * run the exact same driver code and the same answer checks. Implementations: {@link PhantomSqlTarget}
 * (the embedded {@code PhantomDb} API) and {@link JdbcSqlTarget} (H2, SQLite).
 */
interface SqlTarget extends AutoCloseable {

    /** Name in the report ("Phantom", "H2", "SQLite"). */
    String name();

    /** Durability, cache and every setting that differs from the engine's defaults, for the report. */
    String settings();

    /** Where the engine keeps its files. */
    Path dir();

    void createTable(UserTable table) throws Exception;

    /** Inserts the rows as one durable (per the engine's setting) statement or transaction. */
    void insert(UserTable table, List<Object[]> rows) throws Exception;

    /** After the load: each engine's way of putting the data in its files (flush + compact, checkpoint). */
    void settle() throws Exception;

    /**
     * The engine's plan of one workload's statement ({@code select}, {@code scan}, {@code update},
     * {@code groupby}), its lines joined by "; ".
     */
    String explain(String workload) throws Exception;

    /**
     * The session of benchmark thread {@code index}, created on first use and kept until close, so its
     * prepared statements (and SQLite's per-connection page cache) stay warm from one phase to the next.
     */
    Session session(int index) throws Exception;

    /** Engine counters (monotonic since open) whose deltas per phase are reported; may be empty. */
    Map<String, Long> counters();

    @Override
    void close() throws Exception;

    /** What a SELECT returned, read column by column: row count, sum of ids, characters of the fields. */
    record Answer(int rows, long idSum, long chars) {}

    /** One thread's connection. Every method reads every column of every row it gets. */
    interface Session {
        /** {@code SELECT * FROM usertable WHERE id = ?}. */
        Answer pointSelect(int id) throws Exception;

        /** {@code SELECT * FROM usertable WHERE id >= from AND id < from + length}. */
        Answer rangeScan(int from, int length) throws Exception;

        /** {@code UPDATE usertable SET field0 = ? WHERE id = ?}, committed; returns the rows changed. */
        long update(int id, String field0) throws Exception;

        /** {@code SELECT grp, COUNT(*), SUM(val) FROM usertable GROUP BY grp}: one {grp, count, sum} per row. */
        List<long[]> groupBy() throws Exception;
    }
}
