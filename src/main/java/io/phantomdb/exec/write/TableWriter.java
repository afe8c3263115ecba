package io.phantomdb.exec.write;

import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.RowCodec;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.txn.mvcc.LockTable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns one statement's row changes into key/value changes (rows and their index entries together) and
 * buffers them in the statement's transaction, after locking the rows and checking NOT NULL, primary-key and
 * UNIQUE constraints for the statement as a whole. Nothing reaches a partition before the transaction commits.
 *
 * <pre>
 *   lock(...)          row keys of the old and new rows, and each UNIQUE value the new rows take (FIFO waits)
 *   changedSince(...)  which old rows a concurrent transaction changed after the statement's snapshot
 *   stage(...)         constraint checks against the newest committed state + own writes, then buffer
 * </pre>
 *
 * <p>Constraint checks read the newest committed state: the locks make it stable for the keys checked. A
 * statement that violates a constraint buffers nothing.
 *
 * <p>Uniqueness is checked with SQL-standard statement-level semantics: {@code UPDATE t SET k = k + 1} over
 * consecutive keys succeeds (PostgreSQL checks row by row and may fail it).
 */
public final class TableWriter {
    private final PartitionRegistry registry;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public TableWriter(PartitionRegistry registry) {
        this.registry = registry;
    }

    /**
     * Locks, one after the other, the rows the changes touch and the UNIQUE index values they take; completes
     * when all are held (or fails with 55P03 / 40P01 / 53400).
     */
    public CompletionStage<Void> lock(TableDef table, List<RowChange> changes, TxnState txn) {
        List<LockRequest> requests = new ArrayList<>();
        for (RowChange change : changes) {
            if (change.before() != null) {
                requests.add(table.hasPrimaryKey() ? rowLock(table, TableKeys.rowKey(table, change.before()))
                        : new LockRequest(new PartitionId(table.tableId(), change.locator().partition()), change.locator().rowKey()));
            }
            if (change.after() != null && table.hasPrimaryKey()) {
                requests.add(rowLock(table, TableKeys.rowKey(table, change.after())));
            }
            if (change.after() != null) {
                for (IndexDef index : table.indexes()) {
                    if (index.unique() && !index.hasNullIn(change.after())) {
                        byte[] prefix = uniquePrefix(table, index, change.after());
                        requests.add(new LockRequest(new PartitionId(table.tableId(),
                                TableKeys.partitionOf(prefix, table.partitions())), prefix));
                    }
                }
            }
        }
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (LockRequest r : requests) {
            chain = chain.thenCompose(v -> {
                LockTable locks = registry.locks(r.partition());
                return locks.acquire(txn, r.key()).thenRun(() -> txn.held(locks, r.key()));
            });
        }
        return chain;
    }

    private record LockRequest(PartitionId partition, byte[] key) {}

    private static LockRequest rowLock(TableDef table, byte[] rowKey) {
        return new LockRequest(new PartitionId(table.tableId(), TableKeys.partitionOf(rowKey, table.partitions())), rowKey);
    }

    /**
     * The old rows (by row key) whose newest committed version is newer than {@code readTimestamp}: a
     * concurrent transaction changed or deleted them after the statement read them. Call holding the locks.
     * Rows this transaction wrote itself are never stale. For a keyless table the locator's key is returned.
     */
    public List<byte[]> changedSince(TableDef table, List<RowChange> changes, TxnState txn, long readTimestamp) {
        List<byte[]> stale = new ArrayList<>();
        for (RowChange change : changes) {
            if (change.before() == null) {
                continue;
            }
            PartitionId id;
            byte[] key;
            if (table.hasPrimaryKey()) {
                key = TableKeys.rowKey(table, change.before());
                id = new PartitionId(table.tableId(), TableKeys.partitionOf(key, table.partitions()));
            } else {
                key = change.locator().rowKey();
                id = new PartitionId(table.tableId(), change.locator().partition());
            }
            if (txn.buffered(id, key) == null && registry.require(id).newestTimestamp(key) > readTimestamp) {
                stale.add(key);
            }
        }
        return stale;
    }

    /** Checks the constraints and buffers the changes in {@code txn}; returns the number of rows changed. */
    public int stage(TableDef table, List<RowChange> changes, TxnState txn) {
        if (changes.isEmpty()) {
            return 0;
        }
        checkNotNull(table, changes);
        Map<Integer, List<Mutation>> byPartition = table.hasPrimaryKey()
                ? keyedMutations(table, changes, txn) : keylessMutations(table, changes, txn);
        for (Map.Entry<Integer, List<Mutation>> e : byPartition.entrySet()) {
            PartitionId id = new PartitionId(table.tableId(), e.getKey());
            for (Mutation m : e.getValue()) {
                if (m instanceof Mutation.Put put) {
                    txn.put(id, put.key(), put.value());
                } else {
                    txn.delete(id, ((Mutation.Delete) m).key());
                }
            }
        }
        return changes.size();
    }

    private static void checkNotNull(TableDef table, List<RowChange> changes) {
        for (RowChange change : changes) {
            Object[] row = change.after();
            if (row == null) {
                continue;
            }
            for (int c = 0; c < row.length; c++) {
                ColumnDef column = table.columns().get(c);
                if (row[c] == null && !column.nullable()) {
                    throw new PhantomSqlException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + column.name()
                            + "\" of relation \"" + table.name() + "\" violates not-null constraint");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------- tables with a key

    private Map<Integer, List<Mutation>> keyedMutations(TableDef table, List<RowChange> changes, TxnState txn) {
        Set<ByteBuffer> freed = new HashSet<>();
        for (RowChange change : changes) {
            if (change.before() != null) {
                byte[] key = TableKeys.rowKey(table, change.before());
                freed.add(slot(TableKeys.partitionOf(key, table.partitions()), key));
            }
        }
        checkPrimaryKeys(table, changes, freed, txn);
        checkUniqueIndexes(table, changes, freed, txn);
        Map<Integer, List<Mutation>> out = new TreeMap<>();
        for (RowChange change : changes) { // deletes first: a statement may move a key from one row to another
            if (change.before() != null) {
                byte[] key = TableKeys.rowKey(table, change.before());
                List<Mutation> list = out.computeIfAbsent(TableKeys.partitionOf(key, table.partitions()), p -> new ArrayList<>());
                list.add(new Mutation.Delete(key));
                for (IndexDef index : table.indexes()) {
                    list.add(new Mutation.Delete(TableKeys.indexKey(table, index, change.before(), key)));
                }
            }
        }
        for (RowChange change : changes) {
            if (change.after() != null) {
                byte[] key = TableKeys.rowKey(table, change.after());
                List<Mutation> list = out.computeIfAbsent(TableKeys.partitionOf(key, table.partitions()), p -> new ArrayList<>());
                list.add(new Mutation.Put(key, RowCodec.encode(change.after(), table.types())));
                for (IndexDef index : table.indexes()) {
                    list.add(new Mutation.Put(TableKeys.indexKey(table, index, change.after(), key), new byte[0]));
                }
            }
        }
        return out;
    }

    private void checkPrimaryKeys(TableDef table, List<RowChange> changes, Set<ByteBuffer> freed, TxnState txn) {
        Set<ByteBuffer> written = new HashSet<>();
        for (RowChange change : changes) {
            if (change.after() == null) {
                continue;
            }
            byte[] key = TableKeys.rowKey(table, change.after());
            int partition = TableKeys.partitionOf(key, table.partitions());
            ByteBuffer k = slot(partition, key);
            if (!written.add(k)) {
                throw duplicate(table, table.name() + "_pkey", table.primaryKey(), change.after());
            }
            if (!freed.contains(k)) {
                PartitionId id = new PartitionId(table.tableId(), partition);
                if (newest(txn, id, key) != null) {
                    throw duplicate(table, table.name() + "_pkey", table.primaryKey(), change.after());
                }
            }
        }
    }

    private void checkUniqueIndexes(TableDef table, List<RowChange> changes, Set<ByteBuffer> freed, TxnState txn) {
        for (IndexDef index : table.indexes()) {
            if (!index.unique()) {
                continue;
            }
            Set<ByteBuffer> written = new HashSet<>();
            for (RowChange change : changes) {
                Object[] row = change.after();
                if (row == null || index.hasNullIn(row)) {
                    continue; // NULLs are distinct from each other (PostgreSQL's default NULLS DISTINCT)
                }
                byte[] prefix = uniquePrefix(table, index, row);
                if (!written.add(ByteBuffer.wrap(prefix)) || takenElsewhere(table, index, prefix, freed, txn)) {
                    throw duplicate(table, index.name(), index.columns(), row);
                }
            }
        }
    }

    /** Whether any partition holds an entry under {@code prefix} for a row this statement does not free. */
    private boolean takenElsewhere(TableDef table, IndexDef index, byte[] prefix, Set<ByteBuffer> freed, TxnState txn) {
        for (int p = 0; p < table.partitions(); p++) {
            PartitionId id = new PartitionId(table.tableId(), p);
            try (KvIterator it = txn.view(id, engine(table, p), prefix, TableKeys.afterPrefix(prefix), Long.MAX_VALUE)) {
                while (it.next()) {
                    List<Object> pk = TableKeys.primaryKeyOfIndexEntry(table, index, it.key());
                    if (!freed.contains(slot(p, TableKeys.rowKeyFromValues(table, pk)))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------- keyless tables

    private Map<Integer, List<Mutation>> keylessMutations(TableDef table, List<RowChange> changes, TxnState txn) {
        Map<Integer, List<Mutation>> out = new TreeMap<>();
        checkUniqueIndexes(table, changes, freedLocators(changes), txn);
        for (RowChange change : changes) {
            if (change.before() != null) {
                byte[] key = change.locator().rowKey();
                List<Mutation> list = out.computeIfAbsent(change.locator().partition(), p -> new ArrayList<>());
                if (change.after() == null) {
                    list.add(new Mutation.Delete(key));
                } else {
                    list.add(new Mutation.Put(key, RowCodec.encode(change.after(), table.types())));
                }
                for (IndexDef index : table.indexes()) {
                    list.add(new Mutation.Delete(TableKeys.indexKey(table, index, change.before(), key)));
                    if (change.after() != null) {
                        list.add(new Mutation.Put(TableKeys.indexKey(table, index, change.after(), key), new byte[0]));
                    }
                }
            } else {
                int partition = Math.floorMod(roundRobin.getAndIncrement(), table.partitions());
                out.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(keylessInsert(table, partition, change.after()));
            }
        }
        return out;
    }

    private static Set<ByteBuffer> freedLocators(List<RowChange> changes) {
        Set<ByteBuffer> freed = new HashSet<>();
        for (RowChange change : changes) {
            if (change.locator() != null) {
                freed.add(slot(change.locator().partition(), change.locator().rowKey()));
            }
        }
        return freed;
    }

    /** A stored row's identity across partitions: keyless tables number rows per partition. */
    private static ByteBuffer slot(int partition, byte[] rowKey) {
        return ByteBuffer.allocate(4 + rowKey.length).putInt(partition).put(rowKey).flip();
    }

    /** A keyless row under the partition's next row id, with its index entries. */
    private List<Mutation> keylessInsert(TableDef table, int partition, Object[] row) {
        byte[] rowPrefix = TableKeys.tableLow(table, TableKeys.PRIMARY_INDEX_ID);
        byte[] key = PartitionRegistry.rowIdKey(rowPrefix, registry.nextRowId(new PartitionId(table.tableId(), partition), rowPrefix));
        List<Mutation> out = new ArrayList<>();
        out.add(new Mutation.Put(key, RowCodec.encode(row, table.types())));
        for (IndexDef index : table.indexes()) {
            out.add(new Mutation.Put(TableKeys.indexKey(table, index, row, key), new byte[0]));
        }
        return out;
    }

    // ------------------------------------------------------------------------------- helpers

    /** A key's newest value: this transaction's own write if it made one, else the newest committed one. */
    private byte[] newest(TxnState txn, PartitionId id, byte[] key) {
        byte[] own = txn.buffered(id, key);
        if (own != null) {
            return TxnState.isDeleted(own) ? null : own;
        }
        return registry.require(id).get(key, Long.MAX_VALUE);
    }

    private static byte[] uniquePrefix(TableDef table, IndexDef index, Object[] row) {
        List<Object> values = new ArrayList<>();
        for (int column : index.columns()) {
            values.add(row[column]);
        }
        return TableKeys.indexPrefix(table, index.indexId(), values);
    }

    private Engine engine(TableDef table, int partition) {
        return registry.require(new PartitionId(table.tableId(), partition));
    }

    private static PhantomSqlException duplicate(TableDef table, String constraint, List<Integer> columns, Object[] row) {
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int column : columns) {
            if (names.length() > 0) {
                names.append(", ");
                values.append(", ");
            }
            names.append(table.columns().get(column).name());
            values.append(row[column]);
        }
        return new PhantomSqlException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \""
                + constraint + "\": Key (" + names + ")=(" + values + ") already exists.");
    }
}
