package io.phantomdb.storage.compaction;

/**
 * Limits compaction write bandwidth so that background merges do not starve foreground I/O. A simple
 * pacing limiter: each caller is charged for the bytes it wrote and sleeps until the running average
 * falls to the configured rate. Thread-safe.
 */
public final class RateLimiter {

    private final long bytesPerSecond;
    private long startNanos = System.nanoTime();
    private long bytesSinceStart;

    /** @param bytesPerSecond the limit; 0 means unlimited */
    public RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Charges {@code bytes}; sleeps (interruptibly) when over the rate. */
    public void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long sleepNanos;
        synchronized (this) {
            long now = System.nanoTime();
            // Forget history older than a second so an idle period does not buy an unbounded burst.
            if (now - startNanos > 1_000_000_000L && nanosFor(bytesSinceStart) < now - startNanos) {
                startNanos = now;
                bytesSinceStart = 0;
            }
            bytesSinceStart += bytes;
            long dueNanos = startNanos + nanosFor(bytesSinceStart);
            sleepNanos = dueNanos - now;
        }
        if (sleepNanos > 0) {
            // Sleep granularity is ~1 ms; shorter debts are carried over to the next charge.
            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
    }

    /** Time the limit allows for {@code bytes}; double arithmetic so large counts do not overflow. */
    private long nanosFor(long bytes) {
        return (long) (bytes * 1e9 / bytesPerSecond);
    }
}
