package io.phantomdb.txn.mvcc;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A FIFO shared/exclusive lock whose holders span asynchronous steps (no thread ever blocks on it): many
 * shared holders at once, or one exclusive holder. Requests are granted in arrival order, so a waiting
 * exclusive request holds back shared requests that come after it (no writer starvation).
 *
 * <p>Thread-safe. Waiters are bounded by {@code waitersMax}: past it, a request fails at once with
 * {@link IllegalStateException} ({@link #withExclusive}/{@link #withShared} report SQLSTATE 53400).
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

    /**
     * Runs {@code body} holding the lock exclusively and releases it when the body's stage completes (or the body
     * throws). A full queue fails at once with SQLSTATE 53400 naming {@code limitName}, the setting that bounds it.
     */
    public <T> CompletionStage<T> withExclusive(Supplier<CompletionStage<T>> body, String limitName) {
        return held(acquireExclusive(), body, this::releaseExclusive, limitName);
    }

    /** As {@link #withExclusive}, holding the lock shared. */
    public <T> CompletionStage<T> withShared(Supplier<CompletionStage<T>> body, String limitName) {
        return held(acquireShared(), body, this::releaseShared, limitName);
    }

    private <T> CompletionStage<T> held(CompletionStage<Void> granted, Supplier<CompletionStage<T>> body, Runnable release,
            String limitName) {
        return granted.exceptionally(e -> {
            throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                    "too many statements wait for the same lock (" + limitName + " = " + waitersMax + ")");
        }).thenCompose(v -> {
            CompletionStage<T> result;
            try {
                result = body.get();
            } catch (RuntimeException e) {
                release.run();
                return CompletableFuture.failedFuture(e);
            }
            return result.whenComplete((r, e) -> release.run());
        });
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
