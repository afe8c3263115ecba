package io.phantomdb.partition;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.codec.KeyOrder;
import io.phantomdb.txn.mvcc.LockTable;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node-local state of the partitions running here, outside their mailboxes:
 * <ul>
 *   <li>each running {@link PartitionEntity} registers its engine, so that reads at a snapshot timestamp go
 *       straight to the engine's concurrent read path instead of queueing behind writes (DESIGN.md
 *       "Partitions"); writes go to the engine's commit queue, its single writer (commits straight from the
 *       caller, {@link PartitionClient#write(PartitionRegistry, PartitionId, List, long)}; 2PC steps and
 *       catalog writes through the entity);</li>
 *   <li>each partition's {@link LockTable} (row locks of the transactions writing it);</li>
 *   <li>row-id counters of tables without a primary key (ids are handed out when a transaction buffers the
 *       insert, long before it commits; an aborted insert leaves a gap, as a sequence does);</li>
 *   <li>the transactions in doubt at each partition: those with a durable PREPARE record that was neither
 *       committed nor aborted yet (two-phase commit, DESIGN.md "Transactions");</li>
 *   <li>the node's {@link Timestamps}, which readers ask whether a key they read is being committed below
 *       their timestamp ({@link #commitInFlight}, decisions D25).</li>
 * </ul>
 *
 * <p>Thread-safe. One instance per node.
 */
public final class PartitionRegistry {
    private final Map<PartitionId, Engine> engines = new ConcurrentHashMap<>();
    private final Map<PartitionId, LockTable> lockTables = new ConcurrentHashMap<>();
    private final Map<PartitionId, Long> lastRowIds = new ConcurrentHashMap<>();
    /** Txn ids with a PREPARE record, per running partition; the sets are concurrent too. */
    private final Map<PartitionId, Set<Long>> inDoubt = new ConcurrentHashMap<>();
    private final Supplier<LockTable> lockTableFactory;
    /** Set once when the node starts; null in tools and tests that commit without timestamps. */
    private volatile Timestamps timestamps;

    /** A registry with default lock limits and no deadlock reporting (tools and tests). */
    public PartitionRegistry() {
        this(() -> new LockTable(10_000, 30_000, DefaultTimer.INSTANCE, io.phantomdb.txn.mvcc.WaitListener.NONE));
    }

    /** One daemon timer thread for the lock timeouts of registries built without one. */
    private static final class DefaultTimer {
        static final java.util.concurrent.ScheduledExecutorService INSTANCE =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "phantom-lock-timer");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A registry whose lock tables come from {@code lockTableFactory} (limits and deadlock reporting). */
    public PartitionRegistry(Supplier<LockTable> lockTableFactory) {
        this.lockTableFactory = lockTableFactory;
    }

    /** The node's timestamps, whose keyed commits in flight {@link #commitInFlight} reports. */
    public void timestamps(Timestamps nodeTimestamps) {
        this.timestamps = nodeTimestamps;
    }

    /**
     * Whether a read of {@code key} (null: any key, for a scan) of {@code id} at {@code readTimestamp} meets a
     * commit still in flight at or below that timestamp: null if not, else a stage that completes when that
     * commit has ended (read again then). See {@link Timestamps#inFlight}.
     */
    public CompletionStage<Void> commitInFlight(PartitionId id, byte[] key, long readTimestamp) {
        Timestamps t = timestamps;
        return t == null ? null : t.inFlight(id, key, readTimestamp);
    }

    void register(PartitionId id, Engine engine) {
        Engine previous = engines.putIfAbsent(id, engine);
        if (previous != null && previous != engine) {
            throw new IllegalStateException("partition " + id + " registered twice on this node");
        }
    }

    void deregister(PartitionId id, Engine engine) {
        if (engines.remove(id, engine)) {
            lastRowIds.remove(id);
            inDoubt.remove(id);
        }
    }

    /**
     * The transactions in doubt at a partition running here: each has a durable PREPARE record awaiting the
     * coordinator's decision. Empty when none or when the partition is not running. A snapshot: a commit or
     * abort completing afterwards is not reflected in the returned set.
     */
    public Set<Long> inDoubt(PartitionId id) {
        Set<Long> txns = inDoubt.get(id);
        return txns == null ? Set.of() : Set.copyOf(txns);
    }

    /** At partition start: the transactions whose PREPARE records the engine holds. */
    void restoreInDoubt(PartitionId id, Set<Long> txnIds) {
        Set<Long> txns = ConcurrentHashMap.newKeySet();
        txns.addAll(txnIds);
        inDoubt.put(id, txns);
    }

    /** A PREPARE record of {@code txnId} became durable at the partition. */
    void prepared(PartitionId id, long txnId) {
        inDoubt.computeIfAbsent(id, p -> ConcurrentHashMap.newKeySet()).add(txnId);
    }

    /** The PREPARE record of {@code txnId} was removed (committed or aborted). */
    void resolved(PartitionId id, long txnId) {
        Set<Long> txns = inDoubt.get(id);
        if (txns != null) {
            txns.remove(txnId);
        }
    }

    /** The engine of a partition running on this node, if it is running. */
    public Optional<Engine> engine(PartitionId id) {
        return Optional.ofNullable(engines.get(id));
    }

    /** The engine of a partition that must be running on this node, else SQLSTATE 58030. */
    public Engine require(PartitionId id) {
        Engine engine = engines.get(id);
        if (engine == null) {
            throw new PhantomSqlException(SqlState.IO_ERROR, "partition " + id + " is not running on this node");
        }
        return engine;
    }

    /** The row locks of a partition. */
    public LockTable locks(PartitionId id) {
        return lockTables.computeIfAbsent(id, p -> lockTableFactory.get());
    }

    /**
     * The next row id of a keyless table's partition: one more than the last handed out, which starts at the
     * highest id stored under {@code rowPrefix} (a KeyCodec tuple the id extends).
     */
    public long nextRowId(PartitionId id, byte[] rowPrefix) {
        Engine engine = require(id);
        return lastRowIds.compute(id, (p, last) -> Math.addExact(last != null ? last : highestRowId(engine, rowPrefix), 1));
    }

    /** The key of row {@code rowId} under {@code rowPrefix}. */
    public static byte[] rowIdKey(byte[] rowPrefix, long rowId) {
        byte[] suffix = KeyCodec.encode(List.of(rowId), new KeyOrder[] {KeyOrder.ASC_NULLS_LAST});
        byte[] out = java.util.Arrays.copyOf(rowPrefix, rowPrefix.length + suffix.length);
        System.arraycopy(suffix, 0, out, rowPrefix.length, suffix.length);
        return out;
    }

    /** The highest row id stored under {@code rowPrefix} (0 when none): one reverse step of a scan. */
    private static long highestRowId(Engine engine, byte[] rowPrefix) {
        byte[] high = java.util.Arrays.copyOf(rowPrefix, rowPrefix.length + 1);
        high[rowPrefix.length] = (byte) 0xFF;
        try (KvIterator it = engine.scan(rowPrefix, high, Long.MAX_VALUE, true)) {
            if (!it.next()) {
                return 0;
            }
            List<Object> tuple = KeyCodec.decode(it.key(), new boolean[it.key().length]);
            return (Long) tuple.get(tuple.size() - 1);
        }
    }

    /** The partitions running on this node. */
    public Set<PartitionId> running() {
        return Set.copyOf(engines.keySet());
    }

    /** Every engine running on this node (for the GC horizon and statistics). */
    public Iterable<Engine> engines() {
        return engines.values();
    }
}
