package io.phantomdb.sql;

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
    private static final String LIMIT = "phantom.sql.statement-queue-max";
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
        return lock(tableId).withExclusive(body, LIMIT);
    }

    /** Runs {@code body} holding every table of {@code tableIds} (ascending: no lock-order cycles) shared. */
    <T> CompletionStage<T> withShared(List<Integer> tableIds, Supplier<CompletionStage<T>> body) {
        if (tableIds.isEmpty()) {
            try {
                return body.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return lock(tableIds.get(0)).withShared(() -> withShared(tableIds.subList(1, tableIds.size()), body), LIMIT);
    }
}
