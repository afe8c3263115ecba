package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Engine;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: pgjdbc 42.7, unmodified, works against Phantom-DB's wire protocol the way applications use it: DDL, DML
 * with update counts, prepared statements with every supported type in text and binary formats, batches,
 * transactions (commit, rollback, isolation, a serialization failure at COMMIT), fetch-size streaming, errors
 * with their SQLSTATE, cancel and statement timeout, authentication failures.
 *
 * <p>Method: one node with a pgwire server on a free loopback port for the class (1 MiB query memory budget, small
 * batches); each test uses its own tables and connections and checks results through the driver's API.
 */
class PgWireJdbcTest {
    @TempDir
    static Path dir;
    static PgWireFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new PgWireFixture(dir, Map.of("phantom.sql.query-memory-budget", "1 MiB", "phantom.sql.batch-rows", 64,
                "phantom.storage.block-cache-size", "1 MiB"), PgWireSettings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void ddlAndDmlReportUpdateCounts() throws SQLException {
        try (Connection c = f.connect(); Statement s = c.createStatement()) {
            assertEquals(0, s.executeUpdate("CREATE TABLE counts (id INT PRIMARY KEY, v INT)"));
            assertEquals(3, s.executeUpdate("INSERT INTO counts VALUES (1, 10), (2, 20), (3, 30)"));
            assertEquals(2, s.executeUpdate("UPDATE counts SET v = v + 1 WHERE id >= 2"));
            assertEquals(1, s.executeUpdate("DELETE FROM counts WHERE id = 1"));
            assertEquals(0, s.executeUpdate("DELETE FROM counts WHERE id = 99"));
            try (ResultSet rs = s.executeQuery("SELECT id, v FROM counts ORDER BY id")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt("id"));
                assertEquals(21, rs.getInt("v"));
                assertTrue(rs.next());
                assertEquals(31, rs.getInt(2));
                assertFalse(rs.next());
            }
        }
    }

    /** prepareThreshold=1 + binaryTransfer makes pgjdbc switch to binary parameters and results after the first run. */
    @ParameterizedTest
    @ValueSource(strings = {"prepareThreshold=0&binaryTransfer=false", "prepareThreshold=1&binaryTransfer=true"})
    void everyTypeRoundTrips(String mode) throws SQLException {
        String table = mode.contains("true") ? "types_binary" : "types_text";
        try (Connection c = f.connect(mode)) {
            c.createStatement().execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, s SMALLINT, i INT, l BIGINT, "
                    + "d DECIMAL(20, 4), r REAL, f DOUBLE PRECISION, t TEXT, b BOOLEAN, dt DATE, ts TIMESTAMP, bin BYTEA)");
            Object[][] rows = {
                {(short) -7, 123456, 9_000_000_000L, new BigDecimal("-12345.6789"), 1.5f, Math.PI, "héllo ' \"", true,
                    Date.valueOf("2024-02-29"), Timestamp.valueOf("2024-02-29 13:14:15.123456"), new byte[] {0, 1, (byte) 0xff}},
                {Short.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, new BigDecimal("0.0001"), -0.25f, 1e300, "", false,
                    Date.valueOf("1999-12-31"), Timestamp.valueOf("1999-12-31 23:59:59"), new byte[0]},
            };
            for (int run = 0; run < 3; run++) { // later runs use the server-prepared (binary) path
                for (int r = 0; r < rows.length; r++) {
                    insertTyped(c, table, run * 10 + r, rows[r]);
                    assertTypedRow(c, table, run * 10 + r, rows[r]);
                }
            }
            try (PreparedStatement nulls = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                nulls.setInt(1, 100);
                int[] sqlTypes = {Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.REAL, Types.DOUBLE,
                    Types.VARCHAR, Types.BOOLEAN, Types.DATE, Types.TIMESTAMP, Types.BINARY};
                for (int i = 0; i < sqlTypes.length; i++) {
                    nulls.setNull(i + 2, sqlTypes[i]);
                }
                assertEquals(1, nulls.executeUpdate());
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table + " WHERE id = 100")) {
                assertTrue(rs.next());
                for (int i = 2; i <= 12; i++) {
                    assertNull(rs.getObject(i), "column " + i);
                }
            }
        }
    }

    private static void insertTyped(Connection c, String table, int id, Object[] v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setInt(1, id);
            p.setShort(2, (Short) v[0]);
            p.setInt(3, (Integer) v[1]);
            p.setLong(4, (Long) v[2]);
            p.setBigDecimal(5, (BigDecimal) v[3]);
            p.setFloat(6, (Float) v[4]);
            p.setDouble(7, (Double) v[5]);
            p.setString(8, (String) v[6]);
            p.setBoolean(9, (Boolean) v[7]);
            p.setDate(10, (Date) v[8]);
            p.setTimestamp(11, (Timestamp) v[9]);
            p.setBytes(12, (byte[]) v[10]);
            assertEquals(1, p.executeUpdate());
        }
    }

    private static void assertTypedRow(Connection c, String table, int id, Object[] v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT s, i, l, d, r, f, t, b, dt, ts, bin FROM " + table + " WHERE id = ?")) {
            p.setInt(1, id);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(v[0], rs.getShort(1));
                assertEquals(v[1], rs.getInt(2));
                assertEquals(v[2], rs.getLong(3));
                assertEquals(0, ((BigDecimal) v[3]).compareTo(rs.getBigDecimal(4)), "decimal " + rs.getBigDecimal(4));
                assertEquals(v[4], rs.getFloat(5));
                assertEquals(v[5], rs.getDouble(6));
                assertEquals(v[6], rs.getString(7));
                assertEquals(v[7], rs.getBoolean(8));
                assertEquals(v[8], rs.getDate(9));
                assertEquals(v[9], rs.getTimestamp(10));
                assertArrayEquals((byte[]) v[10], rs.getBytes(11));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void batchReturnsOneCountPerStatement() throws SQLException {
        try (Connection c = f.connect()) {
            c.createStatement().execute("CREATE TABLE batched (id INT PRIMARY KEY, v TEXT)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO batched VALUES (?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    p.setInt(1, i);
                    p.setString(2, "v" + i);
                    p.addBatch();
                }
                int[] counts = p.executeBatch();
                assertEquals(50, counts.length);
                for (int n : counts) {
                    assertEquals(1, n);
                }
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("UPDATE batched SET v = 'x' WHERE id < 10");
                s.addBatch("DELETE FROM batched WHERE id >= 40");
                assertArrayEquals(new int[] {10, 10}, s.executeBatch());
            }
            assertEquals(40, count(c, "SELECT COUNT(*) FROM batched"));
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws SQLException {
        try (Connection c = f.connect(); Connection other = f.connect()) {
            c.createStatement().execute("CREATE TABLE accounts (id INT PRIMARY KEY, v INT)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO accounts VALUES (1, 100)");
            assertEquals(0, count(other, "SELECT COUNT(*) FROM accounts"), "uncommitted rows are invisible to others");
            c.commit();
            assertEquals(1, count(other, "SELECT COUNT(*) FROM accounts"));
            c.createStatement().executeUpdate("INSERT INTO accounts VALUES (2, 200)");
            c.rollback();
            assertEquals(1, count(other, "SELECT COUNT(*) FROM accounts"));

            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertEquals("serializable", text(c, "SHOW transaction_isolation"));
            c.commit();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertEquals("repeatable read", text(c, "SHOW transaction_isolation"));
            c.commit();
        }
    }

    /** A failed statement fails the block (ReadyForQuery 'E'): later statements get 25P02 and COMMIT rolls back. */
    @Test
    void errorInBlockFailsItAndCommitRollsBack() throws SQLException {
        try (Connection c = f.connect(); Connection other = f.connect()) {
            c.createStatement().execute("CREATE TABLE failing (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO failing VALUES (1)");
            SQLException dup = assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("INSERT INTO failing VALUES (1)"));
            assertEquals("23505", dup.getSQLState());
            SQLException aborted = assertThrows(SQLException.class, () -> c.createStatement().executeQuery("SELECT 1"));
            assertEquals("25P02", aborted.getSQLState());
            c.commit(); // pgjdbc sends COMMIT since the status is 'E'; the server answers ROLLBACK
            c.setAutoCommit(true);
            assertEquals(0, count(other, "SELECT COUNT(*) FROM failing"));
        }
    }

    /** Durability rule (DESIGN.md): a COMMIT that fails answers ErrorResponse 40001, and nothing is committed. */
    @Test
    void serializationFailureAtCommitIsAnError() throws SQLException {
        try (Connection c = f.connect(); Connection other = f.connect()) {
            c.createStatement().execute("CREATE TABLE skew (id INT PRIMARY KEY, v INT)");
            c.createStatement().executeUpdate("INSERT INTO skew VALUES (1, 0), (2, 0)");
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertEquals(0, count(c, "SELECT v FROM skew WHERE id = 1"));
            c.createStatement().executeUpdate("UPDATE skew SET v = 5 WHERE id = 2");
            assertEquals(1, other.createStatement().executeUpdate("UPDATE skew SET v = 7 WHERE id = 1"));
            SQLException e = assertThrows(SQLException.class, c::commit);
            assertEquals("40001", e.getSQLState());
            c.setAutoCommit(true);
            assertEquals(0, count(other, "SELECT v FROM skew WHERE id = 2"), "the failed transaction's write is not committed");
        }
    }

    @Test
    void errorsCarrySqlStateAndTheConnectionGoesOn() throws SQLException {
        try (Connection c = f.connect(); Statement s = c.createStatement()) {
            assertEquals("42P01", assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table")).getSQLState());
            assertEquals("42601", assertThrows(SQLException.class, () -> s.executeQuery("SELEC 1")).getSQLState());
            s.execute("CREATE TABLE uniq (id INT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO uniq VALUES (1)");
            assertEquals("23505", assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO uniq VALUES (1)")).getSQLState());
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM uniq WHERE id = ?")) {
                p.setString(1, "not a number");
                assertEquals("22P02", assertThrows(SQLException.class, p::executeQuery).getSQLState());
            }
            assertEquals(1, count(c, "SELECT COUNT(*) FROM uniq"));
        }
    }

    @Test
    void simpleQueryRunsSeveralStatementsAndStopsAtTheFirstError() throws SQLException {
        try (Connection c = f.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE multi (id INT PRIMARY KEY, t TEXT); INSERT INTO multi VALUES (1, 'a;b'); "
                    + "INSERT INTO multi VALUES (2, 'c;d') /* ; */ -- ;\n");
            assertEquals(2, count(c, "SELECT COUNT(*) FROM multi"));
            assertThrows(SQLException.class, () -> s.execute("INSERT INTO multi VALUES (3, 'x'); INSERT INTO multi VALUES (1, 'dup'); "
                    + "INSERT INTO multi VALUES (4, 'never')"));
            assertEquals(2, count(c, "SELECT COUNT(*) FROM multi"),
                    "one implicit transaction: the statement before the error rolled back, the one after it never ran");
            assertEquals("a;b", text(c, "SELECT t FROM multi WHERE id = 1"));
        }
    }

    /**
     * setFetchSize in a transaction makes pgjdbc Execute with a row limit: the server sends that many rows and
     * suspends the portal, and the scan reads only what was asked for (block reads stay a small fraction of the
     * table); then the whole result arrives, every row exactly once.
     */
    @Test
    void fetchSizeStreamsALargeResult() throws SQLException {
        int rows = 16_000;
        String pad = "x".repeat(1000);
        try (Connection c = f.connect()) {
            c.createStatement().execute("CREATE TABLE big (id INT PRIMARY KEY, pad TEXT) WITH (partitions = 2)");
            for (int from = 0; from < rows; from += 500) {
                StringBuilder sql = new StringBuilder("INSERT INTO big VALUES ");
                for (int i = from; i < from + 500; i++) {
                    sql.append(i == from ? "" : ", ").append('(').append(i).append(", '").append(pad).append("')");
                }
                c.createStatement().executeUpdate(sql.toString());
            }
            List<Engine> engines = f.node.db().localEngines();
            engines.forEach(Engine::flush);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(100);
                long before = PgWireFixture.blocksRead(engines);
                try (ResultSet rs = s.executeQuery("SELECT id, pad FROM big")) {
                    BitSet seen = new BitSet();
                    for (int i = 0; i < 200; i++) {
                        assertTrue(rs.next());
                        seen.set(rs.getInt(1));
                    }
                    long read = PgWireFixture.blocksRead(engines) - before;
                    long total = PgWireFixture.totalBlocks(engines);
                    assertTrue(total > 500, "table spans many blocks: " + total);
                    assertTrue(read < total / 4, "200 fetched rows read " + read + " of " + total + " blocks");
                    int n = 200;
                    while (rs.next()) {
                        assertFalse(seen.get(rs.getInt(1)), "row " + rs.getInt(1) + " twice");
                        seen.set(rs.getInt(1));
                        assertEquals(pad.length(), rs.getString(2).length());
                        n++;
                    }
                    assertEquals(rows, n);
                    assertEquals(rows, seen.cardinality());
                }
            }
            c.commit();
        }
    }

    @Test
    void cancelStopsALongQueryAndTheConnectionStaysUsable() throws Exception {
        try (Connection c = f.connect()) {
            c.createStatement().execute("CREATE TABLE spin (id INT PRIMARY KEY)");
            StringBuilder sql = new StringBuilder("INSERT INTO spin VALUES (0)");
            for (int i = 1; i < 400; i++) {
                sql.append(", (").append(i).append(')');
            }
            c.createStatement().executeUpdate(sql.toString());
            c.setAutoCommit(false);
            Statement s = c.createStatement();
            String slow = "SELECT COUNT(*) FROM spin a, spin b, spin c WHERE a.id + b.id + c.id >= 0"; // 64M rows through the join
            try (PreparedStatement plan = c.prepareStatement(slow)) {
                plan.getMetaData(); // Parse + Describe: the plan is compiled and cached now, so Execute starts at once below
            }
            CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    s.executeQuery(slow);
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(1000);
            s.cancel(); // pgjdbc sends one CancelRequest per execution
            SQLException e = outcome.get(30, TimeUnit.SECONDS);
            assertTrue(e != null, "the query was cancelled");
            assertEquals("57014", e.getSQLState());
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(400, count(c, "SELECT COUNT(*) FROM spin"));
        }
    }

    @Test
    void statementTimeoutCancelsWith57014() throws SQLException {
        try (Connection c = f.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE slow (id INT PRIMARY KEY)");
            StringBuilder sql = new StringBuilder("INSERT INTO slow VALUES (0)");
            for (int i = 1; i < 400; i++) {
                sql.append(", (").append(i).append(')');
            }
            s.executeUpdate(sql.toString());
            s.execute("SET statement_timeout = 200");
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT COUNT(*) FROM slow a, slow b, slow c WHERE a.id + b.id + c.id >= 0"));
            assertEquals("57014", e.getSQLState());
            assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
            s.execute("SET statement_timeout = 0");
            assertEquals(400, count(c, "SELECT COUNT(*) FROM slow"));
        }
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameError() {
        SQLException wrong = assertThrows(SQLException.class, () -> f.connect("", PgWireFixture.USER, "nope"));
        SQLException unknown = assertThrows(SQLException.class, () -> f.connect("", "mallory", "pw"));
        assertEquals("28P01", wrong.getSQLState());
        assertEquals("28P01", unknown.getSQLState());
        assertTrue(wrong.getMessage().contains("password authentication failed for user \"alice\""), wrong.getMessage());
        assertTrue(unknown.getMessage().contains("password authentication failed for user \"mallory\""), unknown.getMessage());
    }

    static long count(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
