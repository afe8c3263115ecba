package io.phantomdb.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the engine's user-visible contract, one behaviour per test: reads see the newest version at a
 * timestamp, batches are atomic, snapshots survive compaction, compaction reclaims space, data survives
 * reopen, concurrent durable writers share fsyncs. Method: a real directory, small memtables and blocks
 * so that flushes, several levels and compactions happen with little data.
 */
class EngineTest {

    @TempDir
    Path dir;

    private Engine engine;

    private static EngineOptions.Builder small() {
        return EngineOptions.builder().memtableBytes(16 * 1024).blockBytes(1024).targetSegmentBytes(16 * 1024)
                .levelBaseBytes(64 * 1024).l0CompactionTrigger(2);
    }

    private Engine open(EngineOptions options) {
        engine = Engine.open(RealFileSystem.INSTANCE, dir, options);
        return engine;
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, UTF_8);
    }

    private static long put(Engine e, String key, String value) {
        return e.write(new WriteBatch().put(b(key), b(value)));
    }

    @Test
    void getReturnsNewestValueAndNullAfterDelete() {
        Engine e = open(small().build());
        put(e, "a", "1");
        put(e, "a", "2");
        assertEquals("2", s(e.get(b("a"))));
        e.write(new WriteBatch().delete(b("a")));
        assertNull(e.get(b("a")));
        assertNull(e.get(b("never-written")));
    }

    @Test
    void readAtTimestampSeesVersionCommittedAtOrBeforeIt() {
        Engine e = open(small().build());
        long t1 = put(e, "k", "v1");
        long t2 = put(e, "k", "v2");
        assertTrue(t2 > t1, "engine-assigned timestamps increase");
        assertNull(e.get(b("k"), t1 - 1));
        assertEquals("v1", s(e.get(b("k"), t1)));
        assertEquals("v1", s(e.get(b("k"), t2 - 1)));
        assertEquals("v2", s(e.get(b("k"), t2)));
    }

    @Test
    void batchCommitsAllOperationsAtOneTimestamp() {
        Engine e = open(small().build());
        put(e, "x", "old");
        long ts = e.write(new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2")).delete(b("x")));
        try (KvIterator it = e.scan(null, null, ts, false)) {
            List<String> seen = new ArrayList<>();
            while (it.next()) {
                seen.add(s(it.key()) + "=" + s(it.value()) + "@" + it.timestamp());
            }
            assertEquals(List.of("a=1@" + ts, "b=2@" + ts), seen);
        }
        assertEquals("old", s(e.get(b("x"), ts - 1)));
    }

    @Test
    void laterOperationOnSameKeyInOneBatchWins() {
        Engine e = open(small().build());
        e.write(new WriteBatch().put(b("k"), b("first")).put(b("k"), b("second")));
        assertEquals("second", s(e.get(b("k"))));
    }

    @Test
    void scanRespectsBoundsAndDirectionAcrossMemtableAndSegments() {
        Engine e = open(small().build());
        for (int i = 0; i < 500; i++) {
            put(e, String.format("key%04d", i), "v" + i);
            if (i == 250) {
                e.flush();
            }
        }
        e.write(new WriteBatch().delete(b("key0105")));
        assertEquals(List.of("key0103", "key0104", "key0106"), keys(e.scan(b("key0103"), b("key0107"), Long.MAX_VALUE, false)));
        assertEquals(List.of("key0106", "key0104", "key0103"), keys(e.scan(b("key0103"), b("key0107"), Long.MAX_VALUE, true)));
        assertEquals(499, keys(e.scan(null, null, Long.MAX_VALUE, false)).size());
        assertEquals(499, keys(e.scan(null, null, Long.MAX_VALUE, true)).size());
    }

    @Test
    void userKeyThatIsPrefixOfAnotherSortsFirstAtEveryTimestamp() {
        Engine e = open(small().build());
        // Timestamps make the suffix bytes of "a" larger or smaller than the next byte of "a\0" / "ab".
        for (int round = 0; round < 300; round++) {
            put(e, "a", "a" + round);
            put(e, "a\0", "z" + round);
            put(e, "ab", "b" + round);
        }
        e.flush();
        assertEquals(List.of("a", "a\0", "ab"), keys(e.scan(null, null, Long.MAX_VALUE, false)));
        assertEquals(List.of("ab", "a\0", "a"), keys(e.scan(null, null, Long.MAX_VALUE, true)));
    }

    @Test
    void snapshotKeepsItsVersionsThroughCompaction() {
        Engine e = open(small().build());
        for (int i = 0; i < 200; i++) {
            put(e, "k" + i, "old" + i);
        }
        try (Snapshot snapshot = e.snapshot()) {
            for (int i = 0; i < 200; i++) {
                put(e, "k" + i, "new" + i);
            }
            e.compact();
            for (int i = 0; i < 200; i++) {
                assertEquals("old" + i, s(e.get(b("k" + i), snapshot.timestamp())));
                assertEquals("new" + i, s(e.get(b("k" + i))));
            }
        }
    }

    @Test
    void compactionReclaimsOverwrittenAndDeletedData() {
        Engine e = open(small().memtableBytes(256 * 1024).targetSegmentBytes(256 * 1024)
                .durability(Durability.OFF).build());
        byte[] value = new byte[1000];
        int keys = 300;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < keys; i++) {
                value[0] = (byte) round;
                e.write(new WriteBatch().put(b("key" + i), value));
            }
        }
        e.compact();
        long live = (long) keys * (value.length + 16);
        long onDisk = e.stats().totalSegmentBytes();
        assertTrue(onDisk < live * 3 / 2, "disk " + onDisk + " should track live data " + live);
        for (int i = 0; i < keys; i++) {
            e.write(new WriteBatch().delete(b("key" + i)));
        }
        e.compact();
        assertTrue(e.stats().totalSegmentBytes() < 4096, "tombstones dropped at the last level: "
                + e.stats().totalSegmentBytes());
        assertFalse(e.scan(null, null, Long.MAX_VALUE, false).next());
    }

    @Test
    void dataSurvivesCloseAndReopen() {
        Engine e = open(small().build());
        long lastTs = 0;
        for (int i = 0; i < 1000; i++) {
            lastTs = put(e, "key" + i, "value" + i);
        }
        e.close();
        engine = null;
        Engine reopened = open(small().build());
        for (int i = 0; i < 1000; i++) {
            assertEquals("value" + i, s(reopened.get(b("key" + i))));
        }
        assertEquals(lastTs, reopened.lastTimestamp());
        assertTrue(put(reopened, "after", "reopen") > lastTs, "timestamps keep increasing after reopen");
    }

    @Test
    void secondEngineOnSameDirectoryIsRefused() {
        open(small().build());
        StorageException e = assertThrows(StorageException.class,
                () -> Engine.open(RealFileSystem.INSTANCE, dir, small().build()));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void concurrentDurableWritersShareFsyncs() throws Exception {
        Engine e = open(EngineOptions.builder().durability(Durability.COMMIT).build());
        int threads = 16;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    put(e, "t" + id + "-" + i, "v");
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        EngineStats stats = e.stats();
        assertEquals(threads * perThread, stats.walRecords());
        assertTrue(stats.walSyncs() < stats.walRecords(), "group commit: " + stats.walSyncs() + " syncs for "
                + stats.walRecords() + " records");
        assertEquals(threads * perThread, keys(e.scan(null, null, Long.MAX_VALUE, false)).size());
    }

    @Test
    void levelZeroStaysBelowStopTriggerUnderSustainedWrites() {
        Engine e = open(small().l0CompactionTrigger(2).l0SlowdownTrigger(3).l0StopTrigger(4)
                .durability(Durability.OFF).build());
        byte[] value = new byte[200];
        for (int i = 0; i < 6_000; i++) {
            e.write(new WriteBatch().put(b("key" + (i % 3000)), value));
            assertTrue(e.stats().segmentsPerLevel().get(0) <= 4, "L0 within stop trigger");
        }
        assertEquals(3000, keys(e.scan(null, null, Long.MAX_VALUE, false)).size());
    }

    @Test
    void explicitTimestampsAreKeptAndReadBack() {
        Engine e = open(small().build());
        e.write(new WriteBatch().put(b("k"), b("v100")).timestamp(100));
        e.write(new WriteBatch().put(b("k"), b("v200")).timestamp(200));
        assertEquals("v100", s(e.get(b("k"), 150)));
        assertEquals(200, e.lastTimestamp());
        assertTrue(put(e, "other", "x") > 200, "assigned timestamps follow explicit ones");
    }

    @Test
    void emptyBatchIsRejected() {
        Engine e = open(small().build());
        assertThrows(IllegalArgumentException.class, () -> e.write(new WriteBatch()));
    }

    @Test
    void writesAfterCloseFailClearly() {
        Engine e = open(small().build());
        e.close();
        engine = null;
        StorageException ex = assertThrows(StorageException.class, () -> put(e, "k", "v"));
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void lz4CompressedSegmentsReadBack() {
        Engine e = open(small().compression(Compression.LZ4).build());
        for (int i = 0; i < 2000; i++) {
            put(e, "key" + i, "compressible value compressible value " + i);
        }
        e.compact();
        for (int i = 0; i < 2000; i += 37) {
            assertArrayEquals(b("compressible value compressible value " + i), e.get(b("key" + i)));
        }
    }

    private static List<String> keys(KvIterator it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            while (it.next()) {
                keys.add(s(it.key()));
            }
        }
        return keys;
    }
}
