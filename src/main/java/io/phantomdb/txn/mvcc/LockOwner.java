package io.phantomdb.txn.mvcc;

/**
 * A transaction as the {@link LockTable} sees it: an id (higher = younger) and whether it has entered its
 * commit (SERIALIZABLE validation treats a key locked by a committing transaction as already written).
 */
public interface LockOwner {
    long id();

    boolean committing();

    /**
     * Remembers how to cancel the owner's pending lock wait (null when it stops waiting): a transaction waits
     * for at most one lock at a time, and a deadlock victim's wait is failed through this.
     */
    void waitingOn(Runnable cancel);
}
