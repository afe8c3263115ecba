package io.phantomdb.server.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the HTTP layer: statements running now (also the {@code max-statements} gate), statements started,
 * and rows written to responses - counted when a chunk is pulled by the connection, i.e. when the client's
 * reading (through TCP flow control) asks for more, so tests can see that a slow reader slows the scan.
 * Thread-safe.
 */
final class HttpMetrics {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong rowsSent = new AtomicLong();

    /** Claims a statement slot; false when {@code max} statements already run. */
    boolean tryStart(int max) {
        while (true) {
            int now = running.get();
            if (now >= max) {
                return false;
            }
            if (running.compareAndSet(now, now + 1)) {
                started.incrementAndGet();
                return true;
            }
        }
    }

    void end() {
        int left = running.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("statement slot released twice");
        }
    }

    void rowsSent(long rows) {
        rowsSent.addAndGet(rows);
    }

    int running() {
        return running.get();
    }

    long started() {
        return started.get();
    }

    long rowsSent() {
        return rowsSent.get();
    }
}
