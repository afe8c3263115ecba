package io.phantomdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineStats;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a query holds bounded memory however large its table, and a consumer that stops pulling stops the
 * partition scans (issue 4, deliverable 5).
 *
 * <p>Method: a node with a 1 MiB query memory budget and a table of ~16 MiB (flushed to segments, so reads
 * go through the block cache, whose hit and miss counters count blocks read). (1) A slow subscriber streams
 * the whole table through scan and filter without 53200. (2) A subscriber that takes a few rows and cancels
 * makes the scans read only a small fraction of the table's blocks. (3) A sort of the same table, which must
 * hold all rows, fails with 53200 and the node keeps answering.
 */
class BackpressureTest {
    static final int ROWS = 16_000;
    static final String PAD = "x".repeat(1000);

    @TempDir
    Path dir;

    @Test
    void boundedMemoryAndCancellationStopsScans() {
        try (TestNode node = new TestNode(dir, Map.of("phantom.sql.query-memory-budget", "1 MiB",
                "phantom.sql.batch-rows", 64, "phantom.storage.block-cache-size", "1 MiB"))) {
            node.execute("CREATE TABLE big (id INT PRIMARY KEY, pad TEXT) WITH (partitions = 2)");
            for (int from = 0; from < ROWS; from += 500) {
                StringBuilder sql = new StringBuilder("INSERT INTO big VALUES ");
                for (int i = from; i < from + 500; i++) {
                    sql.append(i == from ? "" : ", ").append("(").append(i).append(", '").append(PAD).append("')");
                }
                node.execute(sql.toString());
            }
            List<Engine> engines = engines(node);
            engines.forEach(Engine::flush);

            long rows = node.await(node.db().sql("SELECT id, pad FROM big WHERE id >= 0")
                    .throttle(4000, Duration.ofMillis(100), 64, ThrottleMode.shaping())
                    .runWith(Sink.fold(0L, (n, r) -> n + 1), node.system()));
            assertEquals(ROWS, rows, "a slow consumer still gets every row within a 1 MiB budget");

            long before = blocksRead(engines);
            List<Row> first = node.await(node.db().sql("SELECT id FROM big").take(10).runWith(Sink.seq(), node.system()));
            assertEquals(10, first.size());
            long read = blocksRead(engines) - before;
            long total = totalBlocks(engines);
            assertTrue(total > 500, "table spans many blocks: " + total);
            assertTrue(read < total / 10, "cancelled scan read " + read + " of " + total + " blocks");

            PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> node.query("SELECT pad FROM big ORDER BY pad DESC, id"));
            assertEquals(SqlState.OUT_OF_MEMORY, e.state());
            assertEquals(List.of(7), node.query("SELECT id FROM big WHERE id = 7").stream().map(r -> r.getInt(0)).toList());
        }
    }

    private static List<Engine> engines(TestNode node) {
        return node.db().localEngines();
    }

    private static long blocksRead(List<Engine> engines) {
        long n = 0;
        for (Engine e : engines) {
            EngineStats s = e.stats();
            n += s.blockCacheHits() + s.blockCacheMisses();
        }
        return n;
    }

    private static long totalBlocks(List<Engine> engines) {
        long bytes = 0;
        for (Engine e : engines) {
            for (long b : e.stats().bytesPerLevel()) {
                bytes += b;
            }
        }
        return bytes / (16 * 1024);
    }
}
