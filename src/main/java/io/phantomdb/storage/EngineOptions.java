package io.phantomdb.storage;

/**
 * Every tunable of the engine, each with a hard bound checked by {@link #validate()}. Built with {@link
 * #builder()}; defaults suit a server with a few GiB of memory. The server maps {@code conf/} (HOCON)
 * onto these, so the storage layer stays free of configuration libraries.
 */
public record EngineOptions(
        Durability durability,
        long periodicSyncMillis,
        long memtableBytes,
        int immutableMemtablesMax,
        int writeQueueMax,
        long groupCommitBytesMax,
        long groupCommitWaitMicrosMax,
        long walPreallocateBytes,
        int blockBytes,
        Compression compression,
        int bloomBitsPerKey,
        long blockCacheBytes,
        int openFilesMax,
        int l0CompactionTrigger,
        int l0SlowdownTrigger,
        int l0StopTrigger,
        long slowdownDelayMicros,
        long writeStallTimeoutMillis,
        long levelBaseBytes,
        int levelMultiplier,
        int levelsMax,
        long targetSegmentBytes,
        long compactionBytesPerSecond,
        boolean backgroundWork) {

    public static final long MEMTABLE_BYTES_MIN = 4 * 1024;
    public static final long MEMTABLE_BYTES_MAX = 1L << 30;
    public static final int BLOCK_BYTES_MIN = 256;
    public static final int BLOCK_BYTES_MAX = 1 << 20;
    public static final int LEVELS_MAX = 7;
    public static final int WRITE_QUEUE_MAX = 1 << 20;
    public static final long WAL_PREALLOCATE_BYTES_MIN = 4 * 1024;
    public static final long WAL_PREALLOCATE_BYTES_MAX = 1L << 30;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fails with a message naming the setting when a value is out of its bound or inconsistent. */
    public EngineOptions validate() {
        check(periodicSyncMillis >= 1 && periodicSyncMillis <= 60_000, "periodicSyncMillis in [1, 60000]");
        check(memtableBytes >= MEMTABLE_BYTES_MIN && memtableBytes <= MEMTABLE_BYTES_MAX,
                "memtableBytes in [4 KiB, 1 GiB]");
        check(immutableMemtablesMax >= 1 && immutableMemtablesMax <= 16, "immutableMemtablesMax in [1, 16]");
        check(writeQueueMax >= 1 && writeQueueMax <= WRITE_QUEUE_MAX, "writeQueueMax in [1, 2^20]");
        check(groupCommitBytesMax >= 4096 && groupCommitBytesMax <= (256L << 20), "groupCommitBytesMax in [4 KiB, 256 MiB]");
        check(groupCommitWaitMicrosMax >= 0 && groupCommitWaitMicrosMax <= 10_000, "groupCommitWaitMicrosMax in [0, 10000]");
        check(walPreallocateBytes == 0 || (walPreallocateBytes >= WAL_PREALLOCATE_BYTES_MIN
                && walPreallocateBytes <= WAL_PREALLOCATE_BYTES_MAX), "walPreallocateBytes 0 or in [4 KiB, 1 GiB]");
        check(blockBytes >= BLOCK_BYTES_MIN && blockBytes <= BLOCK_BYTES_MAX, "blockBytes in [256, 1 MiB]");
        check(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 32, "bloomBitsPerKey in [0, 32]");
        check(blockCacheBytes >= 0, "blockCacheBytes >= 0");
        check(openFilesMax >= 8 && openFilesMax <= 1_000_000, "openFilesMax in [8, 10^6]");
        check(l0CompactionTrigger >= 1, "l0CompactionTrigger >= 1");
        check(l0SlowdownTrigger >= l0CompactionTrigger, "l0SlowdownTrigger >= l0CompactionTrigger");
        check(l0StopTrigger >= l0SlowdownTrigger, "l0StopTrigger >= l0SlowdownTrigger");
        check(slowdownDelayMicros >= 0 && slowdownDelayMicros <= 1_000_000, "slowdownDelayMicros in [0, 1 s]");
        check(writeStallTimeoutMillis >= 1, "writeStallTimeoutMillis >= 1");
        check(levelBaseBytes >= 4096, "levelBaseBytes >= 4 KiB");
        check(levelMultiplier >= 2 && levelMultiplier <= 100, "levelMultiplier in [2, 100]");
        check(levelsMax >= 2 && levelsMax <= LEVELS_MAX, "levelsMax in [2, 7]");
        check(targetSegmentBytes >= blockBytes, "targetSegmentBytes >= blockBytes");
        check(compactionBytesPerSecond >= 0, "compactionBytesPerSecond >= 0 (0 = unlimited)");
        return this;
    }

    private static void check(boolean condition, String rule) {
        if (!condition) {
            throw new IllegalArgumentException("invalid engine option: " + rule);
        }
    }

    /** Mutable builder; every field starts at its documented default (see conf/phantom.conf). */
    public static final class Builder {
        private Durability durability = Durability.COMMIT;
        private long periodicSyncMillis = 100;
        private long memtableBytes = 64L << 20;
        private int immutableMemtablesMax = 2;
        private int writeQueueMax = 8192;
        private long groupCommitBytesMax = 4L << 20;
        private long groupCommitWaitMicrosMax = 200;
        private long walPreallocateBytes = 16L << 20;
        private int blockBytes = 16 * 1024;
        private Compression compression = Compression.NONE;
        private int bloomBitsPerKey = 10;
        private long blockCacheBytes = 256L << 20;
        private int openFilesMax = 1000;
        private int l0CompactionTrigger = 4;
        private int l0SlowdownTrigger = 8;
        private int l0StopTrigger = 12;
        private long slowdownDelayMicros = 1000;
        private long writeStallTimeoutMillis = 60_000;
        private long levelBaseBytes = 256L << 20;
        private int levelMultiplier = 10;
        private int levelsMax = 7;
        private long targetSegmentBytes = 64L << 20;
        private long compactionBytesPerSecond = 256L << 20;
        private boolean backgroundWork = true;

        private Builder() {}

        private Builder(EngineOptions o) {
            durability = o.durability;
            periodicSyncMillis = o.periodicSyncMillis;
            memtableBytes = o.memtableBytes;
            immutableMemtablesMax = o.immutableMemtablesMax;
            writeQueueMax = o.writeQueueMax;
            groupCommitBytesMax = o.groupCommitBytesMax;
            groupCommitWaitMicrosMax = o.groupCommitWaitMicrosMax;
            walPreallocateBytes = o.walPreallocateBytes;
            blockBytes = o.blockBytes;
            compression = o.compression;
            bloomBitsPerKey = o.bloomBitsPerKey;
            blockCacheBytes = o.blockCacheBytes;
            openFilesMax = o.openFilesMax;
            l0CompactionTrigger = o.l0CompactionTrigger;
            l0SlowdownTrigger = o.l0SlowdownTrigger;
            l0StopTrigger = o.l0StopTrigger;
            slowdownDelayMicros = o.slowdownDelayMicros;
            writeStallTimeoutMillis = o.writeStallTimeoutMillis;
            levelBaseBytes = o.levelBaseBytes;
            levelMultiplier = o.levelMultiplier;
            levelsMax = o.levelsMax;
            targetSegmentBytes = o.targetSegmentBytes;
            compactionBytesPerSecond = o.compactionBytesPerSecond;
            backgroundWork = o.backgroundWork;
        }

        public Builder durability(Durability v) { durability = v; return this; }
        public Builder periodicSyncMillis(long v) { periodicSyncMillis = v; return this; }
        public Builder memtableBytes(long v) { memtableBytes = v; return this; }
        public Builder immutableMemtablesMax(int v) { immutableMemtablesMax = v; return this; }
        public Builder writeQueueMax(int v) { writeQueueMax = v; return this; }
        public Builder groupCommitBytesMax(long v) { groupCommitBytesMax = v; return this; }
        /**
         * Longest a durable group waits for more writers when the previous group was larger (0 = never).
         * The wait is also capped at a quarter of the measured fsync time, so it never costs more than it gains.
         */
        public Builder groupCommitWaitMicrosMax(long v) { groupCommitWaitMicrosMax = v; return this; }
        /**
         * Size each new WAL file is zero-filled to (0 = none: files grow by appending). Commits then overwrite
         * in place, so their fsync has no size change to persist; a full file rolls over to a new one.
         */
        public Builder walPreallocateBytes(long v) { walPreallocateBytes = v; return this; }
        public Builder blockBytes(int v) { blockBytes = v; return this; }
        public Builder compression(Compression v) { compression = v; return this; }
        public Builder bloomBitsPerKey(int v) { bloomBitsPerKey = v; return this; }
        public Builder blockCacheBytes(long v) { blockCacheBytes = v; return this; }
        public Builder openFilesMax(int v) { openFilesMax = v; return this; }
        public Builder l0CompactionTrigger(int v) { l0CompactionTrigger = v; return this; }
        public Builder l0SlowdownTrigger(int v) { l0SlowdownTrigger = v; return this; }
        public Builder l0StopTrigger(int v) { l0StopTrigger = v; return this; }
        public Builder slowdownDelayMicros(long v) { slowdownDelayMicros = v; return this; }
        public Builder writeStallTimeoutMillis(long v) { writeStallTimeoutMillis = v; return this; }
        public Builder levelBaseBytes(long v) { levelBaseBytes = v; return this; }
        public Builder levelMultiplier(int v) { levelMultiplier = v; return this; }
        public Builder levelsMax(int v) { levelsMax = v; return this; }
        public Builder targetSegmentBytes(long v) { targetSegmentBytes = v; return this; }
        public Builder compactionBytesPerSecond(long v) { compactionBytesPerSecond = v; return this; }
        /** False runs no flush/compaction threads: work happens only in {@code flush()}/{@code compact()} (tests). */
        public Builder backgroundWork(boolean v) { backgroundWork = v; return this; }

        public EngineOptions build() {
            return new EngineOptions(durability, periodicSyncMillis, memtableBytes, immutableMemtablesMax,
                    writeQueueMax, groupCommitBytesMax, groupCommitWaitMicrosMax, walPreallocateBytes, blockBytes,
                    compression, bloomBitsPerKey, blockCacheBytes,
                    openFilesMax, l0CompactionTrigger, l0SlowdownTrigger, l0StopTrigger, slowdownDelayMicros,
                    writeStallTimeoutMillis, levelBaseBytes, levelMultiplier, levelsMax, targetSegmentBytes,
                    compactionBytesPerSecond, backgroundWork).validate();
        }
    }
}
