package io.phantomdb.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A database server running in processes of its own (not in the benchmark's JVM), reached through pgjdbc over
 * TCP on 127.0.0.1: {@link PostgresWire} (a throwaway PostgreSQL cluster) and {@link PhantomWireProcess}
 * (Phantom-DB's PostgreSQL wire protocol server in a child JVM). {@link JdbcSqlTarget} drives both with the same
 * JDBC code; this interface carries only what differs between them.
 */
interface ServerProcess extends AutoCloseable {

    /** The pgjdbc URL (127.0.0.1, the server's port, user and password) of the database the benchmark uses. */
    String url();

    /** The server's durability and every setting that differs from its defaults, read back where it can tell. */
    String settings(Connection admin) throws SQLException;

    /** After the load: put the data in the server's files (PostgreSQL: CHECKPOINT + VACUUM ANALYZE; Phantom: flush + compact). */
    void settle(Connection admin) throws Exception;

    /**
     * Monotonic counters whose deltas per phase go into the report's notes: {@code walRecords} / {@code walSyncs}
     * (commits per WAL fsync) and {@code serverCpuNanos} (CPU time of all the server's processes); may be empty.
     */
    Map<String, Long> counters(Connection admin);

    /** The prefix of EXPLAIN on this server. */
    default String explainPrefix() {
        return "EXPLAIN ";
    }

    @Override
    void close() throws Exception;
}
