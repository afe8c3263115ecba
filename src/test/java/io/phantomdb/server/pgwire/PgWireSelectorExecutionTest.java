package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with {@code nio-execution = selector} (streams on the selector threads) the protocol works for many
 * connections at once, spread over the loops, with durable commits (they complete on the commit pipeline's thread,
 * then the answer must reach the connection's loop); connections cost no thread each; stop() with connections inside
 * transaction blocks rolls the blocks back and releases their locks. Method: a node, pgwire on nio with two selector
 * threads (trust authentication, {@link PgWireFixture#trusting}), pgjdbc clients on a few client threads; the test
 * of stop() starts servers of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgWireSelectorExecutionTest {
    private static final int LOOPS = 2;
    private static final int CLIENTS = 8;
    private static final int STATEMENTS = 60;
    private static final int ROWS = 100;
    private static final int IDLE_CONNECTIONS = 40;

    private static final PgWireSettings SETTINGS = PgWireSettings.defaults()
            .withNioExecution(PgWireSettings.NioExecution.SELECTOR, LOOPS);

    @TempDir
    static Path dir;
    private PgWireFixture f;

    @BeforeAll
    void start() throws Exception {
        f = PgWireFixture.trusting(dir, SETTINGS);
        f.node.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT) WITH (partitions = 2)");
        for (int i = 0; i < ROWS; i++) {
            f.node.execute("INSERT INTO t VALUES (?, 0)", i);
        }
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    /** Each client owns rows id % CLIENTS == client: its updates commit, its selects see its own last value. */
    @Test
    void statementsOfManyConnectionsAreAllAnswered() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int me = client;
                done.add(clients.submit(() -> runClient(me)));
            }
            for (Future<Integer> answered : done) {
                assertEquals(STATEMENTS, answered.get(120, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private int runClient(int me) throws SQLException {
        int answered = 0;
        try (Connection c = f.connect();
                PreparedStatement update = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?");
                PreparedStatement select = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            for (int i = 0; i < STATEMENTS; i++) {
                int id = me + CLIENTS * (i % (ROWS / CLIENTS)); // ids of this client only
                update.setInt(1, i + 1);
                update.setInt(2, id);
                assertEquals(1, update.executeUpdate());
                select.setInt(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(i + 1, rs.getInt(1), "client " + me + " reads its own commit");
                }
                answered++;
            }
        }
        return answered;
    }

    /** 40 open connections, each having run a statement: far fewer than 40 threads started. */
    @Test
    void connectionsCostNoThreadEach() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Connection> open = new ArrayList<>();
        try {
            open.add(f.connect()); // warm-up: pools fill
            long before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                Connection c = f.connect();
                open.add(c);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = " + i)) {
                    assertTrue(rs.next());
                }
            }
            long started = threads.getTotalStartedThreadCount() - before;
            assertTrue(started < IDLE_CONNECTIONS / 4, IDLE_CONNECTIONS + " connections started " + started + " threads");
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /** Connections on both loops hold row locks in open blocks; stop() rolls them back and frees the rows. */
    @Test
    void stopRollsBackOpenBlocks() throws Exception {
        PgWireServer server = f.start(SETTINGS);
        List<Connection> inBlocks = new ArrayList<>();
        try {
            for (int i = 0; i < LOOPS * 2; i++) {
                Connection c = PgWireFixture.connect(server, "");
                inBlocks.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    assertEquals(1, s.executeUpdate("UPDATE t SET v = -1 WHERE id = " + (ROWS - 1 - i)));
                    assertEquals(1, s.executeUpdate("INSERT INTO t VALUES (" + (ROWS + i) + ", -1)"));
                }
            }
            PgWireFixture.stop(server);
        } finally {
            for (Connection c : inBlocks) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server closed it
                }
            }
        }
        PgWireServer after = f.start(SETTINGS);
        try (Connection c = PgWireFixture.connect(after, ""); Statement s = c.createStatement()) {
            for (int i = 0; i < LOOPS * 2; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t WHERE id = " + (ROWS + i))) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getLong(1), "the insert of block " + i + " rolled back");
                }
                // a lock still held would make this wait and fail with 55P03
                assertEquals(1, s.executeUpdate("UPDATE t SET v = 0 WHERE id = " + (ROWS - 1 - i)), "row lock released");
            }
        } finally {
            PgWireFixture.stop(after);
        }
    }
}
