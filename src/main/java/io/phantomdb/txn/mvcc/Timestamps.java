package io.phantomdb.txn.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

/**
 * The node's commit and read timestamps (MVCC), and the GC horizon that follows the oldest reader.
 *
 * <p>Commit timestamps come from a hybrid clock: {@code max(wall-clock microseconds, last issued + 1)}, so
 * they increase strictly on a node and stay above every timestamp already on disk as long as the node
 * {@link #observe observes} each partition's highest timestamp when it starts.
 *
 * <p>A write to several partitions is applied partition by partition. A reader must not see half of it, so
 * read timestamps stop just below the oldest commit still in flight ({@link #readTimestamp}): a commit
 * becomes visible only when {@link #endCommit} says all its partitions have it.
 *
 * <p>A statement must also see every commit acknowledged before it started ({@link #openReadAfterAcknowledged}),
 * which can be above an older commit still in flight (commits end out of order: each partition has its own
 * WAL). Rather than make every statement wait for the slowest fsync on the node, a commit that says which keys
 * it writes ({@link #beginCommit(Map)}) leaves a hole only at those keys: such a reader gets a timestamp
 * above it, and each of its reads asks {@link #inFlight} first and waits for the commit only if it reads one
 * of its keys (decisions D25). A commit that does not name its keys ({@link #beginCommit()}: catalog, roles)
 * still holds every such reader back until it ends.
 *
 * <p>Readers {@link #openRead register} their timestamp while they run; the GC horizon handed to the
 * storage engines is the oldest registered read timestamp, or the read timestamp of the moment when none is
 * registered. It is recomputed when a reader registers (before the reader gets its timestamp, so a compaction
 * can never run with a horizon above it) and pushed to the engines through the given callback.
 *
 * <p>Thread-safe (one monitor; every operation is O(log n) in the number of commits and reads in flight).
 */
public final class Timestamps {
    private final LongConsumer horizonSink;
    private long lastIssued;
    /** Commit timestamps in flight, with counts (a timestamp may be shared by one statement's partitions). */
    private final TreeMap<Long, Integer> commitsInFlight = new TreeMap<>();
    private final TreeMap<Long, Integer> readsOpen = new TreeMap<>();
    private long horizon;
    /** Highest commit timestamp that has ended (acknowledged to its client). */
    private long lastEnded;
    /** Readers waiting until every commit up to their minimum timestamp has ended. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Commits in flight that did not name their keys: every read at or above them waits for them. */
    private final TreeMap<Long, Integer> unkeyedInFlight = new TreeMap<>();
    /** Commits in flight that named their keys, per partition: key -> timestamps writing it. */
    private final Map<Object, TreeMap<byte[], List<Long>>> keysInFlight = new HashMap<>();
    /** What each keyed commit registered, to take it out again at its end. */
    private final Map<Long, Map<Object, Collection<byte[]>>> keyedCommits = new HashMap<>();
    /** Reads waiting for one commit to end, by its timestamp. */
    private final Map<Long, CompletableFuture<Void>> endWaiters = new HashMap<>();
    /** Number of keyed commits in flight; reads skip the monitor while it is 0. */
    private volatile int keyedCount;

    private record Waiter(long minimum, CompletableFuture<Long> opened) {}

    public Timestamps(LongConsumer horizonSink) {
        this.horizonSink = horizonSink;
    }

    /** Moves the clock past a timestamp found on disk (a partition's last commit) or on another node. */
    public synchronized void observe(long timestamp) {
        lastIssued = Math.max(lastIssued, timestamp);
    }

    /**
     * A new commit timestamp, registered as in flight until {@link #endCommit}, for a write whose keys are not
     * named: every read opened by {@link #openReadAfterAcknowledged} at or above it waits until it ends.
     */
    public synchronized long beginCommit() {
        long ts = issueNext();
        unkeyedInFlight.merge(ts, 1, Integer::sum);
        return ts;
    }

    /**
     * A new commit timestamp for a write of exactly {@code keysByPartition} (partition -> keys; the keys must
     * not change until {@link #endCommit}): reads wait for it only where they read one of those keys
     * ({@link #inFlight}). An empty map makes a commit no reader waits for (a record outside every table).
     * Registered atomically with the timestamp, so no reader can get a timestamp above it and miss its keys.
     */
    public synchronized long beginCommit(Map<?, ? extends Collection<byte[]>> keysByPartition) {
        long ts = issueNext();
        Map<Object, Collection<byte[]>> copy = new HashMap<>(keysByPartition);
        keyedCommits.put(ts, copy);
        for (Map.Entry<Object, Collection<byte[]>> e : copy.entrySet()) {
            TreeMap<byte[], List<Long>> keys = keysInFlight.computeIfAbsent(e.getKey(), p -> new TreeMap<>(Arrays::compareUnsigned));
            for (byte[] key : e.getValue()) {
                keys.computeIfAbsent(key, k -> new ArrayList<>(1)).add(ts);
            }
        }
        keyedCount++;
        return ts;
    }

    private long issueNext() {
        long ts = Math.max(wallClockMicros(), lastIssued + 1);
        lastIssued = ts;
        commitsInFlight.merge(ts, 1, Integer::sum);
        return ts;
    }

    /**
     * A fresh timestamp for a write no reader has to wait for (an abort's tombstone over a PREPARE record,
     * outside every table's key space): begun and ended at once.
     */
    public long issue() {
        long ts = beginCommit();
        endCommit(ts);
        return ts;
    }

    /** The commit is applied everywhere (or abandoned): readers may now see it. */
    public void endCommit(long timestamp) {
        List<Runnable> wake;
        CompletableFuture<Void> ended = null;
        synchronized (this) {
            if (!decrement(commitsInFlight, timestamp)) {
                throw new IllegalStateException("commit " + timestamp + " is not in flight");
            }
            Map<Object, Collection<byte[]>> keyed = keyedCommits.remove(timestamp);
            if (keyed != null) {
                removeKeys(timestamp, keyed);
            } else {
                decrement(unkeyedInFlight, timestamp);
            }
            if (!commitsInFlight.containsKey(timestamp)) {
                ended = endWaiters.remove(timestamp);
            }
            lastEnded = Math.max(lastEnded, timestamp);
            wake = wakeReaders();
        }
        // Outside the monitor: a reader's continuation runs right here and may call back into this object.
        if (ended != null) {
            ended.complete(null);
        }
        wake.forEach(Runnable::run);
    }

    private void removeKeys(long timestamp, Map<Object, Collection<byte[]>> keyed) {
        for (Map.Entry<Object, Collection<byte[]>> e : keyed.entrySet()) {
            TreeMap<byte[], List<Long>> keys = keysInFlight.get(e.getKey());
            for (byte[] key : e.getValue()) {
                List<Long> writers = keys.get(key);
                writers.remove(Long.valueOf(timestamp));
                if (writers.isEmpty()) {
                    keys.remove(key);
                }
            }
            if (keys.isEmpty()) {
                keysInFlight.remove(e.getKey());
            }
        }
        keyedCount--;
    }

    private static boolean decrement(TreeMap<Long, Integer> counts, long timestamp) {
        Integer n = counts.get(timestamp);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            counts.remove(timestamp);
        } else {
            counts.put(timestamp, n - 1);
        }
        return true;
    }

    /**
     * Whether a read of {@code key} in {@code partition} at {@code readTimestamp} must wait: null if not, else a
     * stage that completes when the commit in flight at or below {@code readTimestamp} that writes the key has
     * ended (then read again). {@code key == null} asks for the whole partition (a scan).
     */
    public CompletionStage<Void> inFlight(Object partition, byte[] key, long readTimestamp) {
        if (keyedCount == 0) {
            return null; // the common case on a quiet node: no monitor
        }
        synchronized (this) {
            TreeMap<byte[], List<Long>> keys = keysInFlight.get(partition);
            if (keys == null) {
                return null;
            }
            if (key != null) {
                return waitForOldest(keys.get(key), readTimestamp);
            }
            long oldest = Long.MAX_VALUE;
            for (List<Long> writers : keys.values()) {
                for (long ts : writers) {
                    oldest = Math.min(oldest, ts);
                }
            }
            return oldest <= readTimestamp ? endOf(oldest) : null;
        }
    }

    private CompletionStage<Void> waitForOldest(List<Long> writers, long readTimestamp) {
        if (writers == null) {
            return null;
        }
        for (long ts : writers) {
            if (ts <= readTimestamp) {
                return endOf(ts);
            }
        }
        return null;
    }

    private CompletableFuture<Void> endOf(long timestamp) {
        return endWaiters.computeIfAbsent(timestamp, t -> new CompletableFuture<>());
    }

    /**
     * Opens a read (as {@link #openRead}) whose timestamp is at least the newest commit acknowledged so far,
     * so a client always reads its own and everyone's acknowledged writes (linearizable reads). The timestamp
     * may be above keyed commits still in flight: the reader must ask {@link #inFlight} before each read (the
     * table scans do). Completes at once unless an older unkeyed commit is still being applied, in which case it
     * completes when that one ends.
     */
    public synchronized CompletionStage<Long> openReadAfterAcknowledged() {
        long minimum = lastEnded;
        long at = readableAt(minimum);
        if (at >= 0) {
            return CompletableFuture.completedFuture(openAt(at));
        }
        CompletableFuture<Long> opened = new CompletableFuture<>();
        waiters.add(new Waiter(minimum, opened));
        return opened;
    }

    /** Monitor held. The read timestamp for a reader that must see {@code minimum}, or -1 if it must wait. */
    private long readableAt(long minimum) {
        long complete = readTimestamp();
        if (complete >= minimum) {
            return complete;
        }
        return unkeyedInFlight.isEmpty() || unkeyedInFlight.firstKey() > minimum ? minimum : -1;
    }

    /** Opens the reads that may start now; returns their completions, to run outside the monitor. */
    private List<Runnable> wakeReaders() {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> wake = new ArrayList<>();
        java.util.Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            long at = readableAt(w.minimum());
            if (at >= 0) {
                it.remove();
                long ts = openAt(at);
                wake.add(() -> w.opened().complete(ts));
            }
        }
        return wake;
    }

    /** The newest timestamp at which every commit is complete. */
    public synchronized long readTimestamp() {
        return commitsInFlight.isEmpty() ? lastIssued : commitsInFlight.firstKey() - 1;
    }

    /**
     * Registers a reader and returns its timestamp; the horizon is lowered to it (if needed) before this
     * returns. Must be paired with {@link #closeRead}.
     */
    public synchronized long openRead() {
        return openAt(readTimestamp());
    }

    /**
     * Registers a reader at {@code ts} (at or above {@link #readTimestamp}). The horizon never goes above
     * {@link #readTimestamp}, even for a reader above it: the next {@link #openRead} may start there, and a
     * keyed commit in flight below {@code ts} still has to land on the versions it replaces.
     */
    private long openAt(long ts) {
        readsOpen.merge(ts, 1, Integer::sum);
        updateHorizon(readTimestamp());
        return ts;
    }

    public synchronized void closeRead(long timestamp) {
        Integer n = readsOpen.get(timestamp);
        if (n == null) {
            throw new IllegalStateException("read " + timestamp + " is not open");
        }
        if (n == 1) {
            readsOpen.remove(timestamp);
        } else {
            readsOpen.put(timestamp, n - 1);
        }
        updateHorizon(readTimestamp());
    }

    /** The oldest timestamp any reader may still use. */
    public synchronized long horizon() {
        return horizon;
    }

    private void updateHorizon(long candidate) {
        long next = readsOpen.isEmpty() ? candidate : Math.min(readsOpen.firstKey(), candidate);
        if (next != horizon) {
            horizon = next;
            horizonSink.accept(next);
        }
    }

    private static long wallClockMicros() {
        return System.currentTimeMillis() * 1000L;
    }
}
