package io.phantomdb.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostgreSQL (a throwaway local cluster, pgjdbc), SQLite (xerial sqlite-jdbc) or H2 (embedded file database)
 * through plain JDBC: one connection per benchmark thread with autocommit off, the UPDATE prepared once per
 * connection, and per transaction the statements then {@code commit()} - the driver sends BEGIN before the
 * first statement (pgjdbc, sqlite-jdbc's deferred {@code begin}; H2 opens its transaction implicitly).
 */
final class JdbcTxnTarget implements TxnTarget {

    /** The peers and their natural durable settings. */
    enum Kind {
        /**
         * PostgreSQL at its defaults: every COMMIT waits for its WAL flush (synchronous_commit = on, fsync =
         * on); row locks, waiters queue; a deadlock is answered with 40P01 once a waiter waited deadlock_timeout,
         * which is set to Phantom's deadlock-check-interval (100 ms) instead of its 1 s default, so that both
         * break a deadlock about equally soon and the hot multi-row rows do not measure PostgreSQL's timer.
         */
        POSTGRES("PostgreSQL"),
        /**
         * SQLite in WAL mode with synchronous=FULL (the WAL is fsynced at every commit); one writer at a time,
         * the others wait in SQLite's busy handler (busy_timeout). Always serializable.
         */
        SQLITE("SQLite"),
        /**
         * H2 at its defaults (MVStore, row locks) but a lock timeout long enough for 32 threads on 100 rows.
         * H2 does not fsync at commit (a background writer, WRITE_DELAY), so its commits are not durable.
         */
        H2("H2");

        final String display;

        Kind(String display) {
            this.display = display;
        }
    }

    private final Kind kind;
    private final Path dir;
    private final String url;
    private final String isolationSql;
    private final PostgresServer postgres;
    private final Connection admin;
    private final Map<Integer, JdbcSession> sessions = new ConcurrentHashMap<>();

    private JdbcTxnTarget(Kind kind, Path dir, String isolationSql, PostgresServer postgres) throws SQLException {
        this.kind = kind;
        this.dir = dir;
        this.isolationSql = isolationSql;
        this.postgres = postgres;
        this.url = switch (kind) {
            case POSTGRES -> postgres.url();
            case SQLITE -> "jdbc:sqlite:" + dir.resolve("bench.db").toAbsolutePath();
            case H2 -> "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath() + ";LOCK_TIMEOUT=60000";
        };
        this.admin = connect();
        admin.setAutoCommit(true);
    }

    /**
     * Opens the engine in {@code dir}; for PostgreSQL starts a cluster there first.
     *
     * @param threads the most benchmark threads (PostgreSQL's max_connections is sized from it)
     * @param deadlockMillis PostgreSQL's deadlock_timeout: Phantom's deadlock-check-interval
     */
    static JdbcTxnTarget open(Kind kind, Path dir, String isolationSql, TxnBenchConfig config, int threads,
            long deadlockMillis) throws Exception {
        if (kind != Kind.POSTGRES) {
            return new JdbcTxnTarget(kind, dir, isolationSql, null);
        }
        PostgresServer server = PostgresServer.start(config.pgBin, dir, config.pgOsUser, Math.max(100, threads + 10),
                Map.of("deadlock_timeout", "'" + deadlockMillis + "ms'"));
        try {
            return new JdbcTxnTarget(kind, dir, isolationSql, server);
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        if (kind == Kind.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA busy_timeout = 60000");
            }
        } else {
            c.setTransactionIsolation(isolation(isolationSql));
        }
        return c;
    }

    private static int isolation(String sql) {
        return switch (sql) {
            case "REPEATABLE READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> Connection.TRANSACTION_READ_COMMITTED;
        };
    }

    @Override
    public String name() {
        return kind.display;
    }

    @Override
    public String settings() {
        try (Statement s = admin.createStatement()) {
            return switch (kind) {
                case POSTGRES -> "PostgreSQL " + single(s, "SHOW server_version") + " (" + postgres.bin()
                        + "), a throwaway cluster on 127.0.0.1, every server setting at its default but one: `fsync="
                        + single(s, "SHOW fsync") + "`, `synchronous_commit=" + single(s, "SHOW synchronous_commit")
                        + "`, `wal_sync_method=" + single(s, "SHOW wal_sync_method") + "`, `full_page_writes="
                        + single(s, "SHOW full_page_writes") + "`, `shared_buffers=" + single(s, "SHOW shared_buffers")
                        + "`; **`deadlock_timeout=" + single(s, "SHOW deadlock_timeout") + "`** (default 1s: a "
                        + "deadlock is found only after a waiter waited this long; set to Phantom's "
                        + "`deadlock-check-interval` so both break deadlocks about equally soon); pgjdbc, autocommit "
                        + "off, `" + isolationSql
                        + "`; every COMMIT waits for its WAL flush (group commit by the WAL writer)";
                case SQLITE -> "SQLite " + single(s, "SELECT sqlite_version()") + " via xerial sqlite-jdbc, "
                        + "`journal_mode=" + single(s, "PRAGMA journal_mode") + "`, `synchronous="
                        + single(s, "PRAGMA synchronous") + "` (2 = FULL: the WAL is fsynced at every commit), "
                        + "`busy_timeout=" + single(s, "PRAGMA busy_timeout") + "` ms, deferred `begin` (sqlite-jdbc's "
                        + "default), all else default; one writer at a time (the others wait in the busy handler), "
                        + "always serializable";
                case H2 -> "H2 " + single(s, "SELECT H2VERSION()") + " embedded file database (MVStore, row locks), "
                        + "`LOCK_TIMEOUT=60000`, `" + isolationSql + "`, all else default: **commits are not "
                        + "fsynced** (a background writer, `WRITE_DELAY` " + single(s, "SELECT SETTING_VALUE FROM "
                        + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'") + " ms, writes committed "
                        + "changes; they are forced to disk only at checkpoints and close)";
            };
        } catch (SQLException e) {
            return kind.display + " (settings unreadable: " + e.getMessage() + ")";
        }
    }

    private static String single(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    @Override
    public Path dir() {
        return dir;
    }

    /** CREATE TABLE, then JDBC batches of single-row INSERTs, one transaction per batch. */
    @Override
    public void load(int rows, int batch, String pad) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(CREATE);
        }
        admin.setAutoCommit(false);
        try (PreparedStatement insert = admin.prepareStatement("INSERT INTO txnbench VALUES (?, ?, ?)")) {
            for (int from = 0; from < rows; from += batch) {
                for (int id = from; id < Math.min(rows, from + batch); id++) {
                    insert.setInt(1, id);
                    insert.setLong(2, 0);
                    insert.setString(3, pad);
                    insert.addBatch();
                }
                insert.executeBatch();
                admin.commit();
            }
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(true);
        }
        if (kind == Kind.POSTGRES) {
            try (Statement s = admin.createStatement()) {
                s.execute("VACUUM ANALYZE txnbench");
            }
        }
    }

    @Override
    public long sumOfVal() throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(SUM)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public TxnSession session(int index) throws SQLException {
        JdbcSession s = sessions.get(index);
        if (s == null) {
            s = new JdbcSession(connect());
            sessions.put(index, s);
        }
        return s;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * PostgreSQL and H2: SQLSTATE class 40 (40001 serialization failure, 40P01 deadlock; H2 reports its
     * deadlocks as 40001). SQLite: SQLITE_BUSY (5, including BUSY_SNAPSHOT) reported as "SQLITE_BUSY".
     */
    @Override
    public String retryableCode(Throwable failure) {
        if (!(failure instanceof SQLException e)) {
            return null;
        }
        if (kind == Kind.SQLITE) {
            return (e.getErrorCode() & 0xff) == 5 ? "SQLITE_BUSY" : null;
        }
        String state = e.getSQLState();
        return state != null && state.startsWith("40") ? state : null;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (JdbcSession s : sessions.values()) {
            try {
                s.connection.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        try {
            admin.close();
        } catch (SQLException e) {
            first = first == null ? e : first;
        } finally {
            if (postgres != null) {
                postgres.close(); // after every connection closed, so the fast shutdown has nothing to cut
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static final class JdbcSession implements TxnSession {
        final Connection connection;
        final PreparedStatement update;

        JdbcSession(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            this.update = connection.prepareStatement(UPDATE);
        }

        @Override
        public void transaction(int[] ids) throws SQLException {
            try {
                for (int id : ids) {
                    update.setInt(1, id);
                    int changed = update.executeUpdate();
                    if (changed != 1) {
                        throw new IllegalStateException("UPDATE of id " + id + " changed " + changed + " rows");
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
