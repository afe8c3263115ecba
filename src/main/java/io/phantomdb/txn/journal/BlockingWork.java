package io.phantomdb.txn.journal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/** Work of a plugin that may block on disk or throw (engine reads, deserialization). */
@FunctionalInterface
interface BlockingWork<T> {

    T run() throws Exception;

    /**
     * Runs {@code work} on {@code executor} (the plugin dispatcher, whose pool size bounds how many run at
     * once) and returns its outcome as the Scala future the japi plugin API expects.
     */
    static <T> Future<T> runOn(Executor executor, BlockingWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(work.run());
            } catch (Exception e) {
                result.completeExceptionally(e);
            } catch (Error e) {
                result.completeExceptionally(e); // answer the caller, then let the thread die as usual
                throw e;
            }
        });
        return FutureConverters.asScala(result);
    }
}
