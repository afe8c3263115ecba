package io.phantomdb.sql;

import java.time.Duration;

/**
 * The SQL layer's limits and defaults ({@code phantom.sql} in conf/phantom.conf, each documented there).
 *
 * @param defaultPartitions     partitions of a table created without {@code WITH (partitions = n)}
 * @param partitionsMax         largest partition count a table may ask for
 * @param queryMemoryBytes      memory one query's operators may hold (sort, hash tables); past it: 53200
 * @param batchRows             rows per stream element between operators
 * @param planCacheEntries      prepared plans kept per node (LRU by use)
 * @param partitionTimeout      how long a statement waits for a partition to answer a write
 * @param statementQueueMax     statements that may wait for the same table's write lock; past it: 53400
 * @param dmlRowsMax            rows one INSERT/UPDATE/DELETE may change (they are held in memory until written)
 */
public record SqlSettings(int defaultPartitions, int partitionsMax, long queryMemoryBytes, int batchRows,
        int planCacheEntries, Duration partitionTimeout, int statementQueueMax, int dmlRowsMax) {

    public SqlSettings {
        require(defaultPartitions >= 1 && defaultPartitions <= partitionsMax, "default-partitions in [1, partitions-max]");
        require(partitionsMax >= 1 && partitionsMax <= 1024, "partitions-max in [1, 1024]");
        require(queryMemoryBytes >= 1 << 20, "query-memory-budget >= 1 MiB");
        require(batchRows >= 1 && batchRows <= 65_536, "batch-rows in [1, 65536]");
        require(planCacheEntries >= 0 && planCacheEntries <= 1_000_000, "plan-cache-entries in [0, 1000000]");
        require(!partitionTimeout.isNegative() && !partitionTimeout.isZero(), "partition-timeout > 0");
        require(statementQueueMax >= 1, "statement-queue-max >= 1");
        require(dmlRowsMax >= 1, "dml-rows-max >= 1");
    }

    /** The built-in defaults (conf/phantom.conf spells out the same values). */
    public static SqlSettings defaults() {
        return new SqlSettings(4, 256, 64L << 20, 256, 1000, Duration.ofSeconds(30), 10_000, 1_000_000);
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid SQL setting: " + rule);
        }
    }
}
