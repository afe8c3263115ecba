package io.phantomdb.txn.mvcc;

import java.util.List;
import java.util.TreeMap;
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
    private final java.util.List<Waiter> waiters = new java.util.ArrayList<>();

    private record Waiter(long minimum, java.util.concurrent.CompletableFuture<Long> opened) {}

    public Timestamps(LongConsumer horizonSink) {
        this.horizonSink = horizonSink;
    }

    /** Moves the clock past a timestamp found on disk (a partition's last commit) or on another node. */
    public synchronized void observe(long timestamp) {
        lastIssued = Math.max(lastIssued, timestamp);
    }

    /** A new commit timestamp, registered as in flight until {@link #endCommit}. */
    public synchronized long beginCommit() {
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
        synchronized (this) {
            Integer n = commitsInFlight.get(timestamp);
            if (n == null) {
                throw new IllegalStateException("commit " + timestamp + " is not in flight");
            }
            if (n == 1) {
                commitsInFlight.remove(timestamp);
            } else {
                commitsInFlight.put(timestamp, n - 1);
            }
            lastEnded = Math.max(lastEnded, timestamp);
            wake = wakeReaders();
        }
        // Outside the monitor: a reader's continuation runs right here and may call back into this object.
        wake.forEach(Runnable::run);
    }

    /**
     * Opens a read (as {@link #openRead}) whose timestamp is at least the newest commit acknowledged so far,
     * so a client always reads its own and everyone's acknowledged writes (linearizable reads). Completes at
     * once unless an older commit is still being applied, in which case it completes when that one ends.
     */
    public synchronized java.util.concurrent.CompletionStage<Long> openReadAfterAcknowledged() {
        long minimum = lastEnded;
        if (readTimestamp() >= minimum) {
            return java.util.concurrent.CompletableFuture.completedFuture(openRead());
        }
        java.util.concurrent.CompletableFuture<Long> opened = new java.util.concurrent.CompletableFuture<>();
        waiters.add(new Waiter(minimum, opened));
        return opened;
    }

    /** Opens the reads that may start now; returns their completions, to run outside the monitor. */
    private List<Runnable> wakeReaders() {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> wake = new java.util.ArrayList<>();
        long now = readTimestamp();
        java.util.Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (now >= w.minimum()) {
                it.remove();
                long ts = openRead();
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
        long ts = readTimestamp();
        readsOpen.merge(ts, 1, Integer::sum);
        updateHorizon(ts);
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
