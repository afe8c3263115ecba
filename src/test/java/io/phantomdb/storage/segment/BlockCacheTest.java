package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the block cache serves repeated reads from memory, counts hits and misses exactly, respects its
 * byte capacity, and is fully off at capacity 0.
 *
 * <p>Method: read one segment with small blocks through caches of different capacities and compare the
 * hit and miss counters with the number of block visits the reads make.
 */
class BlockCacheTest {

    @TempDir
    Path dir;

    private SegmentReader segment(BlockCache cache) {
        Path path = dir.resolve(SegmentFormat.fileName(1));
        if (!path.toFile().exists()) {
            SegmentTestData.write(path, SegmentTestData.sequentialModel(2000, 30), 1024, Compression.LZ4, 10);
        }
        return SegmentReader.open(RealFileSystem.INSTANCE, path, 1, cache);
    }

    private static void scan(SegmentReader reader) {
        try (InternalIterator it = reader.newIterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                it.value();
            }
        }
    }

    @Test
    void secondReadOfABlockIsAHit() {
        BlockCache cache = new BlockCache(1 << 20);
        try (SegmentReader reader = segment(cache)) {
            reader.get(SegmentTestData.userKey(5), 1_000_000);
            assertEquals(0, cache.hits());
            assertEquals(1, cache.misses());
            reader.get(SegmentTestData.userKey(6), 1_000_000); // same block
            assertEquals(1, cache.hits());
            assertEquals(1, cache.misses());
        }
    }

    @Test
    void secondScanIsServedEntirelyFromCache() {
        BlockCache cache = new BlockCache(16 << 20);
        try (SegmentReader reader = segment(cache)) {
            int blocks = reader.dataBlockCount();
            scan(reader);
            assertEquals(blocks, cache.misses());
            assertEquals(0, cache.hits());
            scan(reader);
            assertEquals(blocks, cache.misses());
            assertEquals(blocks, cache.hits());
            assertTrue(cache.usedBytes() > 0 && cache.usedBytes() <= cache.capacityBytes());
        }
    }

    @Test
    void zeroCapacityCachesNothingAndCountsEveryReadAsAMiss() {
        BlockCache cache = new BlockCache(0);
        try (SegmentReader reader = segment(cache)) {
            int blocks = reader.dataBlockCount();
            scan(reader);
            scan(reader);
            reader.get(SegmentTestData.userKey(5), 1_000_000);
            assertEquals(0, cache.hits());
            assertEquals(2L * blocks + 1, cache.misses());
            assertEquals(0, cache.usedBytes());
        }
    }

    @Test
    void holdsNoMoreThanItsCapacityInBytes() {
        BlockCache cache = new BlockCache(4 * 1024);
        try (SegmentReader reader = segment(cache)) {
            scan(reader);
            assertTrue(cache.usedBytes() <= 4 * 1024, "used " + cache.usedBytes());
            assertTrue(cache.usedBytes() > 0, "keeps some blocks");
        }
    }

    @Test
    void blocksOfDifferentFilesDoNotCollide() {
        BlockCache cache = new BlockCache(16 << 20);
        Path other = dir.resolve(SegmentFormat.fileName(2));
        SegmentTestData.write(other, SegmentTestData.sequentialModel(10, 7), 1024, Compression.NONE, 10);
        try (SegmentReader first = segment(cache);
                SegmentReader second = SegmentReader.open(RealFileSystem.INSTANCE, other, 2, cache)) {
            // Both files have a block at offset 0; each must get its own.
            assertEquals(30, first.get(SegmentTestData.userKey(0), 1_000_000).value().length);
            assertEquals(7, second.get(SegmentTestData.userKey(0), 1_000_000).value().length);
            assertEquals(30, first.get(SegmentTestData.userKey(0), 1_000_000).value().length);
        }
    }

    @Test
    void rejectsNegativeCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new BlockCache(-1));
    }
}
