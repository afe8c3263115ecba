package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: statements over the wire start no threads. Pekko's CompletionStages run their continuations on the JDK's
 * default executor, which on a machine with fewer than three cores starts one thread per task; the wire layer used
 * to hit that several times per statement (a 50x slowdown). Method: after a warm-up (pools fill up), run
 * thousands of point selects, single-row autocommit UPDATEs and scans through pgjdbc (extended protocol, with and
 * without server-side prepared statements, plus simple queries) and compare the JVM's total started thread count
 * before and after: it must grow by far fewer than the number of statements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgWireThreadsTest {
    private static final int ROWS = 200;
    private static final int WARM_UP = 300;
    private static final int STATEMENTS = 2_000;
    /** Allowed growth: pools may still add a worker now and then, but nothing per statement. */
    private static final int THREADS_MAX = STATEMENTS / 20;

    @TempDir
    static Path dir;
    private PgWireFixture fixture;
    private Connection connection;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @BeforeAll
    void start() throws Exception {
        fixture = new PgWireFixture(dir);
        connection = fixture.connect();
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(20))");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setInt(1, i);
                insert.setString(2, "v" + i);
                insert.executeUpdate();
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        connection.close();
        fixture.close();
    }

    @Test
    void pointSelectsStartNoThreads() throws Exception {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, v FROM t WHERE id = ?")) {
            pointSelects(select, WARM_UP);
            long before = threads.getTotalStartedThreadCount();
            pointSelects(select, STATEMENTS);
            assertFewThreads(before, "point selects");
        }
    }

    @Test
    void updatesStartNoThreads() throws Exception {
        try (PreparedStatement update = connection.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
            updates(update, WARM_UP);
            long before = threads.getTotalStartedThreadCount();
            updates(update, STATEMENTS);
            assertFewThreads(before, "updates");
        }
    }

    @Test
    void scansAndSimpleQueriesStartNoThreads() throws Exception {
        try (PreparedStatement scan = connection.prepareStatement("SELECT id, v FROM t WHERE id >= ? AND id < ?");
                Statement simple = connection.createStatement()) {
            scansAndSimple(scan, simple, WARM_UP / 2);
            long before = threads.getTotalStartedThreadCount();
            scansAndSimple(scan, simple, STATEMENTS / 2);
            assertFewThreads(before, "scans and simple queries");
        }
    }

    private void assertFewThreads(long before, String what) {
        long started = threads.getTotalStartedThreadCount() - before;
        assertTrue(started < THREADS_MAX, STATEMENTS + " " + what + " started " + started + " threads (allowed < " + THREADS_MAX + ")");
    }

    private static void pointSelects(PreparedStatement select, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            select.setInt(1, i % ROWS);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("v" + (i % ROWS), rs.getString(2));
            }
        }
    }

    private static void updates(PreparedStatement update, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            update.setString(1, "v" + (i % ROWS));
            update.setInt(2, i % ROWS);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static void scansAndSimple(PreparedStatement scan, Statement simple, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            int from = i % (ROWS - 50);
            scan.setInt(1, from);
            scan.setInt(2, from + 50);
            int count = 0;
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    count++;
                }
            }
            assertEquals(50, count);
            try (ResultSet rs = simple.executeQuery("SELECT v FROM t WHERE id = " + (i % ROWS))) {
                assertTrue(rs.next());
            }
        }
    }
}
