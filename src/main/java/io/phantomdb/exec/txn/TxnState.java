package io.phantomdb.exec.txn;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.BytesKey;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.txn.mvcc.IsolationLevel;
import io.phantomdb.txn.mvcc.LockOwner;
import io.phantomdb.txn.mvcc.LockTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One transaction's private state (docs/transactions.md):
 * <ul>
 *   <li>its writes, buffered per partition as the key/value changes they will commit (rows and index entries
 *       alike), read back by the transaction's own scans through {@link #view}; a savepoint is a position in
 *       the undo log of those changes;</li>
 *   <li>its snapshot (REPEATABLE READ and SERIALIZABLE: taken at the first statement, held to the end);</li>
 *   <li>what it read (SERIALIZABLE only), validated at commit by {@link #validateReads};</li>
 *   <li>the row locks it holds, released at its end.</li>
 * </ul>
 *
 * <p>Used by one statement at a time (its session's), so the write buffer needs no locking; the read set
 * and the wait-cancel hook may be touched from stream and timer threads and are synchronized or volatile.
 */
public final class TxnState implements LockOwner {
    /** A buffered delete (compared by identity). */
    static final byte[] DELETED = new byte[0];

    private final long id;
    private final IsolationLevel level;
    private final boolean readOnly;
    private final int readSetKeysMax;
    private final int writesMax;
    private volatile boolean committing;
    private volatile Runnable cancelWait;
    private long snapshot = -1;
    private final Map<PartitionId, TreeMap<byte[], byte[]>> writes = new HashMap<>();
    private final List<Undo> undo = new ArrayList<>();
    private final Map<PartitionId, ReadSet> reads = new ConcurrentHashMap<>();
    private final Set<HeldLock> locks = new LinkedHashSet<>();

    /** The previous buffered state of a key (null = not buffered). */
    private record Undo(PartitionId partition, byte[] key, byte[] previous) {}

    private record HeldLock(LockTable table, BytesKey key) {}

    /**
     * @param readSetKeysMax keys and ranges recorded per partition before the whole partition counts as read
     * @param writesMax buffered changes allowed ({@code phantom.txn.writes-max}); past it writes fail with 53400
     */
    public TxnState(long id, IsolationLevel level, boolean readOnly, int readSetKeysMax, int writesMax) {
        this.writesMax = writesMax;
        this.id = id;
        this.level = level;
        this.readOnly = readOnly;
        this.readSetKeysMax = readSetKeysMax;
    }

    @Override
    public long id() {
        return id;
    }

    public IsolationLevel level() {
        return level;
    }

    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean committing() {
        return committing;
    }

    /** Enters the commit: from now on SERIALIZABLE validators of others treat this one's locked keys as written. */
    public void markCommitting() {
        committing = true;
    }

    @Override
    public void waitingOn(Runnable cancel) {
        cancelWait = cancel;
    }

    /** Chosen as a deadlock victim: fails the pending lock wait (if it still waits) with 40P01. */
    public void victimize() {
        Runnable cancel = cancelWait;
        if (cancel != null) {
            cancel.run();
        }
    }

    // ------------------------------------------------------------------------------- snapshot

    public boolean hasSnapshot() {
        return snapshot >= 0;
    }

    /** The transaction snapshot (REPEATABLE READ / SERIALIZABLE), once taken. */
    public long snapshot() {
        return snapshot;
    }

    public void snapshot(long timestamp) {
        this.snapshot = timestamp;
    }

    // ------------------------------------------------------------------------------- writes

    /** Buffers a put of {@code key} in {@code partition}. */
    public void put(PartitionId partition, byte[] key, byte[] value) {
        buffer(partition, key, value);
    }

    /** Buffers a delete of {@code key} in {@code partition}. */
    public void delete(PartitionId partition, byte[] key) {
        buffer(partition, key, DELETED);
    }

    private void buffer(PartitionId partition, byte[] key, byte[] value) {
        if (readOnly) {
            throw new PhantomSqlException(SqlState.READ_ONLY_SQL_TRANSACTION, "cannot write in a read-only transaction");
        }
        if (undo.size() >= writesMax) {
            throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "a transaction may buffer at most "
                    + writesMax + " row and index changes (phantom.txn.writes-max)");
        }
        TreeMap<byte[], byte[]> map = writes.computeIfAbsent(partition, p -> new TreeMap<>(Arrays::compareUnsigned));
        undo.add(new Undo(partition, key, map.put(key, value)));
    }

    /** The buffered value of a key: null when not buffered, else {@link #isDeleted} tells a buffered delete. */
    public byte[] buffered(PartitionId partition, byte[] key) {
        TreeMap<byte[], byte[]> map = writes.get(partition);
        return map == null ? null : map.get(key);
    }

    public static boolean isDeleted(byte[] bufferedValue) {
        return bufferedValue == DELETED;
    }

    public boolean hasWrites() {
        for (TreeMap<byte[], byte[]> map : writes.values()) {
            if (!map.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The buffered writes as mutations per partition (the commit's write batches). */
    public Map<PartitionId, List<Mutation>> mutations() {
        Map<PartitionId, List<Mutation>> out = new TreeMap<>();
        for (Map.Entry<PartitionId, TreeMap<byte[], byte[]>> e : writes.entrySet()) {
            List<Mutation> list = new ArrayList<>(e.getValue().size());
            for (Map.Entry<byte[], byte[]> w : e.getValue().entrySet()) {
                list.add(w.getValue() == DELETED ? new Mutation.Delete(w.getKey()) : new Mutation.Put(w.getKey(), w.getValue()));
            }
            if (!list.isEmpty()) {
                out.put(e.getKey(), list);
            }
        }
        return out;
    }

    /** A savepoint: the current position in the undo log. */
    public int mark() {
        return undo.size();
    }

    /** Undoes every write buffered since {@code mark} (locks stay held, as in PostgreSQL). */
    public void rollbackTo(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            Undo u = undo.remove(i);
            TreeMap<byte[], byte[]> map = writes.get(u.partition());
            if (u.previous() == null) {
                map.remove(u.key());
            } else {
                map.put(u.key(), u.previous());
            }
        }
    }

    /**
     * A committed-snapshot iterator of {@code partition} seen through this transaction's writes in [low, high).
     * Records the range as read (SERIALIZABLE).
     */
    public KvIterator view(PartitionId partition, Engine engine, byte[] low, byte[] high, long timestamp) {
        readRange(partition, low, high);
        KvIterator stored = engine.scan(low, high, timestamp, false);
        TreeMap<byte[], byte[]> map = writes.get(partition);
        if (map == null || map.isEmpty()) {
            return stored;
        }
        NavigableMap<byte[], byte[]> range = low == null && high == null ? map
                : low == null ? map.headMap(high, false)
                : high == null ? map.tailMap(low, true)
                : map.subMap(low, true, high, false);
        return new OverlayIterator(stored, range.entrySet().iterator());
    }

    /** A key's value at {@code timestamp} seen through this transaction's writes; records the read. */
    public byte[] get(PartitionId partition, Engine engine, byte[] key, long timestamp) {
        readKey(partition, key);
        byte[] own = buffered(partition, key);
        if (own != null) {
            return own == DELETED ? null : own;
        }
        return engine.get(key, timestamp);
    }

    // ------------------------------------------------------------------------------- reads (SERIALIZABLE)

    public void readKey(PartitionId partition, byte[] key) {
        if (level == IsolationLevel.SERIALIZABLE) {
            reads.computeIfAbsent(partition, p -> new ReadSet(readSetKeysMax)).key(key);
        }
    }

    public void readRange(PartitionId partition, byte[] low, byte[] high) {
        if (level == IsolationLevel.SERIALIZABLE) {
            reads.computeIfAbsent(partition, p -> new ReadSet(readSetKeysMax)).range(low, high);
        }
    }

    /**
     * SERIALIZABLE commit validation (call after {@link #markCommitting}, holding every write lock): fails with
     * 40001 if a key or range this transaction read has a version newer than its snapshot, or is locked by
     * another committing transaction. Marking before validating makes two transactions that each read what the
     * other writes see at least one of the two conflicts.
     */
    public void validateReads(PartitionRegistry registry) {
        if (level != IsolationLevel.SERIALIZABLE || !hasSnapshot()) {
            return;
        }
        for (Map.Entry<PartitionId, ReadSet> e : reads.entrySet()) {
            Engine engine = registry.require(e.getKey());
            LockTable table = registry.locks(e.getKey());
            for (byte[][] range : e.getValue().toRanges()) {
                if (engine.changedAfter(range[0], range[1], snapshot) || table.lockedByOtherCommitting(this, range[0], range[1])) {
                    throw new PhantomSqlException(SqlState.SERIALIZATION_FAILURE, "could not serialize access due to "
                            + "read/write dependencies among transactions (a row this transaction read was changed by "
                            + "a transaction that committed after its snapshot); retry the transaction");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------- locks

    /** Records a lock this transaction now holds. */
    public void held(LockTable table, byte[] key) {
        locks.add(new HeldLock(table, new BytesKey(key)));
    }

    /** Releases every row lock (the transaction ended). */
    public void releaseLocks() {
        for (HeldLock held : locks) {
            held.table().release(this, held.key().bytes());
        }
        locks.clear();
    }
}
