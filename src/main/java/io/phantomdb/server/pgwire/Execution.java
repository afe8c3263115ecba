package io.phantomdb.server.pgwire;

import io.phantomdb.error.PhantomSqlException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Cancellable;

/**
 * One running Execute (or one statement of a simple query): the target of CancelRequest and of the statement
 * timeout. {@link #cancel} may be called from any thread; whoever runs the statement reacts to {@link #cancelled}
 * (a query's kill switch, a wait that is given up).
 */
final class Execution {
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private volatile Cancellable timer;

    /** Completes exceptionally with the reason (57014) when the statement is to be cancelled; never normally. */
    CompletionStage<Void> cancelled() {
        return cancelled;
    }

    void cancel(PhantomSqlException reason) {
        cancelled.completeExceptionally(reason);
    }

    void timer(Cancellable timer) {
        this.timer = timer;
    }

    /** The statement ended: the timeout no longer applies. */
    void end() {
        Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
