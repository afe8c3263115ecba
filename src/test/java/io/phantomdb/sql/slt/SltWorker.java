package io.phantomdb.sql.slt;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each database call on a separate thread so that a record that hangs can be given up after the
 * per-record timeout instead of hanging the whole run.
 *
 * <p>On a timeout the engine is asked to cancel and the thread is interrupted. If the thread then ends
 * within a grace period a new one takes over and the file goes on; if it does not, the worker is
 * <em>wedged</em>: the database is still busy on the old thread, so the caller must stop using it.
 */
final class SltWorker implements AutoCloseable {

    /** Raised when a call did not finish within the per-record timeout. */
    static final class TimedOut extends Exception {
        TimedOut(Duration timeout) {
            super("timed out after " + timeout.toMillis() + " ms");
        }
    }

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final long MAX_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Duration timeout;
    private final long graceNanos;
    private ExecutorService executor = newExecutor();
    private boolean wedged;

    SltWorker(Duration timeout) {
        this.timeout = timeout;
        this.graceNanos = Math.min(SltBudget.nanos(timeout), MAX_GRACE_NANOS);
    }

    /**
     * Runs {@code task} on the worker thread and returns its result, or rethrows what it threw.
     *
     * @param onTimeout called on this thread when the timeout passes, before the worker is interrupted
     * @throws TimedOut             the task did not finish in time
     * @throws InterruptedException this (the runner's) thread was interrupted while waiting
     */
    <T> T call(Callable<T> task, Runnable onTimeout) throws Exception {
        return call(task, onTimeout, timeout);
    }

    /** As {@link #call(Callable, Runnable)} with its own limit (opening a database may take longer than a record). */
    <T> T call(Callable<T> task, Runnable onTimeout, Duration limit) throws Exception {
        if (wedged) {
            throw new IllegalStateException("the worker thread is still stuck in an earlier call");
        }
        Future<T> future = executor.submit(task);
        try {
            return future.get(SltBudget.nanos(limit), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw asException(e.getCause());
        } catch (TimeoutException e) {
            abandon(onTimeout);
            throw new TimedOut(limit);
        }
    }

    /** True after a timed-out call kept its thread busy beyond the grace period. */
    boolean wedged() {
        return wedged;
    }

    private void abandon(Runnable onTimeout) throws InterruptedException {
        try {
            onTimeout.run();
        } catch (RuntimeException ignored) {
            // A failing cancel must not stop the run; the interrupt below is the fallback.
        }
        executor.shutdownNow();
        if (executor.awaitTermination(graceNanos, TimeUnit.NANOSECONDS)) {
            executor = newExecutor();
        } else {
            wedged = true;
        }
    }

    /** An Error thrown by the engine (say a StackOverflowError) is one failed record, not the end of the run. */
    private static Exception asException(Throwable cause) {
        return cause instanceof Exception ? (Exception) cause : new ExecutionException(cause);
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            // Daemon: a wedged engine call must not keep the JVM alive after the run.
            Thread t = new Thread(r, "slt-worker-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(graceNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
