package io.phantomdb.server.pgwire;

import static io.phantomdb.server.pgwire.RawPgClient.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: holding extended-query answers back until Sync or Flush (one TCP write per statement, as PostgreSQL does)
 * keeps the protocol's order and liveness: Flush makes every answer so far visible without Sync, an error after
 * held answers arrives after them, a streamed scan follows the answers held before it, and a tiny
 * output-buffer-size writes early. Method: a node with a 200-row table, a trust pgwire server on a free port
 * ({@link PgWireFixture#trusting}), and the byte-level {@link RawPgClient}; every read has the client's socket
 * timeout, so a held-back answer that never comes fails the test instead of hanging it.
 */
class PgWireOutputTest {
    @TempDir
    static Path dir;
    static PgWireFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PgWireFixture.trusting(dir);
        f.node.execute("CREATE TABLE r (id INT PRIMARY KEY, v VARCHAR(10))");
        StringBuilder sql = new StringBuilder("INSERT INTO r VALUES (0, 'v0')");
        for (int i = 1; i < 200; i++) {
            sql.append(", (").append(i).append(", 'v").append(i).append("')");
        }
        f.node.execute(sql.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void flushSendsEverythingHeldWithoutSync() throws Exception {
        try (RawPgClient c = f.login()) {
            c.parse("", "SELECT v FROM r WHERE id = 7");
            c.bind("", "");
            c.execute("", 0);
            c.send('H', b -> { });
            List<RawPgClient.Message> answers = c.readUntil('C');
            assertEquals(List.of('1', '2', 'D', 'C'), types(answers));
            assertEquals("SELECT 1", answers.get(3).text().trim());
            c.sync();
            assertEquals(List.of('Z'), types(c.readUntil('Z')));
        }
    }

    @Test
    void anErrorArrivesAfterTheAnswersHeldBeforeIt() throws Exception {
        try (RawPgClient c = f.login()) {
            c.parse("", "SELECT v FROM r WHERE id = 7");
            c.bind("", "no_such_statement");
            c.execute("", 0); // skipped until Sync
            c.sync();
            List<RawPgClient.Message> answers = c.readUntil('Z');
            assertEquals(List.of('1', 'E', 'Z'), types(answers));
            assertEquals("26000", answers.get(1).field('C'));
        }
    }

    @Test
    void aStreamedScanFollowsTheHeldAnswers() throws Exception {
        try (RawPgClient c = f.login()) {
            c.parse("", "SELECT id FROM r WHERE id >= 10 AND id < 60");
            c.bind("", "");
            c.execute("", 0);
            c.parse("", "UPDATE r SET v = 'w' WHERE id = 3");
            c.bind("", "");
            c.execute("", 0);
            c.sync();
            List<RawPgClient.Message> answers = c.readUntil('Z');
            List<Character> expected = new ArrayList<>(List.of('1', '2'));
            expected.addAll(Collections.nCopies(50, 'D'));
            expected.addAll(List.of('C', '1', '2', 'C', 'Z'));
            assertEquals(expected, types(answers));
            assertEquals("SELECT 50", answers.get(52).text().trim());
            assertEquals("UPDATE 1", answers.get(55).text().trim());
        }
    }

    @Test
    void aSmallOutputBufferWritesEarly() throws Exception {
        PgWireServer small = f.start(new PgWireSettings("127.0.0.1", 0, 10, 1 << 20, java.time.Duration.ZERO,
                java.time.Duration.ZERO, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(5), 16, 16, 1,
                io.phantomdb.server.TlsSettings.off()));
        try (RawPgClient c = new RawPgClient(small.port())) {
            c.login(PgWireFixture.USER);
            c.parse("", "SELECT v FROM r WHERE id = 7");
            assertEquals(List.of('1'), types(List.of(c.read())), "ParseComplete is written at once with a 1-byte buffer");
            c.bind("", "");
            assertEquals(List.of('2'), types(List.of(c.read())));
            c.sync();
            assertEquals(List.of('Z'), types(c.readUntil('Z')));
        } finally {
            PgWireFixture.stop(small);
        }
    }
}
