package io.phantomdb.sql;

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
        return locks.computeIfAbsent(tableId, id -> new AsyncLock(waitersMax))
                .withLock(body, "phantom.sql.statement-queue-max");
    }
}
