package io.phantomdb.storage.crash;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an engine call with a time limit, so that a hang after a fault (a writer waiting forever for a group
 * commit whose sync failed, a close that never returns) fails the case that caused it, with its stack,
 * instead of freezing the whole test run.
 */
final class TimeLimit {

    /** Thrown when a call did not finish in time; carries the stuck thread's stack. */
    static final class HangException extends RuntimeException {
        HangException(String message) {
            super(message);
        }
    }

    static final long DEFAULT_SECONDS = 30;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "crash-test-call");
        t.setDaemon(true);
        return t;
    });

    private TimeLimit() {}

    /** Runs {@code body}; rethrows what it throws (unchecked as is, checked wrapped). */
    static <T> T call(String what, Callable<T> body) {
        AtomicReference<Thread> runner = new AtomicReference<>();
        Future<T> future = POOL.submit(() -> {
            runner.set(Thread.currentThread());
            return body.call();
        });
        try {
            return future.get(DEFAULT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new HangException(what + " did not finish in " + DEFAULT_SECONDS + " s" + stackOf(runner.get()) + otherStacks());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " threw a checked exception", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    /** Joins a thread; a {@link HangException} with its stack if it is still alive after the limit. */
    static void join(Thread thread, String what) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(DEFAULT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (thread.isAlive()) {
            throw new HangException(what + " did not finish in " + DEFAULT_SECONDS + " s" + stackOf(thread) + otherStacks());
        }
    }

    /** Stacks of the other live threads (the engine's commit, flush and compaction threads among them). */
    static String otherStacks() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (e.getValue().length == 0 || name.startsWith("crash-test-call") || name.equals("main")
                    || name.startsWith("Reference Handler") || name.startsWith("Finalizer")
                    || name.startsWith("Signal Dispatcher") || name.startsWith("Common-Cleaner")) {
                continue;
            }
            s.append("\n  thread ").append(name).append(" (").append(e.getKey().getState()).append(')');
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < Math.min(frames.length, 25); i++) {
                s.append("\n    at ").append(frames[i]);
            }
        }
        return s.toString();
    }

    static String stackOf(Thread thread) {
        if (thread == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("; stack of ").append(thread.getName()).append(':');
        for (StackTraceElement frame : thread.getStackTrace()) {
            s.append("\n    at ").append(frame);
        }
        return s.toString();
    }
}
