package io.phantomdb.txn.mvcc;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A FIFO mutual-exclusion lock whose holder may span asynchronous steps (a statement that reads, then waits
 * for partition writes to become durable): {@link #acquire} completes when the lock is granted, and the
 * holder calls {@link #release} exactly once. No thread ever blocks on it.
 *
 * <p>Thread-safe. Waiters are bounded by {@code waitersMax}: past it, acquire fails at once with
 * {@link IllegalStateException} ({@link #withLock} reports SQLSTATE 53400) instead of queueing without limit.
 */
public final class AsyncLock {
    private final int waitersMax;
    private final Queue<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private boolean held;

    public AsyncLock(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    public CompletionStage<Void> acquire() {
        synchronized (this) {
            if (!held) {
                held = true;
                return CompletableFuture.completedFuture(null);
            }
            if (waiters.size() >= waitersMax) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "more than " + waitersMax + " statements wait for the same table"));
            }
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            waiters.add(waiter);
            return waiter;
        }
    }

    /**
     * Runs {@code body} holding the lock and releases it when the body's stage completes (or the body throws).
     * A full queue fails at once with SQLSTATE 53400 naming {@code limitName}, the setting that bounds it.
     */
    public <T> CompletionStage<T> withLock(Supplier<CompletionStage<T>> body, String limitName) {
        return acquire()
                .exceptionally(e -> {
                    throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                            "too many statements wait for the same lock (" + limitName + " = " + waitersMax + ")");
                })
                .thenCompose(v -> {
                    CompletionStage<T> result;
                    try {
                        result = body.get();
                    } catch (RuntimeException e) {
                        release();
                        throw e;
                    }
                    return result.whenComplete((r, e) -> release());
                });
    }

    public void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            if (!held) {
                throw new IllegalStateException("release of a lock that is not held");
            }
            next = waiters.poll();
            if (next == null) {
                held = false;
                return;
            }
        }
        next.complete(null); // outside the monitor: the next holder's continuation may run right here
    }
}
