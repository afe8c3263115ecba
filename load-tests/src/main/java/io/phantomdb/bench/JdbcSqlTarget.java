package io.phantomdb.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * H2 (embedded, file database), SQLite (xerial sqlite-jdbc), or a server in processes of its own reached through
 * pgjdbc over loopback TCP ({@link ServerProcess}: PostgreSQL, Phantom-DB's wire protocol server), through plain
 * JDBC: one connection per benchmark thread, each statement prepared once per connection and reused (the JDBC
 * equivalent of Phantom's plan cache), autocommit for the timed statements, one transaction per batch during
 * the load.
 */
final class JdbcSqlTarget implements SqlTarget {

    /** The two engines and their natural durable settings. */
    enum Kind {
        /**
         * H2 at its defaults (MVStore) except the cache, so it holds the data set like the others, and a lock
         * timeout long enough for 32 updating threads. H2 does not fsync at commit: committed changes reach its
         * file from a background writer (WRITE_DELAY) and are forced to disk only at checkpoints and close.
         */
        H2("H2"),
        /**
         * SQLite in WAL mode with synchronous=FULL: the WAL is fsynced at every commit, so a commit is durable
         * when it returns (NORMAL would sync only at checkpoints). One writer at a time; writers that find the
         * lock taken wait in SQLite's busy handler (busy_timeout).
         */
        SQLITE("SQLite"),
        /** PostgreSQL in its own processes ({@link PostgresWire}), through pgjdbc. */
        POSTGRES("PostgreSQL"),
        /** Phantom-DB's PostgreSQL wire protocol server in a child JVM ({@link PhantomWireProcess}), through pgjdbc. */
        PHANTOM_WIRE("Phantom wire");

        final String display;

        Kind(String display) {
            this.display = display;
        }
    }

    private final Kind kind;
    private final Path dir;
    private final String url;
    private final long cacheBytes;
    private final UserTable.Statements sql;
    /** The server a POSTGRES or PHANTOM_WIRE target connects to (closed with the target); null otherwise. */
    private final ServerProcess server;
    private final Connection admin;
    private final Map<Integer, JdbcSession> sessions = new ConcurrentHashMap<>();
    private PreparedStatement insert;

    private JdbcSqlTarget(Kind kind, Path dir, long cacheBytes, int scanLength, ServerProcess server)
            throws SQLException {
        this.kind = kind;
        this.dir = dir;
        this.cacheBytes = cacheBytes;
        this.server = server;
        this.sql = UserTable.statements(false, scanLength);
        this.url = switch (kind) {
            case H2 -> "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath() + ";CACHE_SIZE=" + (cacheBytes >> 10)
                    + ";LOCK_TIMEOUT=60000;OPTIMIZE_REUSE_RESULTS=0";
            case SQLITE -> "jdbc:sqlite:" + dir.resolve("bench.db").toAbsolutePath();
            case POSTGRES, PHANTOM_WIRE -> server.url();
        };
        this.admin = connect();
    }

    /** H2 or SQLite, embedded in {@code dir}. */
    static JdbcSqlTarget open(Kind kind, Path dir, long cacheBytes, int scanLength) throws SQLException {
        return new JdbcSqlTarget(kind, dir, cacheBytes, scanLength, null);
    }

    /**
     * A server started by the caller (POSTGRES or PHANTOM_WIRE), closed with the target; closed here too if the
     * first connection fails.
     */
    static JdbcSqlTarget open(Kind kind, ServerProcess server, Path dir, long cacheBytes, int scanLength)
            throws Exception {
        try {
            return new JdbcSqlTarget(kind, dir, cacheBytes, scanLength, server);
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        if (kind == Kind.SQLITE) {
            // Per-connection settings (journal_mode is stored in the file; the others are per connection).
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA busy_timeout = 60000");
                s.execute("PRAGMA cache_size = -" + (cacheBytes >> 10));
            }
        }
        return c;
    }

    @Override
    public String name() {
        return kind.display;
    }

    @Override
    public String settings() {
        if (server != null) {
            try {
                return server.settings(admin) + "; pgjdbc " + org.postgresql.Driver.getVersion()
                        + " with its default URL options (extended protocol; a statement becomes a named server-side "
                        + "prepared statement from its 5th execution, `prepareThreshold=5`)";
            } catch (SQLException e) {
                return kind.display + " (settings unreadable: " + e.getMessage() + ")";
            }
        }
        try (Statement s = admin.createStatement()) {
            if (kind == Kind.H2) {
                return "H2 " + single(s, "SELECT H2VERSION()") + " embedded file database (MVStore), URL options `CACHE_SIZE="
                        + (cacheBytes >> 10) + "` (KiB), `LOCK_TIMEOUT=60000` and `OPTIMIZE_REUSE_RESULTS=0` (otherwise H2 answers a repeated "
                        + "query on unchanged tables from its previous result, so the GROUP BY would cost nothing), "
                        + "all else default: "
                        + "**commits are not fsynced** (committed changes are written to the file by a background "
                        + "writer, `WRITE_DELAY` " + single(s, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                        + "WHERE SETTING_NAME = 'WRITE_DELAY'") + " ms, and forced to disk only at checkpoints and close), "
                        + "so H2's UPDATE rows are not durable commits; row-level locks (MVCC)";
            }
            return "SQLite " + single(s, "SELECT sqlite_version()") + " via xerial sqlite-jdbc, `journal_mode="
                    + single(s, "PRAGMA journal_mode") + "`, `synchronous=" + single(s, "PRAGMA synchronous")
                    + "` (2 = FULL: the WAL is fsynced at every commit), `cache_size=" + single(s, "PRAGMA cache_size")
                    + "` per connection, `busy_timeout=" + single(s, "PRAGMA busy_timeout") + "` ms, `mmap_size="
                    + single(s, "PRAGMA mmap_size") + "`, all else default; one writer at a time (database lock)";
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

    @Override
    public void createTable(UserTable table) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(table.createTable(""));
        }
    }

    /** A JDBC batch of single-row INSERTs in one transaction (one commit, so one fsync on SQLite). */
    @Override
    public void insert(UserTable table, List<Object[]> rows) throws SQLException {
        if (insert == null) {
            insert = admin.prepareStatement(table.insert(1, false));
        }
        admin.setAutoCommit(false);
        try {
            for (Object[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    insert.setObject(c + 1, row[c]);
                }
                insert.addBatch();
            }
            int changed = 0;
            for (int n : insert.executeBatch()) {
                changed += n == Statement.SUCCESS_NO_INFO ? 1 : n;
            }
            admin.commit();
            if (changed != rows.size()) {
                throw new IllegalStateException("INSERT batch of " + rows.size() + " rows changed " + changed);
            }
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(true);
        }
    }

    /**
     * H2: CHECKPOINT SYNC (write and force the store). SQLite: copy the WAL into the database file. A server:
     * its own way ({@link ServerProcess#settle}).
     */
    @Override
    public void settle() throws Exception {
        if (server != null) {
            server.settle(admin);
            return;
        }
        try (Statement s = admin.createStatement()) {
            s.execute(kind == Kind.H2 ? "CHECKPOINT SYNC" : "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** With sample parameter values, so the plan is the one the bound statement gets. */
    @Override
    public String explain(String workload) throws SQLException {
        String prefix = server != null ? server.explainPrefix() : kind == Kind.H2 ? "EXPLAIN " : "EXPLAIN QUERY PLAN ";
        Object[] params = switch (workload) {
            case "select" -> new Object[] {1};
            case "scan" -> new Object[] {100, 150};
            case "update" -> new Object[] {"x", 1};
            default -> new Object[0];
        };
        try (PreparedStatement ps = admin.prepareStatement(prefix + sql.of(workload))) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // H2: one column, the plan; SQLite: id, parent, notused, detail.
                    String line = rs.getString(rs.getMetaData().getColumnCount()).replaceAll("\\s+", " ").strip();
                    lines.add(kind == Kind.H2 ? h2AccessPaths(line) : line);
                }
            }
            return String.join("; ", lines);
        }
    }

    /**
     * H2's EXPLAIN prints the whole rewritten statement (every column of SELECT *); the access path of each
     * table is in the comment H2 writes after the table's name (e.g. {@code PUBLIC.PRIMARY_KEY_B: ID = ?1}),
     * and that is what the report shows.
     */
    private static String h2AccessPaths(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/\\*(.*?)\\*/").matcher(plan);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1).strip());
        }
        return paths.isEmpty() ? plan : String.join(", ", paths);
    }

    @Override
    public Session session(int index) throws SQLException {
        JdbcSession s = sessions.get(index);
        if (s == null) {
            s = new JdbcSession(connect());
            sessions.put(index, s);
        }
        return s;
    }

    @Override
    public Map<String, Long> counters() {
        return server == null ? Map.of() : server.counters(admin);
    }

    @Override
    public void close() throws Exception {
        SQLException first = null;
        for (JdbcSession s : sessions.values()) {
            try {
                s.connection.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        try {
            admin.close();
        } finally {
            if (server != null) {
                server.close();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private final class JdbcSession implements Session {
        final Connection connection;
        final PreparedStatement pointSelect;
        final PreparedStatement rangeScan;
        final PreparedStatement update;
        final PreparedStatement groupBy;

        JdbcSession(Connection connection) throws SQLException {
            this.connection = connection;
            this.pointSelect = connection.prepareStatement(sql.pointSelect());
            this.rangeScan = connection.prepareStatement(sql.rangeScan());
            this.update = connection.prepareStatement(sql.update());
            this.groupBy = connection.prepareStatement(sql.groupBy());
        }

        @Override
        public Answer pointSelect(int id) throws SQLException {
            pointSelect.setInt(1, id);
            return answer(pointSelect);
        }

        @Override
        public Answer rangeScan(int from, int length) throws SQLException {
            rangeScan.setInt(1, from);
            rangeScan.setInt(2, from + length);
            return answer(rangeScan);
        }

        @Override
        public long update(int id, String field0) throws SQLException {
            update.setString(1, field0);
            update.setInt(2, id);
            return update.executeUpdate();
        }

        @Override
        public List<long[]> groupBy() throws SQLException {
            List<long[]> out = new ArrayList<>();
            try (ResultSet rs = groupBy.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                }
            }
            return out;
        }
    }

    private static Answer answer(PreparedStatement ps) throws SQLException {
        int rows = 0;
        long ids = 0;
        long chars = 0;
        try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                rows++;
                ids += rs.getInt(1);
                Blackhole.consume(rs.getInt(2) + rs.getInt(3));
                for (int c = 4; c <= columns; c++) {
                    chars += rs.getString(c).length();
                }
            }
        }
        return new Answer(rows, ids, chars);
    }
}
