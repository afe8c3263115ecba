package io.phantomdb.storage;

import java.util.List;

/**
 * A point-in-time view of the engine for metrics and tests.
 *
 * @param segmentsPerLevel number of segment files in each level (L0 first)
 * @param bytesPerLevel bytes of segment files in each level
 * @param memtableBytes bytes in the active memtable
 * @param immutableMemtables frozen memtables waiting to flush
 * @param walSyncs fsyncs of the WAL since open
 * @param walRecords WAL records (batches) written since open
 * @param compactions compactions finished since open
 * @param blockCacheHits block cache hits since open
 * @param blockCacheMisses block cache misses since open
 * @param lastTimestamp highest commit timestamp
 * @param gcHorizon effective GC horizon (oldest snapshot or the configured horizon)
 */
public record EngineStats(
        List<Integer> segmentsPerLevel,
        List<Long> bytesPerLevel,
        long memtableBytes,
        int immutableMemtables,
        long walSyncs,
        long walRecords,
        long compactions,
        long blockCacheHits,
        long blockCacheMisses,
        long lastTimestamp,
        long gcHorizon) {

    public long totalSegmentBytes() {
        return bytesPerLevel.stream().mapToLong(Long::longValue).sum();
    }

    public int totalSegments() {
        return segmentsPerLevel.stream().mapToInt(Integer::intValue).sum();
    }
}
