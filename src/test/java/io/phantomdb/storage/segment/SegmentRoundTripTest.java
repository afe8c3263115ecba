package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.segment.SegmentTestData.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: a segment returns exactly what was written, in every access path.
 *
 * <p>Method: write random entries (several versions per user key, tombstones, user keys that are prefixes
 * of each other) with and without LZ4 and with tiny blocks (so there are hundreds), then compare point
 * reads, forward and reverse iteration and every kind of seek against a TreeMap ordered by {@link
 * InternalKey#COMPARATOR}, which is the specification.
 */
class SegmentRoundTripTest {

    @TempDir
    Path dir;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(Compression.NONE, 256, 10),
                Arguments.of(Compression.LZ4, 256, 10),
                Arguments.of(Compression.LZ4, SegmentFormat.BLOCK_BYTES_DEFAULT, 0),
                Arguments.of(Compression.NONE, 1, 4)); // one entry per block
    }

    private SegmentReader writeAndOpen(TreeMap<byte[], Entry> model, Compression compression, int blockBytes,
            int bloomBitsPerKey, BlockCache cache) {
        Path path = dir.resolve(SegmentFormat.fileName(7));
        SegmentInfo info = SegmentTestData.write(path, model, blockBytes, compression, bloomBitsPerKey);
        assertEquals(model.size(), info.entryCount());
        assertArrayEquals(model.firstKey(), info.smallestKey());
        assertArrayEquals(model.lastKey(), info.largestKey());
        return SegmentReader.open(RealFileSystem.INSTANCE, path, 7, cache);
    }

    @ParameterizedTest(name = "{0}, blockBytes={1}, bloomBitsPerKey={2}")
    @MethodSource("layouts")
    void iteratesEveryEntryForwardAndBackwardInModelOrder(Compression compression, int blockBytes, int bloomBits) {
        TreeMap<byte[], Entry> model = SegmentTestData.randomModel(new Random(1), 800);
        try (SegmentReader reader = writeAndOpen(model, compression, blockBytes, bloomBits, new BlockCache(1 << 20));
                InternalIterator it = reader.newIterator()) {
            assertFalse(it.valid(), "a fresh iterator is not positioned");
            assertEquals(model.size(), reader.entryCount());
            it.seekToFirst();
            for (Map.Entry<byte[], Entry> expected : model.entrySet()) {
                assertEntry(expected, it);
                it.next();
            }
            assertFalse(it.valid());
            it.seekToLast();
            for (Map.Entry<byte[], Entry> expected : model.descendingMap().entrySet()) {
                assertEntry(expected, it);
                it.prev();
            }
            assertFalse(it.valid());
        }
    }

    @ParameterizedTest(name = "{0}, blockBytes={1}, bloomBitsPerKey={2}")
    @MethodSource("layouts")
    void seeksLandAtCeilingAndFloorForKeysAtAndBetweenEntries(Compression compression, int blockBytes,
            int bloomBits) {
        Random random = new Random(2);
        TreeMap<byte[], Entry> model = SegmentTestData.randomModel(random, 500);
        List<byte[]> targets = new ArrayList<>(model.keySet());
        for (int i = 0; i < 2000; i++) {
            targets.add(InternalKey.encode(SegmentTestData.randomUserKey(random), random.nextLong() >>> 1));
        }
        targets.add(InternalKey.encode(new byte[0], InternalKey.MAX_TIMESTAMP)); // before everything
        targets.add(InternalKey.encode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0));
        try (SegmentReader reader = writeAndOpen(model, compression, blockBytes, bloomBits, new BlockCache(0));
                InternalIterator it = reader.newIterator()) {
            for (byte[] target : targets) {
                it.seek(target);
                assertPosition(model.ceilingEntry(target), it, "seek");
                it.seekForPrev(target);
                assertPosition(model.floorEntry(target), it, "seekForPrev");
            }
            // Stepping after a seek crosses block boundaries both ways.
            byte[] middle = targets.get(model.size() / 2);
            it.seek(middle);
            it.prev();
            assertPosition(model.lowerEntry(middle), it, "prev after seek");
            it.next();
            it.next();
            assertPosition(model.higherEntry(middle), it, "next after prev");
        }
    }

    @ParameterizedTest(name = "{0}, blockBytes={1}, bloomBitsPerKey={2}")
    @MethodSource("layouts")
    void getReturnsNewestVersionAtOrBeforeTheReadTimestamp(Compression compression, int blockBytes, int bloomBits) {
        Random random = new Random(3);
        TreeMap<byte[], Entry> model = SegmentTestData.randomModel(random, 500);
        try (SegmentReader reader = writeAndOpen(model, compression, blockBytes, bloomBits, new BlockCache(1 << 16))) {
            for (byte[] key : model.keySet()) {
                byte[] userKey = InternalKey.userKey(key);
                long timestamp = InternalKey.timestamp(key);
                assertLookup(model, reader, userKey, timestamp);
                if (timestamp > 0) {
                    assertLookup(model, reader, userKey, timestamp - 1);
                }
                assertLookup(model, reader, userKey, InternalKey.MAX_TIMESTAMP);
                assertLookup(model, reader, userKey, 0);
            }
            for (int i = 0; i < 5000; i++) {
                assertLookup(model, reader, SegmentTestData.randomUserKey(random), random.nextLong() >>> 1);
            }
        }
    }

    @Test
    void concurrentReadersSeeTheSameAnswers() throws Exception {
        TreeMap<byte[], Entry> model = SegmentTestData.randomModel(new Random(4), 2000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SegmentReader reader = writeAndOpen(model, Compression.LZ4, 512, 10, new BlockCache(64 * 1024))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    List<byte[]> keys = new ArrayList<>(model.keySet());
                    for (int i = 0; i < 5000; i++) {
                        byte[] key = keys.get(random.nextInt(keys.size()));
                        assertLookup(model, reader, InternalKey.userKey(key), InternalKey.timestamp(key));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsKeyRangeTimestampsAndSizeOfTheFile() {
        TreeMap<byte[], Entry> model = SegmentTestData.sequentialModel(1000, 10);
        try (SegmentReader reader = writeAndOpen(model, Compression.LZ4, 1024, 10, new BlockCache(0))) {
            assertArrayEquals(model.firstKey(), reader.smallestKey());
            assertArrayEquals(model.lastKey(), reader.largestKey());
            assertEquals(100, reader.minTimestamp());
            assertEquals(1099, reader.maxTimestamp());
            assertEquals(7, reader.fileNumber());
            assertEquals(dir.resolve("000007.seg"), reader.path());
            assertEquals(dir.resolve("000007.seg").toFile().length(), reader.fileBytes());
            assertTrue(reader.dataBlockCount() > 1);
        }
    }

    private static void assertLookup(TreeMap<byte[], Entry> model, SegmentReader reader, byte[] userKey,
            long timestamp) {
        Map.Entry<byte[], Entry> expected = model.ceilingEntry(InternalKey.encode(userKey, timestamp));
        if (expected != null && InternalKey.compareUserKey(expected.getKey(), userKey) != 0) {
            expected = null;
        }
        SegmentReader.Lookup actual = reader.get(userKey, timestamp);
        String what = InternalKey.describeBytes(userKey) + "@" + timestamp;
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        assertArrayEquals(expected.getKey(), actual.internalKey(), what);
        assertEquals(expected.getValue().kind(), actual.kind(), what);
        assertArrayEquals(expected.getValue().value(), actual.value(), what);
    }

    private static void assertPosition(Map.Entry<byte[], Entry> expected, InternalIterator it, String what) {
        if (expected == null) {
            assertFalse(it.valid(), what + " should be past the end");
        } else {
            assertEntry(expected, it);
        }
    }

    private static void assertEntry(Map.Entry<byte[], Entry> expected, InternalIterator it) {
        assertTrue(it.valid(), () -> "expected " + InternalKey.describe(expected.getKey()));
        assertArrayEquals(expected.getKey(), it.key(), () -> "at " + InternalKey.describe(expected.getKey()));
        assertEquals(expected.getValue().kind(), it.kind());
        assertArrayEquals(expected.getValue().value(), it.value());
    }
}
