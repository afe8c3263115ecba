package io.phantomdb.txn.mvcc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wait-for graph of row-lock waits: an edge {@code waiter -> holder} says transaction {@code waiter} waits
 * for a lock {@code holder} holds (or is queued ahead of it). A waiter may wait for several holders at once
 * (behind several transactions in a FIFO queue). A cycle is a deadlock; {@link #victims} picks the transactions
 * to abort, the youngest (highest id) on each cycle.
 *
 * <p>Not thread-safe: it is owned by one actor (the DeadlockDetector). Bounded by {@code edgesMax}: past it
 * {@link #addEdge} refuses new edges, and the waits they describe are resolved by the lock timeout instead.
 */
public final class WaitForGraph {
    private final int edgesMax;
    /** Outgoing edges: the holders each waiter waits for. A waiter is a key only while it has an edge. */
    private final Map<Long, Set<Long>> holdersByWaiter = new HashMap<>();
    /** Incoming edges, the mirror of holdersByWaiter, so removeTransaction need not scan every waiter. */
    private final Map<Long, Set<Long>> waitersByHolder = new HashMap<>();
    private int edgeCount;

    /** {@code edgesMax}: suggested config {@code phantom.txn.deadlock-edges-max}, default 100000. */
    public WaitForGraph(int edgesMax) {
        if (edgesMax < 1) {
            throw new IllegalArgumentException("edgesMax must be positive: " + edgesMax);
        }
        this.edgesMax = edgesMax;
    }

    /**
     * Records that {@code waiter} waits for {@code holder}. A repeated edge changes nothing; a self-loop is
     * ignored (a transaction never waits for itself; its own re-entrant lock requests are granted). Both return
     * true. Returns false, and records nothing, only when the graph already holds {@code edgesMax} edges.
     */
    public boolean addEdge(long waiter, long holder) {
        if (waiter == holder) {
            return true;
        }
        Set<Long> holders = holdersByWaiter.get(waiter);
        if (holders != null && holders.contains(holder)) {
            return true;
        }
        if (edgeCount >= edgesMax) {
            return false;
        }
        holdersByWaiter.computeIfAbsent(waiter, k -> new HashSet<>()).add(holder);
        waitersByHolder.computeIfAbsent(holder, k -> new HashSet<>()).add(waiter);
        edgeCount++;
        return true;
    }

    /** Forgets that {@code waiter} waits for {@code holder} (granted, timed out or given up); absent edges are fine. */
    public void removeEdge(long waiter, long holder) {
        if (unlink(holdersByWaiter, waiter, holder)) {
            boolean mirrored = unlink(waitersByHolder, holder, waiter);
            assert mirrored : "edge " + waiter + " -> " + holder + " missing from the incoming index";
            edgeCount--;
        }
        assert edgeCount >= 0 : edgeCount;
    }

    /** Drops every edge out of {@code waiter}: its wait is over or is going to fail. */
    public void removeWaits(long waiter) {
        Set<Long> holders = holdersByWaiter.get(waiter);
        if (holders != null) {
            for (Long holder : List.copyOf(holders)) {
                removeEdge(waiter, holder);
            }
        }
        assert !holdersByWaiter.containsKey(waiter);
    }

    /** Drops every edge into and out of {@code txn} (it committed or rolled back). */
    public void removeTransaction(long txn) {
        removeWaits(txn);
        for (long waiter : waitersFor(txn)) {
            removeEdge(waiter, txn);
        }
        assert !waitersByHolder.containsKey(txn);
    }

    /** The transactions waiting for {@code holder}, as a copy (in no particular order). */
    public List<Long> waitersFor(long holder) {
        Set<Long> waiters = waitersByHolder.get(holder);
        return waiters == null ? List.of() : List.copyOf(waiters);
    }

    /** True while {@code txn} waits for at least one other transaction. */
    public boolean isWaiting(long txn) {
        return holdersByWaiter.containsKey(txn);
    }

    public int edgeCount() {
        return edgeCount;
    }

    /** Number of transactions that wait for at least one other transaction. */
    public int waiterCount() {
        return holdersByWaiter.size();
    }

    /**
     * Finds every deadlock and returns, in ascending id order, the transactions to abort so that none is left:
     * each victim is the youngest transaction of a cycle it is on, and aborting all victims (dropping their
     * outgoing edges) leaves the graph acyclic. Does not change the graph; the caller drops the victims' edges.
     * Deterministic: the result depends only on the set of edges, not on the order they were added in.
     */
    public List<Long> victims() {
        return new CycleBreaker(holdersByWaiter).victims();
    }

    /** Removes {@code value} from the set under {@code key}, dropping the set once empty; true if it was there. */
    private static boolean unlink(Map<Long, Set<Long>> index, long key, long value) {
        Set<Long> values = index.get(key);
        if (values == null || !values.remove(value)) {
            return false;
        }
        if (values.isEmpty()) {
            index.remove(key);
        }
        return true;
    }
}
