package io.phantomdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/** Runs closed-loop phases on N threads for a fixed time and records each operation's latency. */
final class Timed {

    private Timed() {}

    /** One operation of a phase; one instance per thread, so it may keep its own random generator. */
    interface Op {
        void run() throws Exception;
    }

    interface OpFactory {
        Op create(int thread) throws Exception;
    }

    /**
     * Result of one phase on one engine.
     *
     * @param opsPerSec operations per second in the measured window (ops started in it / its length)
     * @param p50us median latency, microseconds
     * @param p99us 99th percentile latency, microseconds
     * @param ops operations measured
     * @param counters engine counter deltas over the phase (warm-up included)
     * @param cpuNanos CPU time of the whole process (all threads: callers, engine threads, JIT, GC) during the
     *     measured window, or -1 when unknown; on a shared machine it says what an operation costs where
     *     latency also counts the wait for a CPU
     * @param threadsStarted threads the JVM started during the measured window, or -1 when unknown
     */
    record Sample(double opsPerSec, double p50us, double p99us, long ops, Map<String, Long> counters,
            double seconds, Histogram histogram, long cpuNanos, long threadsStarted) {
        Sample withCounters(Map<String, Long> c) {
            return new Sample(opsPerSec, p50us, p99us, ops, c, seconds, histogram, cpuNanos, threadsStarted);
        }

        static Sample of(long ops, double seconds, Histogram histogram) {
            return of(ops, seconds, histogram, -1, -1);
        }

        static Sample of(long ops, double seconds, Histogram histogram, long cpuNanos, long threadsStarted) {
            return new Sample(ops / seconds, histogram.getValueAtPercentile(50) / 1e3,
                    histogram.getValueAtPercentile(99) / 1e3, ops, Map.of(), seconds, histogram, cpuNanos,
                    threadsStarted);
        }

        /** Process CPU microseconds per measured operation, NaN when unknown. */
        double cpuUsPerOp() {
            return cpuNanos < 0 || ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
        }

        /** Threads started per measured operation, NaN when unknown. */
        double threadsPerOp() {
            return threadsStarted < 0 || ops == 0 ? Double.NaN : threadsStarted / (double) ops;
        }

        /** Several measured slices of one phase as one sample: ops and time add up, histograms merge. */
        static Sample merge(java.util.List<Sample> parts) {
            Histogram all = new Histogram(3);
            long ops = 0;
            double seconds = 0;
            long cpu = 0;
            long started = 0;
            for (Sample p : parts) {
                all.add(p.histogram());
                ops += p.ops();
                seconds += p.seconds();
                cpu = cpu < 0 || p.cpuNanos() < 0 ? -1 : cpu + p.cpuNanos();
                started = started < 0 || p.threadsStarted() < 0 ? -1 : started + p.threadsStarted();
            }
            return of(ops, seconds, all, cpu, started);
        }
    }

    /** The phase failed or the engine hung; {@link #hung} tells whether the engine is still usable. */
    static final class PhaseFailure extends Exception {
        private static final long serialVersionUID = 1L;

        final boolean hung;

        PhaseFailure(String message, Throwable cause, boolean hung) {
            super(message, cause);
            this.hung = hung;
        }
    }

    /**
     * Starts {@code threads} threads; after {@code warmupSeconds} every operation that starts within the next
     * {@code seconds} is timed and counted. Threads stop at the end of the window; throughput divides the
     * operations counted by the time from the window's start to the end of the last one of them.
     */
    static Sample run(int threads, OpFactory factory, double warmupSeconds, double seconds, double graceSeconds)
            throws PhaseFailure {
        Histogram[] histograms = new Histogram[threads];
        long[] counts = new long[threads];
        long[] lastEnd = new long[threads];
        long[] window = new long[2];
        long[] cpu = {-1, -1};
        long[] started = new long[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int index = t;
            histograms[t] = new Histogram(3);
            workers[t] = new Thread(() -> {
                try {
                    Op op = factory.create(index);
                    ready.countDown();
                    go.await();
                    long start = window[0];
                    long end = window[1];
                    Histogram h = histograms[index];
                    long count = 0;
                    long last = start;
                    while (failure.get() == null) {
                        long s = System.nanoTime();
                        if (s >= end) {
                            break;
                        }
                        op.run();
                        long e = System.nanoTime();
                        if (s >= start) {
                            h.recordValue(e - s);
                            count++;
                            last = e;
                        }
                    }
                    counts[index] = count;
                    lastEnd[index] = last;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                } finally {
                    done.countDown();
                }
            }, "bench-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try {
            ready.await();
            long now = System.nanoTime();
            window[0] = now + (long) (warmupSeconds * 1e9);
            window[1] = window[0] + (long) (seconds * 1e9);
            go.countDown();
            // Process CPU time and threads started at the window's start and end. A phase that fails early ends
            // these waits early too, but then it throws below and the values are not used.
            ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
            done.await(Math.max(0, window[0] - System.nanoTime()), TimeUnit.NANOSECONDS);
            cpu[0] = processCpuNanos();
            started[0] = threadBean.getTotalStartedThreadCount();
            done.await(Math.max(0, window[1] - System.nanoTime()), TimeUnit.NANOSECONDS);
            cpu[1] = processCpuNanos();
            started[1] = threadBean.getTotalStartedThreadCount();
            if (!done.await((long) ((warmupSeconds + seconds + graceSeconds) * 1000), TimeUnit.MILLISECONDS)) {
                failure.compareAndSet(null, new TimeoutException("threads still blocked " + graceSeconds
                        + " s after the end of the phase"));
                throw new PhaseFailure("hung: " + threadDump(workers), null, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseFailure("interrupted", e, true);
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new PhaseFailure(describe(f), f, false);
        }
        Histogram all = new Histogram(3);
        long ops = 0;
        long last = window[0];
        for (int t = 0; t < threads; t++) {
            all.add(histograms[t]);
            ops += counts[t];
            last = Math.max(last, lastEnd[t]);
        }
        double elapsed = Math.max(last - window[0], 1) / 1e9;
        return Sample.of(ops, elapsed, all, cpu[0] < 0 || cpu[1] < 0 ? -1 : cpu[1] - cpu[0], started[1] - started[0]);
    }

    /** Runs a single call with a deadline (open, flush, compact, close); a timeout means the engine hung. */
    static <T> T call(String what, Callable<T> callable, double timeoutSeconds) throws PhaseFailure {
        FutureTask<T> task = new FutureTask<>(callable);
        Thread thread = new Thread(task, "bench-" + what);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PhaseFailure(what + " hung for " + timeoutSeconds + " s: " + threadDump(thread), e, true);
        } catch (ExecutionException e) {
            throw new PhaseFailure(describe(e.getCause()), e.getCause(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseFailure("interrupted", e, true);
        }
    }

    /**
     * Runs a long call (the load) that reports progress; it is declared hung only when {@code progress} stops
     * moving for {@code stallSeconds}.
     */
    static <T> T callWatched(String what, Callable<T> callable, java.util.concurrent.atomic.AtomicLong progress,
            double stallSeconds) throws PhaseFailure {
        FutureTask<T> task = new FutureTask<>(callable);
        Thread thread = new Thread(task, "bench-" + what);
        thread.setDaemon(true);
        thread.start();
        long seen = -1;
        long lastMove = System.nanoTime();
        while (true) {
            try {
                return task.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long p = progress.get();
                if (p != seen) {
                    seen = p;
                    lastMove = System.nanoTime();
                } else if (System.nanoTime() - lastMove > (long) (stallSeconds * 1e9)) {
                    throw new PhaseFailure(what + " made no progress for " + stallSeconds + " s at " + p + ": "
                            + threadDump(thread), e, true);
                }
            } catch (ExecutionException e) {
                throw new PhaseFailure(describe(e.getCause()), e.getCause(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PhaseFailure("interrupted", e, true);
            }
        }
    }

    /** CPU time of this JVM process (all threads), or -1 where the platform MXBean does not tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    static String describe(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? m : m + " at " + st[0];
    }

    private static String threadDump(Thread... threads) {
        for (Thread t : threads) {
            StackTraceElement[] st = t.getStackTrace();
            if (t.isAlive() && st.length > 0) {
                StringBuilder b = new StringBuilder(t.getName()).append(" blocked in");
                for (int i = 0; i < Math.min(6, st.length); i++) {
                    b.append(i == 0 ? " " : " <- ").append(st[i]);
                }
                return b.toString();
            }
        }
        return "(no stack)";
    }
}
