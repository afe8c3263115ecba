package io.phantomdb.sql;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the distinct values of one column (or key prefix) for ANALYZE: exactly while at most {@code limit}
 * different values have been seen, then by estimate. The values counted until the limit was reached are a
 * sample of {@code n} values with {@code d} distinct ones, {@code f1} of them seen once; over all {@code N}
 * values the estimate is Haas and Stokes' Duj1, {@code n*d / (n - f1 + f1*n/N)}, the estimator PostgreSQL's
 * ANALYZE uses. It is exact when nothing repeats ({@code = N}) and close when the sample saw most values.
 * The sample is the scan's first rows, not a random one: a column whose values follow the key order is
 * misjudged (documented in decisions D19).
 *
 * <p>Not thread-safe; one per column per ANALYZE. Memory: at most {@code limit} values.
 */
final class DistinctCounter {
    private final int limit;
    private final Map<Object, int[]> counts = new HashMap<>();
    private long sampled;
    private long total;
    private boolean full;

    DistinctCounter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** Counts one non-null value (already {@link #normalize normalized}). */
    void add(Object value) {
        total++;
        if (full) {
            return;
        }
        int[] count = counts.get(value);
        if (count != null) {
            count[0]++;
            sampled++;
        } else if (counts.size() == limit) {
            full = true; // the sample ends at the first value it has no room for
        } else {
            counts.put(value, new int[] {1});
            sampled++;
        }
    }

    /** Non-null values counted. */
    long total() {
        return total;
    }

    /** Distinct values: exact below the limit, else the Duj1 estimate, always within [distinct seen, total]. */
    double estimate() {
        double d = counts.size();
        if (!full) {
            return d;
        }
        long once = 0;
        for (int[] c : counts.values()) {
            if (c[0] == 1) {
                once++;
            }
        }
        double n = sampled;
        double denominator = n - once + once * n / total;
        double estimate = denominator <= 0 ? total : n * d / denominator;
        return Math.max(d, Math.min(total, estimate));
    }

    /**
     * The value as a hash key under SQL equality: numerically equal decimals alike whatever their scale, byte
     * arrays by content, and -0.0 like 0.0.
     */
    static Object normalize(Object value) {
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof Double d && d == 0.0) {
            return 0.0d;
        }
        if (value instanceof Float f && f == 0.0f) {
            return 0.0f;
        }
        return value;
    }
}
