package io.phantomdb.server.pgwire;

import static io.phantomdb.server.pgwire.RawPgClient.cstring;
import static io.phantomdb.server.pgwire.RawPgClient.types;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.phantomdb.catalog.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the per-statement shortcuts of the wire layer answer exactly what the general path answers: a prepared
 * statement's result fields are remembered per result-format list (a Bind with other formats gets its own), a key
 * lookup answered inline is held with the rest of the Sync's answers, an inline lookup that fails sends its
 * ErrorResponse, skips to Sync and fails an open block, the shared acknowledgement messages are the exact bytes,
 * and held-back output joined by reference keeps every message in order.
 *
 * <p>Method: a node with a small table, a pgwire server with trust authentication on a free port
 * ({@link PgWireFixture#trusting}), and the hand-written client ({@link RawPgClient}) to see the bytes and the
 * message order.
 */
class PgWireHotPathTest {
    @TempDir
    static Path dir;
    static PgWireFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PgWireFixture.trusting(dir);
        f.node.execute("CREATE TABLE h (id INT PRIMARY KEY, name VARCHAR(20))");
        f.node.execute("INSERT INTO h VALUES (0, 'zero'), (1, 'one'), (2, 'caf\u00e9')");
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void eachBindGetsTheResultFormatsItAskedFor() throws Exception {
        try (RawPgClient c = f.login()) {
            c.parse("s", "SELECT id, name FROM h WHERE id = $1");
            c.sync();
            c.readUntil('Z');
            // text, binary, text again, then one format per column: the remembered fields must follow each Bind.
            assertEquals(List.of("1", "one"), texts(row(c, "s", 1, new int[0])));
            List<byte[]> binary = row(c, "s", 1, new int[] {1});
            assertArrayEquals(ByteBuffer.allocate(4).putInt(1).array(), binary.get(0));
            assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), binary.get(1));
            assertEquals(List.of("2", "caf\u00e9"), texts(row(c, "s", 2, new int[0])));
            List<byte[]> mixed = row(c, "s", 0, new int[] {1, 0});
            assertArrayEquals(ByteBuffer.allocate(4).putInt(0).array(), mixed.get(0));
            assertEquals("zero", new String(mixed.get(1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aKeyLookupAnsweredInlineLeavesWithTheSyncsOtherAnswersInOrder() throws Exception {
        try (RawPgClient c = f.login()) {
            c.parse("", "SELECT name FROM h WHERE id = $1");
            bind(c, "", 1, new int[0]);
            c.execute("", 0);
            c.sync();
            List<RawPgClient.Message> answer = c.readUntil('Z');
            assertEquals(List.of('1', '2', 'D', 'C', 'Z'), types(answer));
            assertEquals("SELECT 1", answer.get(3).text().trim().replace("\0", ""));
            assertEquals("I", answer.get(4).text());
        }
    }

    @Test
    void aFailingInlineLookupSkipsToSyncAndFailsTheBlock() throws Exception {
        try (RawPgClient c = f.login()) {
            c.query("BEGIN");
            c.readUntil('Z');
            c.parse("", "SELECT 10 / id FROM h WHERE id = $1");
            bind(c, "", 0, new int[0]);
            c.execute("", 0);
            c.execute("", 0); // skipped: the error skips everything up to Sync
            c.sync();
            List<RawPgClient.Message> answer = c.readUntil('Z');
            assertEquals(List.of('1', '2', 'E', 'Z'), types(answer));
            assertEquals("22012", answer.get(2).field('C'));
            assertEquals("E", answer.get(3).text(), "the error failed the open block");
            c.query("ROLLBACK");
            assertEquals("I", c.readUntil('Z').get(1).text());
            // the same statement still answers inline once the key exists
            c.parse("", "SELECT 10 / id FROM h WHERE id = $1");
            bind(c, "", 2, new int[0]);
            c.execute("", 0);
            c.sync();
            List<RawPgClient.Message> ok = c.readUntil('Z');
            assertEquals(List.of('1', '2', 'D', 'C', 'Z'), types(ok));
        }
    }

    @Test
    void sharedAcknowledgementsAreTheExactMessages() {
        assertEquals(List.of((byte) 'Z', (byte) 0, (byte) 0, (byte) 0, (byte) 5, (byte) 'T'),
                bytes(Backend.readyForQuery('T').toArray()));
        assertEquals(List.of((byte) '2', (byte) 0, (byte) 0, (byte) 0, (byte) 4), bytes(Backend.bindComplete().toArray()));
        assertEquals(List.of((byte) 'n', (byte) 0, (byte) 0, (byte) 0, (byte) 4), bytes(Backend.noData().toArray()));
        assertSame(Backend.readyForQuery('I'), Backend.readyForQuery('I'), "encoded once");
        Backend.Writer w = new Backend.Writer();
        assertEquals(0, w.result().size(), "a writer never written to hands out nothing");
        Backend.Writer rows = new Backend.Writer();
        String longText = "x".repeat(40) + "\u00e9\u4e2d";
        rows.dataRow(new Object[] {longText, "short\u00e9", null}, List.of(new Backend.Field("a", DataType.VARCHAR, 0),
                new Backend.Field("b", DataType.VARCHAR, 0), new Backend.Field("c", DataType.VARCHAR, 0)));
        byte[] out = rows.result().toArray();
        byte[] a = longText.getBytes(StandardCharsets.UTF_8);
        byte[] b = "short\u00e9".getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(1 + 4 + 2 + 4 + a.length + 4 + b.length + 4);
        expected.put((byte) 'D').putInt(expected.capacity() - 1).putShort((short) 3)
                .putInt(a.length).put(a).putInt(b.length).put(b).putInt(-1);
        assertArrayEquals(expected.array(), out);
        assertNotSame(Backend.readyForQuery('I'), Backend.readyForQuery('E'));
    }

    @Test
    void aWriterJoinsLargeAnswersByReferenceAndKeepsTheMessageOrder() {
        org.apache.pekko.util.ByteString answer = org.apache.pekko.util.ByteString.fromString("r".repeat(600));
        Backend.Writer alone = new Backend.Writer();
        alone.append(answer);
        assertEquals(answer.size(), alone.size());
        assertSame(answer, alone.result(), "a large answer held alone is handed out as it is");
        // Bind's acknowledgement, the answer, then more small messages: the bytes in exactly this order
        Backend.Writer held = new Backend.Writer();
        held.append(Backend.bindComplete()).append(answer).append(Backend.bindComplete());
        held.commandComplete("SELECT 1");
        held.append(answer);
        held.readyForQuery('I');
        org.apache.pekko.util.ByteString expected = Backend.bindComplete().concat(answer).concat(Backend.bindComplete())
                .concat(Backend.commandComplete("SELECT 1")).concat(answer).concat(Backend.readyForQuery('I'));
        assertEquals(expected.size(), held.size());
        assertEquals(expected, held.result());
        Backend.Writer sized = new Backend.Writer(4);
        sized.commandComplete("UPDATE 1".repeat(10));
        assertEquals(Backend.commandComplete("UPDATE 1".repeat(10)), sized.result(), "grows past its expected size");
    }

    // ---------------------------------------------------------------- helpers

    /** Bind (int4 parameter in binary, the given result formats), Execute, Sync; the one DataRow's values. */
    private static List<byte[]> row(RawPgClient c, String statement, int id, int[] resultFormats) throws IOException {
        bind(c, statement, id, resultFormats);
        c.execute("", 0);
        c.sync();
        List<RawPgClient.Message> answer = c.readUntil('Z');
        assertEquals(List.of('2', 'D', 'C', 'Z'), types(answer));
        return values(answer.get(1).body());
    }

    private static void bind(RawPgClient c, String statement, int id, int[] resultFormats) throws IOException {
        c.send('B', b -> {
            cstring(b, "");
            cstring(b, statement);
            b.writeShort(1);
            b.writeShort(1); // the parameter in binary
            b.writeShort(1);
            b.writeInt(4);
            b.writeInt(id);
            b.writeShort(resultFormats.length);
            for (int f : resultFormats) {
                b.writeShort(f);
            }
        });
    }

    private static List<byte[]> values(byte[] dataRow) {
        ByteBuffer in = ByteBuffer.wrap(dataRow);
        int n = in.getShort();
        List<byte[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = in.getInt();
            byte[] v = length < 0 ? null : new byte[length];
            if (v != null) {
                in.get(v);
            }
            out.add(v);
        }
        return out;
    }

    private static List<String> texts(List<byte[]> values) {
        return values.stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    private static List<Byte> bytes(byte[] array) {
        List<Byte> out = new java.util.ArrayList<>();
        for (byte b : array) {
            out.add(b);
        }
        return out;
    }
}
