package io.phantomdb.server.pgwire;

import io.phantomdb.partition.PekkoFutures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Where the wire layer's continuations run. Pekko's CompletionStages (a stream's termination, a queue pull, an
 * ask) are Scala futures seen through FutureConverters, which run every non-async continuation on the JDK's
 * default executor; on a machine with fewer than three cores that executor starts a thread per task (measured:
 * about six new threads per statement before this existed). Every Pekko stage the wire layer continues from
 * goes through {@link #plain} first. Stateless.
 */
final class Futures {
    /** Runs a continuation on the thread that completed the stage: only for short, non-blocking work. */
    static final Executor INLINE = Runnable::run;

    private Futures() {}

    /** {@code stage} as a plain JDK future whose continuations run where it completes (never on a new thread). */
    static <T> CompletableFuture<T> plain(CompletionStage<T> stage) {
        if (stage.getClass() == CompletableFuture.class) {
            return (CompletableFuture<T>) stage; // already plain: non-async continuations run inline
        }
        return PekkoFutures.of(stage, INLINE);
    }
}
