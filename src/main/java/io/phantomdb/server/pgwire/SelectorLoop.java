package io.phantomdb.server.pgwire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread of {@link NioTransport}: it waits for sockets to become readable (or writable, for a writer
 * that found the socket full), reads what is there into its one read buffer and hands the bytes to the
 * connection's stream. With {@code nio-execution = selector} it also runs the streams of its connections
 * ({@link LoopExecutor} submits their actors' mailboxes with {@link #submit}): a request is then read, executed and
 * answered on this one thread.
 *
 * <p>One round: run the tasks queued so far (those they queue wait for the next round, so a stream that keeps
 * rescheduling itself cannot starve the sockets), then select - without blocking when tasks are waiting.
 *
 * <p>JDK selector rules this class keeps: every interest change and registration runs on this thread (other threads
 * queue a task with {@link #execute}, which wakes the selector, since a change made while {@code select} blocks
 * would only take effect at its next return); the common request/response case queues nothing, because OP_READ
 * stays armed. Thread-safe through {@link #execute} and {@link #submit}; everything else is confined to the
 * selector thread.
 */
final class SelectorLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);

    private final Selector selector;
    private final LoopThread thread;
    /** Only direct buffers avoid the JDK's copy into a temporary one; one per thread, reused for every read. */
    private final ByteBuffer readBuffer;
    private final Queue<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private boolean stopping; // guarded by this
    private volatile boolean running = true;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /** @param fallback runs what is handed to the thread as an {@link Executor} once the loop has stopped */
    SelectorLoop(String name, int readBufferSize, Executor fallback) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        thread = new LoopThread(this, name, fallback);
        thread.setDaemon(true);
    }

    /**
     * The selector thread, which is also the executor of its own loop ({@link #submit}; once the loop has stopped,
     * {@code fallback}). Code that hands work to another thread and wants the answer back where it started asks
     * whether the current thread is an {@link Executor}: a commit queued from a statement running here is answered
     * here (PartitionClient), one hand-off instead of two through the default dispatcher.
     */
    private static final class LoopThread extends Thread implements Executor {
        private final SelectorLoop loop;
        private final Executor fallback;

        LoopThread(SelectorLoop loop, String name, Executor fallback) {
            super(loop, name);
            this.loop = loop;
            this.fallback = fallback;
        }

        @Override
        public void execute(Runnable task) {
            if (!loop.submit(task)) {
                fallback.execute(task);
            }
        }
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    Thread thread() {
        return thread;
    }

    /** The loop as an executor: {@link #submit}, or the fallback once the loop has stopped. */
    Executor executor() {
        return thread;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the selector thread: at once when called there, else queued with a wakeup. False when the
     * loop has stopped (the task will never run; the caller cleans up itself).
     */
    boolean execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return true;
        }
        synchronized (this) {
            if (stopping) {
                return false;
            }
            tasks.add(task);
        }
        selector.wakeup();
        return true;
    }

    /**
     * Queues {@code task} to run on the selector thread after the current round; never runs it at once (the caller
     * may be a task itself: Pekko submits a mailbox again from inside its own run). From the selector thread this
     * costs no wakeup; from another thread it wakes the selector. False when the loop has stopped (the caller runs
     * the task elsewhere).
     */
    boolean submit(Runnable task) {
        boolean here = inLoop();
        synchronized (this) {
            if (stopping) {
                return false;
            }
            tasks.add(task);
        }
        if (!here) {
            selector.wakeup();
        }
        return true;
    }

    /** Makes a blocked {@code select} return, so that closed channels are deregistered (their descriptors freed). */
    void wakeup() {
        selector.wakeup();
    }

    /** Stops the thread; the returned stage completes when it has closed the selector and exited. */
    CompletionStage<Void> stop() {
        synchronized (this) {
            stopping = true;
        }
        running = false;
        selector.wakeup();
        return terminated;
    }

    @Override
    public void run() {
        try {
            while (running) {
                if (runTasks()) {
                    selector.selectNow(this::onReady); // tasks queued by this round's tasks wait: poll only
                } else {
                    selector.select(this::onReady);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("pgwire selector thread {} failed; its connections are closed", thread.getName(), e);
        } finally {
            shutDown();
        }
    }

    /** Runs the tasks queued before this call; true when more were queued meanwhile (the next round runs them). */
    private boolean runTasks() {
        int n;
        synchronized (this) {
            n = tasks.size();
        }
        for (int i = 0; i < n; i++) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
            }
            if (task == null) {
                return false;
            }
            runTask(task);
        }
        synchronized (this) {
            return !tasks.isEmpty();
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (CancelledKeyException e) {
            // the connection was closed from its stream meanwhile; nothing left to change
        } catch (RuntimeException e) {
            // one connection's failure must not end the thread that serves all the others
            LOG.error("pgwire selector thread {}: a task failed", thread.getName(), e);
        }
    }

    private void onReady(SelectionKey key) {
        try {
            if (key.attachment() instanceof Ready handler) {
                handler.onReady(key, readBuffer);
            }
        } catch (CancelledKeyException e) {
            // closed from its stream thread while this thread handled it; the next select deregisters it
        } catch (RuntimeException e) {
            // one connection's failure must not end the thread that serves all the others
            LOG.error("pgwire selector thread {}: closing a channel after an unexpected error", thread.getName(), e);
            if (key.attachment() instanceof Ready handler) {
                handler.onStopped();
            }
        }
    }

    private void shutDown() {
        synchronized (this) {
            stopping = true;
        }
        running = false;
        // Registrations queued before the stop see the loop stopped and close their connections; stream work queued
        // before it runs here (what it submits now goes to the fallback executor, so this ends).
        while (runTasks()) {
            // drain
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Ready handler) {
                handler.onStopped();
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing pgwire selector {}", thread.getName(), e);
        }
        terminated.complete(null);
    }

    /** Whether the loop still runs (registrations check it on the selector thread). */
    boolean running() {
        return running;
    }

    /** What a selection key's attachment does when its channel is ready; called on the selector thread. */
    interface Ready {
        void onReady(SelectionKey key, ByteBuffer readBuffer);

        /** The loop stops: close the channel. */
        void onStopped();
    }
}
