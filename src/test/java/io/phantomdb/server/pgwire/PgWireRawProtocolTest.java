package io.phantomdb.server.pgwire;

import static io.phantomdb.server.pgwire.RawPgClient.status;
import static io.phantomdb.server.pgwire.RawPgClient.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the protocol details drivers depend on, checked on the bytes: ReadyForQuery's status is exactly the
 * session's ('I', 'T', 'E'), Execute with a row limit suspends the portal, SSLRequest without TLS is answered 'N',
 * malformed and oversized frames get FATAL 08P01 and the connection closes, CancelRequest cancels only with the
 * right key, and the connection limits (max-connections 53300, idle-in-transaction 25P03) hold.
 *
 * <p>Method: a node with a table of 200 rows; pgwire servers on free ports with trust authentication
 * ({@link PgWireFixture#trusting}; the SCRAM exchange is covered by the pgjdbc tests); a hand-written client
 * ({@link RawPgClient}).
 */
class PgWireRawProtocolTest {
    @TempDir
    static Path dir;
    static PgWireFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PgWireFixture.trusting(dir);
        f.node.execute("CREATE TABLE r (id INT PRIMARY KEY)");
        StringBuilder sql = new StringBuilder("INSERT INTO r VALUES (0)");
        for (int i = 1; i < 200; i++) {
            sql.append(", (").append(i).append(')');
        }
        f.node.execute(sql.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void readyForQueryCarriesTheExactTransactionStatus() throws Exception {
        try (RawPgClient c = new RawPgClient(f.server.port())) {
            assertEquals('I', status(c.login(PgWireFixture.USER)));
            c.query("BEGIN");
            assertEquals('T', status(c.readUntil('Z')));
            c.query("SELECT id FROM no_such_table");
            List<RawPgClient.Message> failed = c.readUntil('Z');
            assertEquals("42P01", failed.get(0).field('C'));
            assertEquals('E', status(failed));
            c.query("COMMIT");
            List<RawPgClient.Message> commit = c.readUntil('Z');
            assertEquals("ROLLBACK", commit.get(0).text().trim(), "COMMIT of a failed block answers ROLLBACK");
            assertEquals('I', status(commit));
            c.query("BEGIN; SELECT 1; COMMIT");
            List<RawPgClient.Message> three = c.readUntil('Z');
            assertEquals(List.of('C', 'T', 'D', 'C', 'C', 'Z'), types(three));
            assertEquals('I', status(three));
            c.query("  ");
            assertEquals('I', c.read().type(), "EmptyQueryResponse");
            assertEquals('I', status(c.readUntil('Z')));
        }
    }

    @Test
    void executeWithRowLimitSuspendsThePortal() throws Exception {
        try (RawPgClient c = f.login()) {
            c.query("BEGIN");
            c.readUntil('Z');
            c.parse("", "SELECT id FROM r");
            c.bind("cur", "");
            c.execute("cur", 30);
            c.sync();
            List<RawPgClient.Message> first = c.readUntil('Z');
            assertEquals(30, first.stream().filter(m -> m.type() == 'D').count());
            assertEquals('s', first.get(first.size() - 2).type(), "PortalSuspended after the limit");
            c.execute("cur", 0);
            c.sync();
            List<RawPgClient.Message> rest = c.readUntil('Z');
            assertEquals(170, rest.stream().filter(m -> m.type() == 'D').count());
            assertEquals("SELECT 170", rest.get(rest.size() - 2).text().trim());
            assertEquals('T', status(rest));
        }
    }

    @Test
    void sslRequestWithoutTlsIsAnsweredNAndStartupGoesOn() throws Exception {
        try (RawPgClient c = new RawPgClient(f.server.port())) {
            c.request(FrameDecoder.SSL_REQUEST_CODE);
            assertEquals('N', c.readByte());
            assertEquals('I', status(c.login(PgWireFixture.USER)));
        }
    }

    @Test
    void oversizedMessageIsAProtocolViolationAndCloses() throws Exception {
        try (RawPgClient c = f.login()) {
            byte[] header = ByteBuffer.allocate(5).put((byte) 'Q').putInt(PgWireSettings.defaults().maxMessageBytes() + 1).array();
            c.sendRaw(header);
            RawPgClient.Message error = c.read();
            assertEquals('E', error.type());
            assertEquals("08P01", error.field('C'));
            assertEquals("FATAL", error.field('S'));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void malformedMessagesAreProtocolViolations() throws Exception {
        try (RawPgClient c = f.login()) {
            c.sendRaw(ByteBuffer.allocate(5).put((byte) 'Q').putInt(2).array()); // length below its own size
            assertEquals("08P01", c.read().field('C'));
            assertTrue(c.closedByServer());
        }
        try (RawPgClient c = f.login()) {
            c.send('Q', b -> b.write(new byte[] {'S', 'E', 'L'})); // no terminating NUL
            assertEquals("08P01", c.read().field('C'));
            assertTrue(c.closedByServer());
        }
        try (RawPgClient c = new RawPgClient(f.server.port())) {
            c.startup(2 << 16, Map.of("user", PgWireFixture.USER));
            RawPgClient.Message error = c.read();
            assertEquals("0A000", error.field('C'));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void cancelRequestNeedsTheRightKey() throws Exception {
        String slow = "SELECT COUNT(*) FROM r a, r b, r c WHERE a.id + b.id + c.id >= 0"; // 8M rows through the join, batch by batch
        try (RawPgClient c = new RawPgClient(f.server.port())) {
            List<RawPgClient.Message> login = c.login(PgWireFixture.USER);
            ByteBuffer key = ByteBuffer.wrap(login.stream().filter(m -> m.type() == 'K').findFirst().orElseThrow().body());
            int pid = key.getInt();
            int secret = key.getInt();
            c.query(slow); // compiles the plan, so the timed runs below start executing at once
            assertEquals("SELECT 1", c.readUntil('Z').stream().filter(m -> m.type() == 'C').findFirst().orElseThrow().text().trim());

            c.query(slow);
            Thread.sleep(200);
            cancel(pid, secret + 1);
            List<RawPgClient.Message> untouched = c.readUntil('Z');
            assertTrue(untouched.stream().anyMatch(m -> m.type() == 'C'), "a wrong key cancels nothing");

            c.query(slow);
            Thread.sleep(100);
            cancel(pid, secret);
            List<RawPgClient.Message> cancelled = c.readUntil('Z');
            RawPgClient.Message error = cancelled.stream().filter(m -> m.type() == 'E').findFirst().orElseThrow();
            assertEquals("57014", error.field('C'));
            assertEquals("canceling statement due to user request", error.field('M'));
            c.query("SELECT COUNT(*) FROM r");
            assertTrue(c.readUntil('Z').stream().anyMatch(m -> m.type() == 'D'), "the connection works after a cancel");
        }
    }

    @Test
    void maxConnectionsRefusesTheNextClientWith53300() throws Exception {
        PgWireServer small = f.start(PgWireSettings.defaults().withLimits(2, Duration.ZERO));
        try (RawPgClient a = new RawPgClient(small.port()); RawPgClient b = new RawPgClient(small.port())) {
            a.login(PgWireFixture.USER);
            b.login(PgWireFixture.USER);
            try (RawPgClient c = new RawPgClient(small.port())) {
                c.startup(3 << 16, Map.of("user", PgWireFixture.USER));
                RawPgClient.Message error = c.read();
                assertEquals("53300", error.field('C'));
                assertEquals("sorry, too many clients already", error.field('M'));
                assertTrue(c.closedByServer());
            }
        } finally {
            PgWireFixture.stop(small);
        }
    }

    @Test
    void idleInTransactionTimeoutClosesWith25P03() throws Exception {
        PgWireServer strict = f.start(PgWireSettings.defaults().withLimits(100, Duration.ofMillis(300)));
        try (RawPgClient c = new RawPgClient(strict.port())) {
            c.login(PgWireFixture.USER);
            c.query("SELECT 1");
            c.readUntil('Z');
            Thread.sleep(600);
            c.query("BEGIN"); // idle outside a block is fine
            assertEquals('T', status(c.readUntil('Z')));
            RawPgClient.Message fatal = c.read(); // arrives unasked after the timeout
            assertEquals("25P03", fatal.field('C'));
            assertEquals("FATAL", fatal.field('S'));
            assertTrue(c.closedByServer());
        } finally {
            PgWireFixture.stop(strict);
        }
    }

    private static void cancel(int pid, int secret) throws Exception {
        try (RawPgClient canceller = new RawPgClient(f.server.port())) {
            canceller.request(FrameDecoder.CANCEL_REQUEST_CODE, pid, secret);
            assertTrue(canceller.closedByServer(), "the server closes a cancel connection without an answer");
        }
    }
}
