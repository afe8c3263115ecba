package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.mvcc.AsyncLock;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One statement lock per table on this node: DML statements and index builds of a table run one at a time
 * (docs/decisions.md D13), until Roadmap 3's row locks replace this. FIFO; waiters bounded by
 * {@code phantom.sql.statement-queue-max}.
 */
final class TableLocks {
    private final int waitersMax;
    private final Map<Integer, AsyncLock> locks = new ConcurrentHashMap<>();

    TableLocks(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    /** Runs {@code body} holding the lock of {@code tableId}; releases it when the body's stage completes. */
    <T> CompletionStage<T> withLock(int tableId, Supplier<CompletionStage<T>> body) {
        AsyncLock lock = locks.computeIfAbsent(tableId, id -> new AsyncLock(waitersMax));
        return lock.acquire()
                .exceptionally(e -> {
                    throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                            "too many statements wait for the same table (phantom.sql.statement-queue-max = " + waitersMax + ")");
                })
                .thenCompose(v -> {
                    CompletionStage<T> result;
                    try {
                        result = body.get();
                    } catch (RuntimeException e) {
                        lock.release();
                        throw e;
                    }
                    return result.whenComplete((r, e) -> lock.release());
                });
    }
}
