package io.phantomdb.txn.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A FIFO shared/exclusive lock whose holders span asynchronous steps (no thread ever blocks on it): many
 * shared holders at once, or one exclusive holder. Requests are granted in arrival order, so a waiting
 * exclusive request holds back shared requests that come after it (no writer starvation).
 *
 * <p>Thread-safe. Waiters are bounded by {@code waitersMax}: past it, a request fails at once with
 * {@link IllegalStateException}.
 */
public final class AsyncRwLock {
    private final int waitersMax;
    private final ArrayDeque<Request> waiters = new ArrayDeque<>();
    private int sharedHolders;
    private boolean exclusiveHeld;

    private record Request(boolean exclusive, CompletableFuture<Void> granted) {}

    public AsyncRwLock(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    public CompletionStage<Void> acquireShared() {
        return acquire(false);
    }

    public CompletionStage<Void> acquireExclusive() {
        return acquire(true);
    }

    private synchronized CompletionStage<Void> acquire(boolean exclusive) {
        if (waiters.isEmpty() && (exclusive ? !exclusiveHeld && sharedHolders == 0 : !exclusiveHeld)) {
            grant(exclusive);
            return CompletableFuture.completedFuture(null);
        }
        if (waiters.size() >= waitersMax) {
            return CompletableFuture.failedFuture(new IllegalStateException("more than " + waitersMax + " waiters"));
        }
        Request r = new Request(exclusive, new CompletableFuture<>());
        waiters.add(r);
        return r.granted();
    }

    private void grant(boolean exclusive) {
        if (exclusive) {
            exclusiveHeld = true;
        } else {
            sharedHolders++;
        }
    }

    public void releaseShared() {
        List<Request> granted;
        synchronized (this) {
            if (sharedHolders == 0) {
                throw new IllegalStateException("release of a shared lock that is not held");
            }
            sharedHolders--;
            granted = grantWaiters();
        }
        granted.forEach(r -> r.granted().complete(null));
    }

    public void releaseExclusive() {
        List<Request> granted;
        synchronized (this) {
            if (!exclusiveHeld) {
                throw new IllegalStateException("release of an exclusive lock that is not held");
            }
            exclusiveHeld = false;
            granted = grantWaiters();
        }
        granted.forEach(r -> r.granted().complete(null)); // outside the monitor: continuations may run here
    }

    /** Grants waiters from the head of the queue while they are compatible with the holders. */
    private List<Request> grantWaiters() {
        List<Request> granted = new ArrayList<>();
        while (!waiters.isEmpty()) {
            Request next = waiters.peek();
            boolean free = next.exclusive() ? !exclusiveHeld && sharedHolders == 0 : !exclusiveHeld;
            if (!free) {
                break;
            }
            waiters.poll();
            grant(next.exclusive());
            granted.add(next);
        }
        return granted;
    }
}
