package io.phantomdb.exec;

import io.phantomdb.partition.PartitionRegistry;

/**
 * What one execution of a plan needs: where partitions are read, at which timestamp, the query's memory
 * budget, its parameter and correlation bindings, and the batch size of its streams.
 */
public record ExecContext(PartitionRegistry registry, long readTimestamp, MemoryBudget budget, Bindings bindings, int batchRows) {
    public ExecContext {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
    }

    public ExecContext withBindings(Bindings other) {
        return new ExecContext(registry, readTimestamp, budget, other, batchRows);
    }
}
