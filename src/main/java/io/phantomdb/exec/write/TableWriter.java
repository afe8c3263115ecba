package io.phantomdb.exec.write;

import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.RowCodec;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
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
 * Turns one statement's row changes into per-partition mutations (rows and their index entries together)
 * and sends them, after checking NOT NULL, primary-key and UNIQUE constraints for the statement as a whole.
 *
 * <p>Contract with the caller: the caller holds the table's statement lock (no other statement writes the
 * table meanwhile) and a commit timestamp in flight. Constraint checks read the latest committed state
 * directly from the engines; they all happen before the first mutation is sent, so a statement that violates
 * a constraint changes nothing. (An I/O failure of one partition after others applied is not rolled back
 * before Roadmap 3's two-phase commit; see docs/decisions.md D13.)
 *
 * <p>Uniqueness is checked with SQL-standard statement-level semantics: {@code UPDATE t SET k = k + 1} over
 * consecutive keys succeeds (PostgreSQL checks row by row and may fail it).
 */
public final class TableWriter {
    private final PartitionRegistry registry;
    private final PartitionClient partitions;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public TableWriter(PartitionRegistry registry, PartitionClient partitions) {
        this.registry = registry;
        this.partitions = partitions;
    }

    /** Checks and applies the changes at {@code timestamp}; completes with the number of rows changed. */
    public CompletionStage<Integer> apply(TableDef table, List<RowChange> changes, long timestamp) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        Map<Integer, List<Mutation>> byPartition;
        try {
            checkNotNull(table, changes);
            byPartition = table.hasPrimaryKey() ? keyedMutations(table, changes) : keylessMutations(table, changes);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (Map.Entry<Integer, List<Mutation>> e : byPartition.entrySet()) {
            PartitionId id = new PartitionId(table.tableId(), e.getKey());
            writes.add(partitions.write(id, e.getValue(), timestamp).toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).thenApply(v -> changes.size());
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

    private Map<Integer, List<Mutation>> keyedMutations(TableDef table, List<RowChange> changes) {
        Set<ByteBuffer> freed = new HashSet<>();
        for (RowChange change : changes) {
            if (change.before() != null) {
                byte[] key = TableKeys.rowKey(table, change.before());
                freed.add(slot(TableKeys.partitionOf(key, table.partitions()), key));
            }
        }
        checkPrimaryKeys(table, changes, freed);
        checkUniqueIndexes(table, changes, freed);
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

    private void checkPrimaryKeys(TableDef table, List<RowChange> changes, Set<ByteBuffer> freed) {
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
                Engine engine = engine(table, partition);
                if (engine.get(key, Long.MAX_VALUE) != null) {
                    throw duplicate(table, table.name() + "_pkey", table.primaryKey(), change.after());
                }
            }
        }
    }

    private void checkUniqueIndexes(TableDef table, List<RowChange> changes, Set<ByteBuffer> freed) {
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
                List<Object> values = new ArrayList<>();
                for (int column : index.columns()) {
                    values.add(row[column]);
                }
                byte[] prefix = TableKeys.indexPrefix(table, index.indexId(), values);
                if (!written.add(ByteBuffer.wrap(prefix)) || takenElsewhere(table, index, prefix, freed)) {
                    throw duplicate(table, index.name(), index.columns(), row);
                }
            }
        }
    }

    /** Whether any partition holds an entry under {@code prefix} for a row this statement does not free. */
    private boolean takenElsewhere(TableDef table, IndexDef index, byte[] prefix, Set<ByteBuffer> freed) {
        for (int p = 0; p < table.partitions(); p++) {
            try (KvIterator it = engine(table, p).scan(prefix, TableKeys.afterPrefix(prefix), Long.MAX_VALUE, false)) {
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

    private Map<Integer, List<Mutation>> keylessMutations(TableDef table, List<RowChange> changes) {
        Map<Integer, List<Mutation>> out = new TreeMap<>();
        checkUniqueIndexes(table, changes, freedLocators(changes));
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
                out.computeIfAbsent(partition, p -> new ArrayList<>()).add(keylessInsert(table, change.after()));
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

    private static Mutation keylessInsert(TableDef table, Object[] row) {
        byte[] rowPrefix = TableKeys.tableLow(table, TableKeys.PRIMARY_INDEX_ID);
        List<byte[]> indexPrefixes = new ArrayList<>();
        for (IndexDef index : table.indexes()) {
            List<Object> values = new ArrayList<>();
            for (int column : index.columns()) {
                values.add(row[column]);
            }
            indexPrefixes.add(TableKeys.indexPrefix(table, index.indexId(), values));
        }
        return new Mutation.InsertWithRowId(table.tableId(), rowPrefix, RowCodec.encode(row, table.types()), indexPrefixes);
    }

    // ------------------------------------------------------------------------------- helpers

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
