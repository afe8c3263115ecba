package io.phantomdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a result far larger than the query memory budget streams to a slow HTTP reader completely and in order,
 * and the reader's pace - not the server - sets the scan's pace (issue 6: "a client that reads slowly slows the
 * scan, it is not buffered"). Method: a 1 MiB query-memory-budget (a materializing query over the same table
 * fails with 53200, showing the budget is real) and a table whose NDJSON result is ~15 MB; a raw socket with a
 * small receive buffer reads some rows (one partition: a sequential scan returns them in key order without a
 * sort, which the budget would not allow), stops reading, and the server's count of rows written to the wire must
 * stop within a bounded window above what was read; then the reader drains the rest and checks every row.
 */
class HttpStreamingTest {
    static final int ROWS = 200_000;
    static final int ROWS_PER_INSERT = 1_000;
    static final String PAD = "x".repeat(60);
    /**
     * Rows the server may write beyond what the reader consumed: the kernel's socket buffers (the server's
     * send buffer, pinned to 64 KiB here with socket-send-buffer-bytes, and our 8 KiB receive buffer), Pekko
     * HTTP's few in-flight chunks of response-chunk-bytes (16 KiB) and one engine batch (256 rows). At ~75 bytes
     * a row that is ~2,000 rows (measured: ~1,500); 10,000 (750 KB) leaves room for kernel rounding, and is a
     * twentieth of the 15 MB result, so a server that buffered the result would exceed it.
     */
    static final long WINDOW_ROWS = 10_000;

    @TempDir
    Path dir;

    @Test
    void slowReaderGetsEveryRowInOrderAndHoldsTheScanBack() throws Exception {
        try (HttpFixture http = new HttpFixture(dir, Map.of("phantom.sql.query-memory-budget", "1 MiB"),
                Map.of("response-chunk-bytes", "16 KiB", "socket-send-buffer-bytes", "64 KiB"))) {
            load(http);
            HttpFixture.Answer sorted = http.sql("SELECT id, pad FROM big ORDER BY pad, id DESC");
            assertEquals(503, sorted.status(), "a sort of the whole table must exceed the 1 MiB budget");
            assertEquals("53200", sorted.sqlstate());

            long before = http.server.stats().rowsSent();
            try (SlowReader reader = new SlowReader(http.server.port(), "/v1/sql",
                    HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD),
                    HttpFixture.body("SELECT id, pad FROM big"))) {
                assertEquals(200, reader.status);
                JsonNode columns = HttpFixture.JSON.readTree(reader.line());
                assertEquals(2, columns.get("columns").size());
                int read = 0;
                for (; read < 1_000; read++) {
                    assertRow(read, reader.line());
                }
                long stalled = waitUntilStable(http);
                long ahead = stalled - before - read;
                assertTrue(ahead <= WINDOW_ROWS, "server ran " + ahead + " rows ahead of a paused reader");
                assertTrue(stalled - before < ROWS / 2, "the scan went on without the reader: " + (stalled - before));
                for (; read < ROWS; read++) {
                    assertRow(read, reader.line());
                }
                JsonNode complete = HttpFixture.JSON.readTree(reader.line()).get("complete");
                assertEquals(ROWS, complete.get("rows").asLong());
                assertEquals(null, reader.line());
            }
            assertEquals(ROWS, http.server.stats().rowsSent() - before);
        }
    }

    /** The server's rows-sent count once it stopped moving for a while (the reader is not reading). */
    private static long waitUntilStable(HttpFixture http) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            long now = http.server.stats().rowsSent();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the server kept writing rows to a reader that stopped reading: " + last);
    }

    private static void assertRow(int expectedId, String line) throws Exception {
        JsonNode row = HttpFixture.JSON.readTree(line);
        assertEquals(expectedId, row.get(0).asInt(), line);
        assertEquals(PAD, row.get(1).asText());
    }

    static void load(HttpFixture http) {
        http.node.execute("CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(100)) WITH (partitions = 1)");
        for (int start = 0; start < ROWS; start += ROWS_PER_INSERT) {
            StringBuilder sql = new StringBuilder("INSERT INTO big VALUES ");
            for (int id = start; id < start + ROWS_PER_INSERT; id++) {
                sql.append(id == start ? "" : ", ").append('(').append(id).append(", '").append(PAD).append("')");
            }
            http.node.execute(sql.toString());
        }
    }
}
