package io.phantomdb.txn.mvcc;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The row locks of one partition (DESIGN.md "Transactions"): exclusive locks on keys, held by a transaction
 * until it ends, with a FIFO queue of waiters per key and a lock timeout. Readers never lock (MVCC).
 *
 * <pre>
 *   acquire(T2, k) while T1 holds k:  T2 queued, listener.waits(T2, T1), timeout armed
 *   release(T1, k):                   k passes to the first waiter (T2), listener.waitOver(T2, T1),
 *                                     waiters behind T2 now wait for T2 (re-reported)
 *   timeout / cancel (deadlock victim): the wait fails with 55P03 / the given error
 * </pre>
 *
 * <p>Thread-safe: one monitor per table; futures complete outside it, so a granted waiter's continuation
 * may run on the releasing thread.
 */
public final class LockTable {
    private final int waitersMax;
    private final long timeoutMillis;
    private final ScheduledExecutorService timer;
    private final WaitListener listener;
    private final NavigableMap<byte[], Lock> locks = new TreeMap<>(Arrays::compareUnsigned);

    /** One locked key: its holder and the transactions queued behind it. */
    private static final class Lock {
        LockOwner holder;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        Lock(LockOwner holder) {
            this.holder = holder;
        }
    }

    private static final class Waiter {
        final LockOwner owner;
        final CompletableFuture<Void> granted = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Waiter(LockOwner owner) {
            this.owner = owner;
        }
    }

    /**
     * @param waitersMax transactions that may queue on one key ({@code phantom.txn.lock-waiters-max}); past
     *     it acquire fails with 53400
     * @param timeoutMillis how long a waiter waits before failing with 55P03 ({@code phantom.txn.lock-timeout})
     */
    public LockTable(int waitersMax, long timeoutMillis, ScheduledExecutorService timer, WaitListener listener) {
        this.waitersMax = waitersMax;
        this.timeoutMillis = timeoutMillis;
        this.timer = timer;
        this.listener = listener;
    }

    /**
     * Locks {@code key} for {@code owner}; completes when granted (at once if free or already held by it), or
     * fails with 55P03 after the lock timeout, 53400 when the queue is full, or the cancel error.
     */
    public CompletableFuture<Void> acquire(LockOwner owner, byte[] key) {
        Waiter waiter;
        long holderId;
        synchronized (this) {
            Lock lock = locks.get(key);
            if (lock == null) {
                locks.put(key.clone(), new Lock(owner));
                return CompletableFuture.completedFuture(null);
            }
            if (lock.holder == owner) {
                return CompletableFuture.completedFuture(null);
            }
            if (lock.waiters.size() >= waitersMax) {
                return CompletableFuture.failedFuture(new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                        "more than " + waitersMax + " transactions wait for one row (phantom.txn.lock-waiters-max)"));
            }
            waiter = new Waiter(owner);
            lock.waiters.add(waiter);
            holderId = lock.holder.id();
            waiter.timeout = timer.schedule(() -> abandon(key, waiter, new PhantomSqlException(
                    SqlState.LOCK_NOT_AVAILABLE, "could not obtain a row lock within " + timeoutMillis
                            + " ms (phantom.txn.lock-timeout)")), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        owner.waitingOn(() -> abandon(key, waiter, new PhantomSqlException(SqlState.DEADLOCK_DETECTED,
                "deadlock detected: this transaction waited for a row lock in a cycle of waits and was chosen to abort")));
        listener.waits(owner.id(), holderId);
        return waiter.granted.whenComplete((v, e) -> owner.waitingOn(null));
    }

    /** Takes a waiter out of the queue (timeout or cancel) and fails its wait; no-op if already granted. */
    private void abandon(byte[] key, Waiter waiter, PhantomSqlException error) {
        long holderId;
        synchronized (this) {
            Lock lock = locks.get(key);
            if (lock == null || !lock.waiters.remove(waiter)) {
                return;
            }
            holderId = lock.holder.id();
        }
        listener.waitOver(waiter.owner.id(), holderId);
        waiter.granted.completeExceptionally(error);
    }

    /** Releases {@code key} if {@code owner} holds it; the first waiter (FIFO) gets it. */
    public void release(LockOwner owner, byte[] key) {
        Waiter next;
        long[] behind;
        synchronized (this) {
            Lock lock = locks.get(key);
            if (lock == null || lock.holder != owner) {
                return;
            }
            next = lock.waiters.poll();
            if (next == null) {
                locks.remove(key);
                return;
            }
            lock.holder = next.owner;
            behind = lock.waiters.stream().mapToLong(w -> w.owner.id()).toArray();
        }
        next.timeout.cancel(false);
        listener.waitOver(next.owner.id(), owner.id());
        for (long waiter : behind) {
            listener.waitOver(waiter, owner.id());
            listener.waits(waiter, next.owner.id());
        }
        next.granted.complete(null);
    }

    /**
     * Whether a key in [low, high) (null = open) is locked by a transaction other than {@code me} that is
     * committing: SERIALIZABLE validation counts such a key as written after the snapshot.
     */
    public synchronized boolean lockedByOtherCommitting(LockOwner me, byte[] low, byte[] high) {
        Map<byte[], Lock> range;
        if (low == null && high == null) {
            range = locks;
        } else if (low == null) {
            range = locks.headMap(high, false);
        } else if (high == null) {
            range = locks.tailMap(low, true);
        } else {
            range = locks.subMap(low, true, high, false);
        }
        for (Lock lock : range.values()) {
            if (lock.holder != me && lock.holder.committing()) {
                return true;
            }
        }
        return false;
    }

    /** Number of locked keys (metrics, tests). */
    public synchronized int size() {
        return locks.size();
    }
}
