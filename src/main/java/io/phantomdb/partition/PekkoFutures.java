package io.phantomdb.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Turns a {@link CompletionStage} returned by Pekko (an ask, a stream's materialized result) into a plain JDK
 * {@link CompletableFuture} whose continuations run where the caller says.
 *
 * <p>Why: Pekko's stages are Scala futures seen through {@code FutureConverters}, which run every
 * continuation ({@code thenApply}, {@code whenComplete}, ...) asynchronously on the JDK's default executor;
 * on a machine with fewer than three cores the common pool has parallelism 1 and the JDK then starts a new
 * thread per continuation. Measured: a thread per streamed query and per DML statement, halving their
 * throughput on 2 cores. Every such stage crosses into Phantom-DB code through {@link #of}, with the actor
 * system's dispatcher as the executor.
 */
public final class PekkoFutures {
    private PekkoFutures() {}

    public static <T> CompletableFuture<T> of(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, executor);
        return plain;
    }
}
