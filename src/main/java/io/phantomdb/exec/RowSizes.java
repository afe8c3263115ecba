package io.phantomdb.exec;

import java.math.BigDecimal;

/** Estimates of the heap a row retains, for {@link MemoryBudget} accounting (64-bit JVM, compressed oops). */
public final class RowSizes {
    /** Array header plus one reference slot per column. */
    static final int ARRAY_HEADER_BYTES = 16;
    static final int REFERENCE_BYTES = 4;
    /** A boxed number or small object: header plus payload, rounded to 8. */
    static final int BOXED_BYTES = 16;

    private RowSizes() {}

    public static long estimate(Object[] row) {
        long bytes = ARRAY_HEADER_BYTES + (long) REFERENCE_BYTES * row.length;
        for (Object value : row) {
            bytes += estimate(value);
        }
        return bytes;
    }

    public static long estimate(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof byte[] b) {
            return ARRAY_HEADER_BYTES + b.length;
        }
        if (value instanceof BigDecimal d) {
            return 40 + d.unscaledValue().bitLength() / 8;
        }
        return BOXED_BYTES;
    }
}
