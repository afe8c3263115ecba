package io.phantomdb.exec.scan;

import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.RowCodec;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.PartitionEntity;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.StorageException;
import io.phantomdb.txn.mvcc.CommitInFlightException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Scan sources: a table's rows as a {@code Source<Batch>} that reads the engine only as demand arrives
 * (one batch per pull), and closes its iterator when the stream completes, fails or is cancelled, so a
 * consumer that stops pulling stops the scan (DESIGN.md "Partitions": scans are streams).
 *
 * <p>Reads go through the {@link PartitionRegistry} (the engines' concurrent read path) at the query's read
 * timestamp; inside a transaction they see its own buffered writes and are recorded for SERIALIZABLE
 * validation ({@link TxnState}). Partitions are read one after the other; each partition's engine is looked up when its turn
 * comes. A storage error fails the stream with SQLSTATE 58030, a checksum failure with XX001: a corrupt block
 * is never returned as data.
 */
public final class TableScans {
    private TableScans() {}

    /** One scan: which table, which partitions, which access path, at which timestamp. */
    public record ScanSpec(TableDef table, List<Integer> partitions, AccessPath path, long readTimestamp, int batchRows,
            boolean[] wanted, TxnState txn) {
        /** A scan outside any transaction that materializes every column. */
        public ScanSpec(TableDef table, List<Integer> partitions, AccessPath path, long readTimestamp, int batchRows) {
            this(table, partitions, path, readTimestamp, batchRows, null, null);
        }
    }

    /** The rows, each with an extra trailing column when {@code withLocator}: see {@link Locator}. */
    public static Source<Batch, NotUsed> rows(PartitionRegistry registry, ScanSpec spec) {
        if (spec.path() instanceof AccessPath.KeyLookup lookup) {
            return Source.lazySource(() -> lookupSource(registry, spec, lookup)).mapMaterializedValue(f -> NotUsed.getInstance());
        }
        return partitionScans(registry, spec, false);
    }

    /**
     * Rows with their locator (partition and row key) as a trailing column of class {@link Locator}, for
     * UPDATE/DELETE of tables without a primary key. Reads every listed partition in full.
     */
    public static Source<Batch, NotUsed> rowsWithLocators(PartitionRegistry registry, ScanSpec spec) {
        return partitionScans(registry, spec, true);
    }

    /** Where a stored row lives. */
    public record Locator(int partition, byte[] rowKey) {}

    /**
     * The listed partitions one after the other, as one stage: fused with the query's other stages (no async boundary,
     * no actor per scan: reads hit the memtable and block cache far more often than the disk; see
     * FusedResourceSource), and one stage whatever the partition count (a stage per partition, concatenated, cost
     * more to materialize than a short range scan cost to read).
     */
    private static Source<Batch, NotUsed> partitionScans(PartitionRegistry registry, ScanSpec spec, boolean withLocator) {
        return Source.fromGraph(new FusedResourceSource<>(
                () -> new Partitions(registry, spec, withLocator),
                partitions -> Optional.ofNullable(partitions.next()),
                Partitions::close));
    }

    /** Reads the spec's partitions in turn: each opened when the previous one is exhausted, then closed. */
    private static final class Partitions {
        private final PartitionRegistry registry;
        private final ScanSpec spec;
        private final boolean withLocator;
        private int nextIndex;
        private Cursor current;

        Partitions(PartitionRegistry registry, ScanSpec spec, boolean withLocator) {
            this.registry = registry;
            this.spec = spec;
            this.withLocator = withLocator;
        }

        /**
         * The next batch, or null after the last partition. Throws {@link CommitInFlightException} from opening a
         * partition having changed nothing: call again once the commit has ended.
         */
        Batch next() {
            while (true) {
                if (current == null) {
                    if (nextIndex == spec.partitions().size()) {
                        return null;
                    }
                    current = open(registry, spec, new PartitionId(spec.table().tableId(), spec.partitions().get(nextIndex)));
                    nextIndex++;
                }
                Batch batch = current.next(withLocator);
                if (batch != null) {
                    return batch;
                }
                current.close();
                current = null;
            }
        }

        void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    private static Cursor open(PartitionRegistry registry, ScanSpec spec, PartitionId id) {
        Engine engine = registry.require(id);
        byte[] low;
        byte[] high;
        int indexId;
        if (spec.path() instanceof AccessPath.IndexRange range) {
            indexId = range.indexId();
            low = range.low() != null ? range.low() : TableKeys.tableLow(spec.table(), indexId);
            high = range.high() != null ? range.high() : TableKeys.tableHigh(spec.table(), indexId);
        } else {
            indexId = TableKeys.PRIMARY_INDEX_ID;
            low = TableKeys.tableLow(spec.table(), indexId);
            high = TableKeys.tableHigh(spec.table(), indexId);
        }
        // A commit in flight below the read timestamp, anywhere in the partition (an index scan reads rows
        // outside its key range too): wait until it has landed (D25). FusedResourceSource waits and reads again.
        CommitInFlightException.check(registry.commitInFlight(id, null, spec.readTimestamp()));
        try {
            KvIterator iterator = spec.txn() == null ? engine.scan(low, high, spec.readTimestamp(), false)
                    : spec.txn().view(id, engine, low, high, spec.readTimestamp());
            return new Cursor(engine, spec, id.partition(), indexId, iterator);
        } catch (StorageException e) {
            throw storageError(id, e);
        }
    }

    /** One partition's iterator, read a batch at a time. */
    private static final class Cursor {
        private final Engine engine;
        private final ScanSpec spec;
        private final int partition;
        private final IndexDef index;
        private final KvIterator iterator;

        Cursor(Engine engine, ScanSpec spec, int partition, int indexId, KvIterator iterator) {
            this.engine = engine;
            this.spec = spec;
            this.partition = partition;
            this.index = indexId == TableKeys.PRIMARY_INDEX_ID ? null : spec.table().indexById(indexId);
            this.iterator = iterator;
        }

        /** The next batch, or null at the end. */
        Batch next(boolean withLocator) {
            List<Object[]> rows = new ArrayList<>(spec.batchRows());
            try {
                while (rows.size() < spec.batchRows() && iterator.next()) {
                    Object[] row = index == null ? decode(iterator.key(), iterator.value(), withLocator) : followIndex();
                    if (row != null) {
                        rows.add(row);
                    }
                }
            } catch (StorageException e) {
                throw storageError(new PartitionId(spec.table().tableId(), partition), e);
            }
            return rows.isEmpty() ? null : new Batch(rows);
        }

        private Object[] followIndex() {
            List<Object> pk = TableKeys.primaryKeyOfIndexEntry(spec.table(), index, iterator.key());
            byte[] rowKey = TableKeys.rowKeyFromValues(spec.table(), pk);
            byte[] value = read(spec, new PartitionId(spec.table().tableId(), partition), engine, rowKey);
            if (value == null) {
                // The entry and its row are written in one batch, so a visible entry has a visible row.
                throw new PhantomSqlException(SqlState.DATA_CORRUPTED, "index " + index.name() + " of table "
                        + spec.table().name() + " names a row that does not exist (partition " + partition + ")");
            }
            return RowCodec.decode(value, spec.table().types(), spec.wanted());
        }

        private Object[] decode(byte[] key, byte[] value, boolean withLocator) {
            Object[] row = RowCodec.decode(value, spec.table().types(), withLocator ? null : spec.wanted());
            if (!withLocator) {
                return row;
            }
            Object[] extended = java.util.Arrays.copyOf(row, row.length + 1);
            extended[row.length] = new Locator(partition, key);
            return extended;
        }

        void close() {
            iterator.close();
        }
    }

    /** The looked-up rows; when a key is being committed below the read timestamp, once that commit has ended. */
    private static Source<Batch, NotUsed> lookupSource(PartitionRegistry registry, ScanSpec spec, AccessPath.KeyLookup lookup) {
        try {
            return Source.from(lookups(registry, spec, lookup));
        } catch (CommitInFlightException e) {
            return Source.completionStageSource(e.ended().thenApply(v -> lookupSource(registry, spec, lookup)))
                    .mapMaterializedValue(f -> NotUsed.getInstance());
        }
    }

    private static List<Batch> lookups(PartitionRegistry registry, ScanSpec spec, AccessPath.KeyLookup lookup) {
        List<Object[]> rows = lookupRows(registry, spec, lookup);
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += spec.batchRows()) {
            batches.add(new Batch(rows.subList(from, Math.min(rows.size(), from + spec.batchRows()))));
        }
        return batches;
    }

    /**
     * The rows of complete primary keys, read on the caller's thread (a few point reads: no stream is worth
     * materializing for them). Keys without a visible row are skipped. Throws {@link CommitInFlightException}
     * (having read nothing) when a key is being committed below the read timestamp: run again once it ended.
     */
    public static List<Object[]> lookupRows(PartitionRegistry registry, ScanSpec spec, AccessPath.KeyLookup lookup) {
        List<Object[]> rows = new ArrayList<>(lookup.rowKeys().size());
        for (byte[] key : lookup.rowKeys()) {
            int partition = TableKeys.partitionOf(key, spec.table().partitions());
            PartitionId id = new PartitionId(spec.table().tableId(), partition);
            CommitInFlightException.check(registry.commitInFlight(id, key, spec.readTimestamp())); // D25
            byte[] value;
            try {
                value = read(spec, id, registry.require(id), key);
            } catch (StorageException e) {
                throw storageError(id, e);
            }
            if (value != null) {
                rows.add(RowCodec.decode(value, spec.table().types(), spec.wanted()));
            }
        }
        return rows;
    }

    /** A row by key at the scan's timestamp, through the transaction's own writes if there is one. */
    private static byte[] read(ScanSpec spec, PartitionId id, Engine engine, byte[] rowKey) {
        return spec.txn() == null ? engine.get(rowKey, spec.readTimestamp()) : spec.txn().get(id, engine, rowKey, spec.readTimestamp());
    }

    private static PhantomSqlException storageError(PartitionId id, StorageException e) {
        return PartitionEntity.storageError("reading partition " + id, e);
    }
}
