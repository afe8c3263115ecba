package io.phantomdb.exec.operator;

import java.math.BigDecimal;

/**
 * The running sum behind SUM, SUM0 and AVG. Integral inputs add up in a long and move to an exact BigDecimal on
 * overflow (so SUM can report 22003 for a BIGINT result, or stay exact for a DECIMAL one); decimals add exactly;
 * floating inputs add as double. {@link #total} is a Long, a BigDecimal or a Double accordingly.
 */
final class NumericSum {
    private long longSum;
    private BigDecimal decimalSum;
    private double doubleSum;
    private boolean floating;
    private long count;

    void add(Number value) {
        count++;
        if (value instanceof Double || value instanceof Float) {
            floating = true;
            doubleSum += value.doubleValue();
        } else if (value instanceof BigDecimal d) {
            decimalSum = decimalSum == null ? d : decimalSum.add(d);
        } else {
            long v = value.longValue();
            long sum = longSum + v;
            if (((longSum ^ sum) & (v ^ sum)) < 0) { // Math.addExact's overflow test, without the exception
                BigDecimal spilled = BigDecimal.valueOf(longSum).add(BigDecimal.valueOf(v));
                decimalSum = decimalSum == null ? spilled : decimalSum.add(spilled);
                longSum = 0;
            } else {
                longSum = sum;
            }
        }
    }

    /** Number of values added. */
    long count() {
        return count;
    }

    /** The sum, or null when nothing was added. */
    Number total() {
        if (count == 0) {
            return null;
        }
        if (floating) {
            double exactPart = decimalSum == null ? longSum : decimalSum.add(BigDecimal.valueOf(longSum)).doubleValue();
            return doubleSum + exactPart;
        }
        if (decimalSum == null) {
            return longSum;
        }
        return decimalSum.add(BigDecimal.valueOf(longSum));
    }
}
