package io.phantomdb.txn.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Goal: the table and DDL locks behave as their users rely on - shared holders run together, an exclusive
 * holder runs alone, requests are granted in arrival order (a waiting exclusive request holds back later
 * shared ones), a full queue fails at once with 53400, and a body that throws still releases the lock.
 *
 * <p>Method: bodies are futures the test completes by hand; grants are observed as completed stages.
 */
class AsyncRwLockTest {

    @Test
    void sharedHoldersRunTogetherAndAnExclusiveOneWaitsForAllOfThem() {
        AsyncRwLock lock = new AsyncRwLock(10);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletionStage<String> a = lock.withShared(() -> first, "limit");
        CompletionStage<String> b = lock.withShared(() -> second, "limit");
        CompletableFuture<Void> exclusive = lock.acquireExclusive().toCompletableFuture();
        CompletableFuture<Void> lateShared = lock.acquireShared().toCompletableFuture();
        assertFalse(exclusive.isDone(), "waits for the shared holders");
        first.complete("a");
        assertFalse(exclusive.isDone(), "one shared holder is left");
        second.complete("b");
        assertTrue(exclusive.isDone());
        assertFalse(lateShared.isDone(), "a shared request behind a waiting exclusive one waits for it (FIFO)");
        lock.releaseExclusive();
        assertTrue(lateShared.isDone());
        assertEquals("a", a.toCompletableFuture().join());
        assertEquals("b", b.toCompletableFuture().join());
    }

    @Test
    void aFullQueueFailsAtOnceAndAThrowingBodyReleases() {
        AsyncRwLock lock = new AsyncRwLock(1);
        lock.acquireExclusive();
        CompletionStage<Integer> queued = lock.withExclusive(() -> CompletableFuture.completedFuture(1), "phantom.x");
        CompletionStage<Integer> refused = lock.withExclusive(() -> CompletableFuture.completedFuture(2), "phantom.x");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> refused.toCompletableFuture().join());
        assertEquals(SqlState.CONFIGURATION_LIMIT_EXCEEDED, ((PhantomSqlException) e.getCause()).state());
        assertTrue(e.getCause().getMessage().contains("phantom.x"), e.getCause().getMessage());
        lock.releaseExclusive();
        assertEquals(1, queued.toCompletableFuture().join());

        CompletionStage<Integer> thrown = lock.withExclusive(() -> {
            throw new IllegalStateException("body failed");
        }, "phantom.x");
        assertTrue(thrown.toCompletableFuture().isCompletedExceptionally());
        assertTrue(lock.acquireExclusive().toCompletableFuture().isDone(), "the failed body released the lock");
    }
}
