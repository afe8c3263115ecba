package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: the bloom filter never hides a key the segment holds, its false-positive rate is what its bits
 * per key promise, and its hash never changes (filters already on disk depend on it).
 *
 * <p>Method: write segments of 20,000 user keys (two versions each) at several bits/key, probe every
 * written key (must all pass) and 100,000 absent keys (the pass rate is the false-positive rate, checked
 * against the textbook {@code (1 - e^(-k/b))^k} with slack), and pin {@link BloomFilter#hash64} to
 * golden values.
 */
class BloomFilterTest {

    private static final int KEYS = 20_000;
    private static final int ABSENT_PROBES = 100_000;

    @TempDir
    Path dir;

    private SegmentReader writeKeys(int bitsPerKey) {
        Path path = dir.resolve(SegmentFormat.fileName(bitsPerKey));
        SegmentWriter writer = new SegmentWriter(RealFileSystem.INSTANCE, path, 4096, Compression.LZ4, bitsPerKey);
        for (int i = 0; i < KEYS; i++) {
            byte[] userKey = SegmentTestData.userKey(i * 2); // even numbers present, odd ones absent
            writer.add(InternalKey.encode(userKey, 20), ValueKind.PUT, new byte[] {1});
            writer.add(InternalKey.encode(userKey, 10), ValueKind.DELETE, new byte[0]);
        }
        writer.finish();
        return SegmentReader.open(RealFileSystem.INSTANCE, path, bitsPerKey, new BlockCache(0));
    }

    @ParameterizedTest(name = "{0} bits/key")
    @CsvSource({"5", "10", "16"})
    void neverMissesAWrittenKeyAndFalsePositiveRateMatchesBitsPerKey(int bitsPerKey) {
        try (SegmentReader reader = writeKeys(bitsPerKey)) {
            for (int i = 0; i < KEYS; i++) {
                assertTrue(reader.mayContain(SegmentTestData.userKey(i * 2)), "false negative for key " + i * 2);
            }
            int falsePositives = 0;
            for (int i = 0; i < ABSENT_PROBES; i++) {
                byte[] absent = SegmentTestData.userKey(2 * KEYS + 2 * i + 1);
                if (reader.mayContain(absent)) {
                    falsePositives++;
                }
            }
            double rate = falsePositives / (double) ABSENT_PROBES;
            int probes = BloomFilter.probesFor(bitsPerKey);
            double expected = Math.pow(1 - Math.exp(-probes / (double) bitsPerKey), probes);
            assertTrue(rate < expected * 1.5 + 0.001, "false-positive rate " + rate + " vs expected " + expected);
            assertTrue(rate > expected / 3, "suspiciously low rate " + rate + " vs " + expected + ": filter unused?");
        }
    }

    @Test
    void zeroBitsPerKeyWritesNoFilterAndEverythingMayBePresent() {
        try (SegmentReader reader = writeKeys(0)) {
            assertTrue(reader.footer().bloom().isAbsent());
            assertTrue(reader.mayContain("absent".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(null, reader.get("absent".getBytes(StandardCharsets.US_ASCII), InternalKey.MAX_TIMESTAMP));
        }
    }

    @Test
    void filterKeysOnUserKeyNotOnVersion() {
        try (SegmentReader reader = writeKeys(10)) {
            // Every version of a present user key passes, whatever the read timestamp.
            byte[] userKey = SegmentTestData.userKey(42);
            assertTrue(reader.mayContain(userKey));
            assertEquals(ValueKind.PUT, reader.get(userKey, 25).kind());
            assertEquals(ValueKind.DELETE, reader.get(userKey, 15).kind());
            assertEquals(null, reader.get(userKey, 5));
        }
    }

    @Test
    void hashIsFrozen() {
        // Golden values: if this fails, the hash changed and every bloom filter on disk is now wrong.
        assertEquals(0xb46e86596de67247L, hash(""));
        assertEquals(0x3c5be560379321e3L, hash("a"));
        assertEquals(0x5d7296568cc6b6b7L, hash("phantom"));
        assertEquals(0x3cd513f48ea724f0L, hash("key-00000042"));
        assertEquals(0xc4186137546dd4d8L, hash("the quick brown fox jumps over the lazy dog"));
    }

    @Test
    void hashSpreadsNearbyKeys() {
        Set<Long> seen = new HashSet<>();
        Set<Integer> lowBits = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] key = SegmentTestData.userKey(i);
            long h = BloomFilter.hash64(key, 0, key.length);
            seen.add(h);
            lowBits.add((int) (h & 0xFFFF));
        }
        assertEquals(100_000, seen.size(), "64-bit collisions among 100k sequential keys");
        assertTrue(lowBits.size() > 65_536 * 0.75, "low 16 bits cover " + lowBits.size() + " of 65536 values");
        assertNotEquals(hash("ab"), hash("ba"));
    }

    @Test
    void hashOfSliceEqualsHashOfCopy() {
        byte[] buffer = "xxphantomyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(hash("phantom"), BloomFilter.hash64(buffer, 2, 7));
    }

    private static long hash(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        return BloomFilter.hash64(bytes, 0, bytes.length);
    }
}
