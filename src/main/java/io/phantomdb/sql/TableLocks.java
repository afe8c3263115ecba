package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.mvcc.AsyncRwLock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One shared/exclusive lock per table on this node (docs/decisions.md D13, revised by D20): index builds and
 * index drops hold it exclusively; a transaction's commit holds it shared for each table it writes, so no
 * commit lands in the middle of an index build with write batches computed without the new index. Row-level
 * concurrency is the row locks' business; this lock is only held for the short commit step. FIFO; waiters
 * bounded by {@code phantom.sql.statement-queue-max}.
 */
final class TableLocks {
    private final int waitersMax;
    private final Map<Integer, AsyncRwLock> locks = new ConcurrentHashMap<>();

    TableLocks(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    private AsyncRwLock lock(int tableId) {
        return locks.computeIfAbsent(tableId, id -> new AsyncRwLock(waitersMax));
    }

    /** Runs {@code body} holding {@code tableId} exclusively; releases when the body's stage completes. */
    <T> CompletionStage<T> withLock(int tableId, Supplier<CompletionStage<T>> body) {
        AsyncRwLock lock = lock(tableId);
        return lock.acquireExclusive().exceptionally(TableLocks::queueFull)
                .thenCompose(v -> run(body, lock::releaseExclusive));
    }

    /** Runs {@code body} holding every table of {@code tableIds} (ascending: no lock-order cycles) shared. */
    <T> CompletionStage<T> withShared(List<Integer> tableIds, Supplier<CompletionStage<T>> body) {
        if (tableIds.isEmpty()) {
            return run(body, () -> {});
        }
        AsyncRwLock lock = lock(tableIds.get(0));
        return lock.acquireShared().exceptionally(TableLocks::queueFull)
                .thenCompose(v -> run(() -> withShared(tableIds.subList(1, tableIds.size()), body), lock::releaseShared));
    }

    private static <T> CompletionStage<T> run(Supplier<CompletionStage<T>> body, Runnable release) {
        CompletionStage<T> result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            release.run();
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> release.run());
    }

    private static Void queueFull(Throwable e) {
        throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                "too many statements wait for the same table (phantom.sql.statement-queue-max)");
    }
}
