package io.phantomdb.sql.slt;

import java.time.Duration;
import java.util.Optional;

/**
 * The time budget of one run. It is checked before each record, so a run overshoots the budget by at most
 * one per-record timeout. Once exhausted it stays exhausted, and it remembers where that was first seen so
 * the report can say where the run stopped.
 */
final class SltBudget {

    private final long start = System.nanoTime();
    private final long limitNanos;
    private String exhaustedAt;

    SltBudget(Duration budget) {
        this.limitNanos = nanos(budget);
    }

    /** Whether there is no time left; {@code file:line} is the record about to run, kept on the first miss. */
    boolean exhausted(String file, int line) {
        if (exhaustedAt == null && System.nanoTime() - start >= limitNanos) {
            exhaustedAt = file + ":" + line;
        }
        return exhaustedAt != null;
    }

    /** Ends the run early (the runner's thread was interrupted): everything left counts as not run. */
    void stop(String file, int line) {
        if (exhaustedAt == null) {
            exhaustedAt = file + ":" + line + " (interrupted)";
        }
    }

    Optional<String> exhaustedAt() {
        return Optional.ofNullable(exhaustedAt);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Duration in nanoseconds, saturated: a budget of "forever" must not overflow into the past. */
    static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
