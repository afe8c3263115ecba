package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Engine;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: what the nio transport must guarantee under the real protocol: a request larger than max-buffered-input,
 * written in pieces, is served while the server's buffered input stays bounded; a client that stops reading a large
 * result holds the server back (the scan reads only a part of the table ahead of the reader); a client that vanishes
 * mid-result frees its connection slot and its open transaction rolls back; stop() closes open connections and ends
 * the selector threads; many short connections leak neither threads nor file descriptors. Method: a node with a
 * 24 MB table (flushed, so block reads can be counted), pgwire on nio with a small max-buffered-input and read
 * buffer and trust authentication ({@link PgWireFixture#trusting}: the raw client does not speak SCRAM), pgjdbc and
 * the byte-level {@link RawPgClient}. Waits for asynchronous effects poll a condition a bounded
 * number of times; nothing here measures time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgWireNioTest {
    private static final int MAX_BUFFERED_INPUT = 2 << 10;
    private static final int READ_BUFFER = 1 << 10;
    private static final int ROWS = 24_000;
    private static final String PAD = "x".repeat(1000);
    private static final int WAIT_STEPS = 400;
    private static final long WAIT_STEP_MILLIS = 50;
    private static final int SHORT_CONNECTIONS = 150;

    /** nio with small input limits, two selector threads. */
    private static final PgWireSettings SETTINGS = PgWireSettings.defaults()
            .withTransport(PgWireSettings.Transport.NIO, 2, MAX_BUFFERED_INPUT, READ_BUFFER);

    @TempDir
    static Path dir;
    private PgWireFixture f;
    private NioTransport nio;

    @BeforeAll
    void start() throws Exception {
        f = PgWireFixture.trusting(dir, SETTINGS);
        nio = f.server.nioTransport();
        assertNotNull(nio, "nio is the transport asked for");
        try (Connection c = f.connect()) {
            c.createStatement().execute("CREATE TABLE big (id INT PRIMARY KEY, pad TEXT) WITH (partitions = 2)");
            c.createStatement().execute("CREATE TABLE docs (id INT PRIMARY KEY, v TEXT)");
            for (int from = 0; from < ROWS; from += 500) {
                StringBuilder sql = new StringBuilder("INSERT INTO big VALUES ");
                for (int i = from; i < from + 500; i++) {
                    sql.append(i == from ? "" : ", ").append('(').append(i).append(", '").append(PAD).append("')");
                }
                c.createStatement().executeUpdate(sql.toString());
            }
        }
        f.node.db().localEngines().forEach(Engine::flush);
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    /** pgjdbc sends the 1 MB Bind in one write; the server takes it 1 KiB at a time and holds at most 2 KiB + 1 KiB. */
    @Test
    void aRequestLargerThanTheInputLimitIsServed() throws Exception {
        String value = "v".repeat(1 << 20);
        try (Connection c = f.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO docs VALUES (?, ?)")) {
            insert.setInt(1, 1);
            insert.setString(2, value);
            assertEquals(1, insert.executeUpdate());
            try (ResultSet rs = c.createStatement().executeQuery("SELECT v FROM docs WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals(value, rs.getString(1));
            }
        }
        assertTrue(nio.bufferedInputHighWater() <= MAX_BUFFERED_INPUT + READ_BUFFER,
                "input held ahead of the stream: " + nio.bufferedInputHighWater());
    }

    /**
     * The client reads one row of a 24 MB result and then nothing (a 16 KiB receive buffer): once the server's
     * block reads stop growing, they cover well under half of the table (what the socket buffers hold, not all).
     */
    @Test
    void aSlowReaderHoldsTheServerBack() throws Exception {
        List<Engine> engines = f.node.db().localEngines();
        try (RawPgClient c = new RawPgClient(f.server.port())) {
            c.socket.setReceiveBufferSize(16 << 10);
            login(c);
            long before = PgWireFixture.blocksRead(engines);
            c.query("SELECT id, pad FROM big");
            assertEquals('T', c.read().type());
            assertEquals('D', c.read().type());
            long read = settledBlocksRead(engines);
            long total = PgWireFixture.totalBlocks(engines);
            assertTrue(total > 1000, "table spans many blocks: " + total);
            assertTrue(read - before < total / 2, "with the reader stalled the scan read " + (read - before) + " of " + total + " blocks");
        }
        awaitTrue(() -> f.server.connections() == 0, "the connection slot is free after close");
    }

    /** A client in a transaction block resets its socket mid-result: the slot is freed, the update rolled back. */
    @Test
    void anAbruptDisconnectMidResultFreesTheSlotAndRollsBack() throws Exception {
        RawPgClient c = new RawPgClient(f.server.port());
        c.socket.setReceiveBufferSize(16 << 10);
        login(c);
        c.query("BEGIN");
        c.readUntil('Z');
        c.query("UPDATE big SET pad = 'changed' WHERE id = 7");
        assertEquals('C', c.readUntil('C').get(0).type());
        c.readUntil('Z');
        c.query("SELECT id, pad FROM big");
        assertEquals('T', c.read().type());
        assertEquals('D', c.read().type());
        assertEquals(1, f.server.connections());
        c.socket.setSoLinger(true, 0); // close sends RST: the client vanished, no Terminate
        c.close();
        awaitTrue(() -> f.server.connections() == 0 && nio.openConnections() == 0, "the connection slot is freed");
        try (Connection other = f.connect()) {
            try (ResultSet rs = other.createStatement().executeQuery("SELECT pad FROM big WHERE id = 7")) {
                assertTrue(rs.next());
                assertEquals(PAD, rs.getString(1), "the open block rolled back");
            }
            assertEquals(1, other.createStatement().executeUpdate("UPDATE big SET pad = '" + PAD + "' WHERE id = 7"),
                    "the row lock is released");
        }
    }

    /** stop() closes a logged-in connection and one that never sent a byte, and its selector threads end. */
    @Test
    void stopClosesConnectionsAndEndsTheSelectorThreads() throws Exception {
        PgWireServer other = f.start(SETTINGS);
        List<Thread> selectors = other.nioTransport().selectorThreads();
        assertEquals(2, selectors.size());
        assertTrue(selectors.stream().allMatch(t -> t.isDaemon() && t.getName().startsWith("phantom-pgwire-selector-")));
        try (RawPgClient in = new RawPgClient(other.port()); RawPgClient silent = new RawPgClient(other.port())) {
            login(in);
            in.query("BEGIN");
            in.readUntil('Z');
            awaitTrue(() -> other.nioTransport().openConnections() == 2, "both connections accepted");
            PgWireFixture.stop(other);
            assertTrue(closed(in), "the logged-in connection is closed");
            assertTrue(closed(silent), "the connection without startup is closed");
        }
        for (Thread t : selectors) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " runs after stop");
        }
        awaitTrue(() -> other.connections() == 0, "no connection left admitted");
    }

    /** 150 connections, each logs in, queries and leaves (half with Terminate, half by closing): nothing leaks. */
    @Test
    void shortConnectionsLeakNoThreadsOrDescriptors() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        shortConnections(10); // warm-up: pools fill
        awaitTrue(() -> nio.openConnections() == 0, "warm-up connections closed");
        long fdsBefore = openDescriptors();
        long threadsBefore = threads.getTotalStartedThreadCount();
        shortConnections(SHORT_CONNECTIONS);
        awaitTrue(() -> nio.openConnections() == 0 && f.server.connections() == 0, "every short connection closed");
        awaitTrue(() -> openDescriptors() <= fdsBefore + 5, "descriptors back to " + fdsBefore + " (+5)");
        long started = threads.getTotalStartedThreadCount() - threadsBefore;
        assertTrue(started < SHORT_CONNECTIONS / 10, SHORT_CONNECTIONS + " connections started " + started + " threads");
    }

    private void shortConnections(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (RawPgClient c = new RawPgClient(f.server.port())) {
                login(c);
                c.query("SELECT 1");
                c.readUntil('Z');
                if (i % 2 == 0) {
                    c.send('X', b -> { });
                    assertTrue(closed(c), "Terminate closes the connection");
                }
            }
        }
    }

    private static void login(RawPgClient c) throws IOException {
        c.login(PgWireFixture.USER); // up to ReadyForQuery; a refusal would end in EOF
    }

    private static boolean closed(RawPgClient c) {
        try {
            return c.closedByServer();
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private static long openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Polls until the block-read count holds still for a few polls (the stalled scan stopped reading). */
    private static long settledBlocksRead(List<Engine> engines) throws InterruptedException {
        long last = PgWireFixture.blocksRead(engines);
        int still = 0;
        for (int i = 0; i < WAIT_STEPS && still < 6; i++) {
            Thread.sleep(WAIT_STEP_MILLIS);
            long now = PgWireFixture.blocksRead(engines);
            still = now == last ? still + 1 : 0;
            last = now;
        }
        return last;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < WAIT_STEPS && !condition.getAsBoolean(); i++) {
            Thread.sleep(WAIT_STEP_MILLIS);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
