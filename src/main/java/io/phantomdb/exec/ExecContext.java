package io.phantomdb.exec;

import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.PartitionRegistry;
import java.util.List;
import java.util.Map;

/**
 * What one execution of a plan needs: where partitions are read, at which timestamp, the query's memory
 * budget, its parameter and correlation bindings, the batch size of its streams, and the transaction it
 * runs in.
 *
 * @param txn the transaction whose own writes the scans see and whose reads are recorded; null for reads
 *     outside any transaction (DDL backfills, statistics)
 * @param recheck for a READ COMMITTED re-check of rows that changed under a write (docs/transactions.md):
 *     table id to the only row keys its scans may return; empty normally
 */
public record ExecContext(PartitionRegistry registry, long readTimestamp, MemoryBudget budget, Bindings bindings, int batchRows,
        TxnState txn, Map<Integer, List<byte[]>> recheck) {
    public ExecContext {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
    }

    /** A context outside any transaction. */
    public ExecContext(PartitionRegistry registry, long readTimestamp, MemoryBudget budget, Bindings bindings, int batchRows) {
        this(registry, readTimestamp, budget, bindings, batchRows, null, Map.of());
    }

    public ExecContext withBindings(Bindings other) {
        return new ExecContext(registry, readTimestamp, budget, other, batchRows, txn, recheck);
    }
}
