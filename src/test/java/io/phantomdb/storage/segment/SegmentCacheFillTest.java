package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a compaction-style scan ({@code newIterator(false)}) reads every entry but leaves the block cache
 * as it found it, so background merges do not evict the blocks foreground reads keep hot; a normal scan
 * fills the cache. Method: one segment of many small blocks, a cache big enough for all of them.
 */
class SegmentCacheFillTest {

    @TempDir
    Path dir;

    @Test
    void scanWithoutFillCacheLeavesTheCacheEmptyAndNormalScanFillsIt() {
        Path path = dir.resolve(SegmentFormat.fileName(1));
        SegmentWriter writer = new SegmentWriter(RealFileSystem.INSTANCE, path, 256, Compression.NONE, 10);
        int entries = 2000;
        for (int i = 0; i < entries; i++) {
            writer.add(InternalKey.encode(String.format("key%05d", i).getBytes(), 1), ValueKind.PUT, new byte[20]);
        }
        writer.finish();
        BlockCache cache = new BlockCache(64L << 20);
        SegmentReader reader = SegmentReader.open(RealFileSystem.INSTANCE, path, 1, cache);
        try {
            assertEquals(entries, count(reader.newIterator(false)));
            assertEquals(0, cache.usedBytes(), "compaction-style scan must not fill the cache");
            assertEquals(entries, count(reader.newIterator()));
            assertTrue(cache.usedBytes() > 0, "a normal scan fills the cache");
            long misses = cache.misses();
            assertEquals(entries, count(reader.newIterator(false)));
            assertEquals(misses, cache.misses(), "cached blocks are still used by a no-fill scan");
        } finally {
            reader.close();
        }
    }

    private static int count(InternalIterator it) {
        int n = 0;
        try (it) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                n++;
            }
        }
        return n;
    }
}
