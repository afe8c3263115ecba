package io.phantomdb.sql.expr;

import java.time.LocalDateTime;

/** Fraction-digit handling of TIMESTAMP(p) values: PostgreSQL rounds (half up) to p digits, never truncates. */
final class Timestamps {
    private static final long[] NANOS_PER_UNIT = {
        1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};

    private Timestamps() {}

    /** {@code timestamp} rounded to {@code digits} fraction digits of a second (0..9). */
    static LocalDateTime roundToPrecision(LocalDateTime timestamp, int digits) {
        if (digits >= 9) {
            return timestamp;
        }
        long unit = NANOS_PER_UNIT[Math.max(digits, 0)];
        long nanos = timestamp.getNano();
        long remainder = nanos % unit;
        if (remainder == 0) {
            return timestamp;
        }
        LocalDateTime truncated = timestamp.minusNanos(remainder);
        return remainder * 2 >= unit ? truncated.plusNanos(unit) : truncated;
    }
}
