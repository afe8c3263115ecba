package io.phantomdb.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL as a {@link ServerProcess}: a throwaway cluster ({@link PostgresServer}: initdb, a free port of
 * 127.0.0.1, trust authentication, fsync and synchronous_commit on) with {@code shared_buffers} sized like the
 * other engines' caches, so that the table is read from PostgreSQL's own buffers as Phantom reads it from its
 * block cache.
 */
final class PostgresWire implements ServerProcess {

    private final PostgresServer server;
    private final long sharedBuffersBytes;

    private PostgresWire(PostgresServer server, long sharedBuffersBytes) {
        this.server = server;
        this.sharedBuffersBytes = sharedBuffersBytes;
    }

    /**
     * Starts a cluster in {@code dir}.
     *
     * @param maxConnections max_connections: the most benchmark threads plus the admin connection and a margin
     * @param sharedBuffersBytes shared_buffers (PostgreSQL's default is 128 MB)
     */
    static PostgresWire start(Path pgBin, Path dir, String osUser, int maxConnections, long sharedBuffersBytes)
            throws Exception {
        PostgresServer server = PostgresServer.start(pgBin, dir, osUser, maxConnections,
                Map.of("shared_buffers", "'" + (sharedBuffersBytes >> 20) + "MB'"));
        return new PostgresWire(server, sharedBuffersBytes);
    }

    @Override
    public String url() {
        return server.url();
    }

    @Override
    public String settings(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            return "PostgreSQL " + single(s, "SHOW server_version") + " (" + server.bin() + "), a throwaway cluster "
                    + "started by the benchmark on a free port of 127.0.0.1 (trust authentication, TCP, no TLS), "
                    + "every server setting at its default but `shared_buffers=" + single(s, "SHOW shared_buffers")
                    + "` (default 128MB; sized like Phantom's block cache, " + (sharedBuffersBytes >> 20)
                    + " MiB, so the table stays in PostgreSQL's own buffers) and `max_connections="
                    + single(s, "SHOW max_connections") + "`: `fsync=" + single(s, "SHOW fsync")
                    + "`, `synchronous_commit=" + single(s, "SHOW synchronous_commit") + "`, `wal_sync_method="
                    + single(s, "SHOW wal_sync_method") + "`, `full_page_writes=" + single(s, "SHOW full_page_writes")
                    + "`, `commit_delay=" + single(s, "SHOW commit_delay") + "`; every autocommit UPDATE returns "
                    + "after its WAL flush (concurrent commits share a flush); one backend process per connection";
        }
    }

    private static String single(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    /** CHECKPOINT (the load's WAL into the table files) and VACUUM ANALYZE (visibility map, planner statistics). */
    @Override
    public void settle(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CHECKPOINT");
            s.execute("VACUUM ANALYZE usertable");
        }
    }

    /**
     * {@code walRecords} is the database's committed transactions and {@code walSyncs} the WAL fsyncs
     * ({@code pg_stat_wal.wal_sync}), so their ratio is commits per WAL fsync as for Phantom. PostgreSQL's
     * backends publish their statistics at most once a second, so a phase's deltas are approximate.
     */
    @Override
    public Map<String, Long> counters(Connection admin) {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Statement s = admin.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            m.put("walRecords", Long.parseLong(single(s,
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")));
            m.put("walSyncs", Long.parseLong(single(s, "SELECT wal_sync FROM pg_stat_wal")));
        } catch (SQLException | RuntimeException e) {
            // statistics are a note; a failure leaves them out
        }
        try {
            long cpu = ProcCpu.treeNanos(server.pid());
            if (cpu >= 0) {
                m.put("serverCpuNanos", cpu);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no postmaster.pid: no CPU figure
        }
        return m;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
