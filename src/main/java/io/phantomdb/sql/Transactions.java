package io.phantomdb.sql;

import io.phantomdb.catalog.Catalog;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.txn.mvcc.IsolationLevel;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Begins, snapshots, commits and rolls back transactions on this node (docs/transactions.md).
 *
 * <pre>
 *   begin ─ statement snapshots (RC: one per statement; RR/SER: the first, held to the end: GC horizon)
 *         ─ writes buffered in TxnState under row locks
 *   commit: mark committing ─ SERIALIZABLE: validate reads ─ table locks shared (no index build meanwhile)
 *         ─ table definitions unchanged? ─ commit timestamp ─ one write per partition ─ release locks
 * </pre>
 *
 * <p>A commit that touches one partition is one WAL record there. A commit across partitions writes each
 * partition at the same timestamp and becomes visible to readers only when all have it (Timestamps); it is
 * not yet atomic if the node crashes between the partitions' writes: two-phase commit (Roadmap 3, issue 5)
 * closes that gap.
 *
 * <p>Thread-safe.
 */
public final class Transactions {
    private final PartitionRegistry registry;
    private final PartitionClient partitions;
    private final Timestamps timestamps;
    private final TxnSettings settings;
    private final Catalog catalog;
    private final TableLocks tableLocks;
    private final LongConsumer ended;
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<Long, TxnState> active = new ConcurrentHashMap<>();
    /** Per transaction: the definitions of the tables it wrote, checked at commit. */
    private final Map<Long, Map<Integer, TableDef>> written = new ConcurrentHashMap<>();

    /**
     * @param ended told the id of every transaction that ended (the deadlock detector drops its edges)
     */
    Transactions(PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps, TxnSettings settings,
            Catalog catalog, TableLocks tableLocks, LongConsumer ended) {
        this.registry = registry;
        this.partitions = partitions;
        this.timestamps = timestamps;
        this.settings = settings;
        this.catalog = catalog;
        this.tableLocks = tableLocks;
        this.ended = ended;
    }

    TxnSettings settings() {
        return settings;
    }

    TxnState begin(IsolationLevel level, boolean readOnly) {
        TxnState txn = new TxnState(ids.incrementAndGet(), level, readOnly, settings.readSetKeysMax(), settings.writesMax());
        active.put(txn.id(), txn);
        return txn;
    }

    /** The deadlock detector chose {@code txnId}: its pending lock wait fails with 40P01. */
    public void victim(long txnId) {
        TxnState txn = active.get(txnId);
        if (txn != null) {
            txn.victimize();
        }
    }

    /**
     * The read timestamp of the next statement: READ COMMITTED opens a fresh one (the caller closes it with
     * {@link #endStatement}); the snapshot levels take the transaction's snapshot on its first statement.
     */
    CompletionStage<Long> statementSnapshot(TxnState txn) {
        if (!txn.level().snapshotPerTransaction()) {
            return timestamps.openReadAfterAcknowledged();
        }
        if (txn.hasSnapshot()) {
            return CompletableFuture.completedFuture(txn.snapshot());
        }
        return timestamps.openReadAfterAcknowledged().thenApply(ts -> {
            txn.snapshot(ts);
            return ts;
        });
    }

    void endStatement(TxnState txn, long readTimestamp) {
        if (!txn.level().snapshotPerTransaction()) {
            timestamps.closeRead(readTimestamp);
        }
    }

    /** A fresh read timestamp for a READ COMMITTED re-check; close with {@link Timestamps#closeRead}. */
    Timestamps timestamps() {
        return timestamps;
    }

    /** Remembers the definition a transaction's writes to a table were computed with. */
    void wrote(TxnState txn, TableDef table) {
        written.computeIfAbsent(txn.id(), id -> new ConcurrentHashMap<>()).putIfAbsent(table.tableId(), table);
    }

    /** Commits: completes when the writes are durable and visible, or fails (40001, 58030) having rolled back. */
    CompletionStage<Void> commit(TxnState txn) {
        if (!txn.hasWrites()) {
            finish(txn);
            return CompletableFuture.completedFuture(null);
        }
        Map<Integer, TableDef> tables = written.getOrDefault(txn.id(), Map.of());
        List<Integer> tableIds = tables.keySet().stream().sorted().toList();
        return tableLocks.withShared(tableIds, () -> {
            txn.markCommitting();
            txn.validateReads(registry);
            checkDefinitions(tables);
            return write(txn);
        }).whenComplete((v, e) -> finish(txn));
    }

    private void checkDefinitions(Map<Integer, TableDef> tables) {
        for (TableDef used : tables.values()) {
            TableDef now = catalog.current().tables().get(used.name());
            if (now == null || now.tableId() != used.tableId() || !now.indexes().equals(used.indexes())) {
                throw new PhantomSqlException(SqlState.SERIALIZATION_FAILURE, "table \"" + used.name()
                        + "\" was altered or dropped while this transaction wrote to it; retry the transaction");
            }
        }
    }

    private CompletionStage<Void> write(TxnState txn) {
        Map<PartitionId, List<Mutation>> byPartition = txn.mutations();
        long ts = timestamps.beginCommit();
        List<CompletableFuture<Long>> writes = new ArrayList<>(byPartition.size());
        try {
            for (Map.Entry<PartitionId, List<Mutation>> e : byPartition.entrySet()) {
                writes.add(partitions.write(e.getKey(), e.getValue(), ts).toCompletableFuture());
            }
        } catch (RuntimeException e) {
            timestamps.endCommit(ts);
            throw e;
        }
        return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
                .whenComplete((v, e) -> timestamps.endCommit(ts));
    }

    /** Discards the writes and releases everything. */
    void rollback(TxnState txn) {
        finish(txn);
    }

    /** Releases the row locks and the snapshot; idempotent. */
    private void finish(TxnState txn) {
        if (active.remove(txn.id()) == null) {
            return;
        }
        written.remove(txn.id());
        txn.releaseLocks();
        if (txn.hasSnapshot()) {
            timestamps.closeRead(txn.snapshot());
        }
        ended.accept(txn.id());
    }
}
