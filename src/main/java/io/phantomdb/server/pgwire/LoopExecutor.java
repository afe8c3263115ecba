package io.phantomdb.server.pgwire;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The executor of one selector thread's Pekko dispatcher ({@link SelectorDispatchers}): every task runs on the
 * {@link SelectorLoop}'s thread, queued after its current round - never nested inside the running task, even when
 * Pekko submits from inside one (a mailbox rescheduling itself). Submitted from the selector thread (a read handed to
 * a stream, a stream waking another of the loop's streams) it costs no wakeup and no other thread; from elsewhere (a
 * commit completing on the commit thread, a partition actor's answer) the selector is woken.
 *
 * <p>Once the loop has stopped, tasks run on the loop's fallback (the default dispatcher): the streams' last work - a
 * PgConnection rolling back its open block as the server stops - still happens. Pekko shuts an idle dispatcher's
 * executor down and creates another; that must not stop the loop, so {@link #shutdown} only marks this instance.
 * Thread-safe.
 */
final class LoopExecutor extends AbstractExecutorService {
    private final Executor loop;
    private volatile boolean shutdown;

    LoopExecutor(SelectorLoop loop) {
        this.loop = loop.executor();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
