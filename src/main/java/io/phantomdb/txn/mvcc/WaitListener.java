package io.phantomdb.txn.mvcc;

/**
 * Where lock tables report wait-for edges (to the deadlock detector). Calls may come from any thread and
 * must not block.
 */
public interface WaitListener {
    /** {@code waiter} started waiting for a lock {@code holder} holds. */
    void waits(long waiter, long holder);

    /** {@code waiter} stopped waiting for {@code holder} (granted, timed out or cancelled). */
    void waitOver(long waiter, long holder);

    /** A listener that ignores everything (tests, tools). */
    WaitListener NONE = new WaitListener() {
        @Override
        public void waits(long waiter, long holder) {}

        @Override
        public void waitOver(long waiter, long holder) {}
    };
}
