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
import io.phantomdb.txn.coordinator.Decision;
import io.phantomdb.txn.coordinator.PartitionParticipants;
import io.phantomdb.txn.coordinator.Participants;
import io.phantomdb.txn.coordinator.TxnCoordinatorClient;
import io.phantomdb.txn.mvcc.IsolationLevel;
import io.phantomdb.txn.mvcc.Timestamps;
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
 * <p>A commit that touches one partition is one WAL record there. A commit across partitions goes through
 * the {@link TxnCoordinatorClient two-phase commit coordinator}: every partition makes a durable PREPARE
 * record, the decision is journaled, then each partition applies its part at the commit timestamp. Readers
 * see it only when all have it (both timestamps stay in flight in Timestamps until the coordinator answers).
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
    private final TxnCoordinatorClient coordinator;
    /** The partitions as 2PC participants, for settling a commit whose coordinator did not answer. */
    private final Participants participants;
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<Long, TxnState> active = new ConcurrentHashMap<>();
    /** Per transaction: the definitions of the tables it wrote, checked at commit. */
    private final Map<Long, Map<Integer, TableDef>> written = new ConcurrentHashMap<>();

    /**
     * @param ended told the id of every transaction that ended (the deadlock detector drops its edges)
     */
    Transactions(PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps, TxnSettings settings,
            Catalog catalog, TableLocks tableLocks, LongConsumer ended, TxnCoordinatorClient coordinator) {
        this.coordinator = coordinator;
        this.participants = new PartitionParticipants(partitions, timestamps::issue);
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

    /** The node's partitions (tests reach the engines through it). */
    PartitionRegistry registry() {
        return registry;
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
        if (byPartition.size() == 1) {
            Map.Entry<PartitionId, List<Mutation>> only = byPartition.entrySet().iterator().next();
            long ts = timestamps.beginCommit(keysOf(byPartition));
            return partitions.write(registry, only.getKey(), only.getValue(), ts).<Void>thenApply(t -> null)
                    .whenComplete((v, e) -> timestamps.endCommit(ts));
        }
        // The PREPARE records lie outside every table's keys: no reader waits for them. The commit's keys become
        // visible partition by partition, so a reader above commitTs waits for it where it reads them (D25).
        long prepareTs = timestamps.beginCommit(Map.of());
        long commitTs = timestamps.beginCommit(keysOf(byPartition));
        return coordinator.commit(txn.id(), byPartition, prepareTs, commitTs)
                .handle((decision, failure) -> failure == null ? CompletableFuture.completedFuture(decision)
                        : settle(txn.id(), byPartition.keySet(), failure))
                .thenCompose(d -> d)
                .<Void>thenApply(decision -> {
                    if (!decision.committed()) {
                        throw new PhantomSqlException(SqlState.SERIALIZATION_FAILURE, "transaction " + txn.id()
                                + " was aborted by its commit coordinator; retry the transaction");
                    }
                    return null;
                })
                .whenComplete((v, e) -> {
                    timestamps.endCommit(commitTs);
                    timestamps.endCommit(prepareTs);
                });
    }

    /** The keys a commit writes, per partition: where readers above its timestamp must wait for it. */
    private static Map<PartitionId, List<byte[]>> keysOf(Map<PartitionId, List<Mutation>> byPartition) {
        Map<PartitionId, List<byte[]>> keys = new java.util.HashMap<>();
        for (Map.Entry<PartitionId, List<Mutation>> e : byPartition.entrySet()) {
            List<byte[]> list = new java.util.ArrayList<>(e.getValue().size());
            for (Mutation m : e.getValue()) {
                list.add(m.key());
            }
            keys.put(e.getKey(), list);
        }
        return keys;
    }

    /**
     * The coordinator did not answer the commit (it failed, or timed out): asks for the decision (which makes
     * an undecided transaction abort) and applies it to every participant before the locks go, so no other
     * transaction writes a row that a PREPARE record still holds. If even that fails, the commit's own error
     * stands (the node settles the transaction at its next start at the latest). A decision to commit that
     * got applied here turns the failure into a success.
     */
    private CompletionStage<Decision> settle(long txnId, java.util.Set<PartitionId> partitionIds, Throwable failure) {
        return coordinator.outcome(txnId).thenCompose(decision -> {
            List<CompletableFuture<Void>> applied = new java.util.ArrayList<>();
            for (PartitionId id : partitionIds) {
                applied.add(participants.apply(id, txnId, decision).toCompletableFuture());
            }
            return CompletableFuture.allOf(applied.toArray(new CompletableFuture<?>[0])).thenApply(v -> decision);
        }).handle((decision, e) -> {
            if (e != null || !decision.committed()) { // aborted (or unknown): the commit's own error says why
                throw failure instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(failure);
            }
            return decision;
        });
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
