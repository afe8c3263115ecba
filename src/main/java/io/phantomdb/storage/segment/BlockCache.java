package io.phantomdb.storage.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's cache of decoded data blocks (checksum-verified and decompressed, so a hit costs neither),
 * keyed by (segment file number, block offset) and weighed by block bytes. One instance is shared by
 * every segment reader of every engine on the node.
 *
 * <p>File numbers are never reused, so a key can never name a block of a different file; blocks of a
 * deleted segment are not removed eagerly, they age out as they stop being read.
 *
 * <p>Thread-safe. A capacity of 0 disables caching (every lookup is a miss and nothing is kept).
 */
public final class BlockCache {

    private final long capacityBytes;
    private final Cache<BlockKey, Block> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private record BlockKey(long fileNumber, long blockOffset) {}

    public BlockCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("block cache capacity must be >= 0: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.cache = capacityBytes == 0 ? null
                : Caffeine.newBuilder()
                        .maximumWeight(capacityBytes)
                        .weigher((BlockKey key, Block block) -> block.weightBytes())
                        // Eviction runs on the calling thread: no surprise load on the ForkJoin common pool.
                        .executor(Runnable::run)
                        .build();
    }

    /** The cached block, or null (counted as a miss; the caller reads, verifies and {@link #put}s it). */
    Block get(long fileNumber, long blockOffset) {
        Block block = cache == null ? null : cache.getIfPresent(new BlockKey(fileNumber, blockOffset));
        if (block == null) {
            misses.increment();
        } else {
            hits.increment();
        }
        return block;
    }

    /**
     * Caches a verified block. Loads are not deduplicated: two readers that miss the same block at once
     * both read it, which is cheaper than holding a cache lock across disk I/O.
     */
    void put(long fileNumber, long blockOffset, Block block) {
        if (cache != null) {
            cache.put(new BlockKey(fileNumber, blockOffset), block);
        }
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Weighted bytes currently held (after pending evictions are applied). */
    public long usedBytes() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
