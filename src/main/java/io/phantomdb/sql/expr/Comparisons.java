package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Orderings of run-time values for comparisons, chosen when the expression is compiled from the two
 * operand types, so that operands of different classes compare correctly without per-row dispatch:
 * integral types compare as long, DECIMAL with an integral type as BigDecimal, anything with REAL/DOUBLE as
 * double (PostgreSQL casts numeric to float8 there), text in code-point order (C collation), DATE with
 * TIMESTAMP as the timestamp at midnight, bytea as unsigned bytes. Doubles order as PostgreSQL's float8:
 * NaN equals NaN and is above every other value, and -0 equals 0.
 *
 * <p>These are private to the expression compiler; operators that sort or hash use exec's own helpers.
 */
final class Comparisons {
    private Comparisons() {}

    /** The comparison domain of two operand types, or null when PostgreSQL could not compare them. */
    static DataType domain(DataType left, DataType right) {
        if (left.isNumeric() && right.isNumeric()) {
            if (isApproximate(left) || isApproximate(right)) {
                return DataType.DOUBLE;
            }
            if (left == DataType.DECIMAL || right == DataType.DECIMAL) {
                return DataType.DECIMAL;
            }
            return DataType.BIGINT;
        }
        if (isDatetime(left) && isDatetime(right)) {
            return left == right ? left : DataType.TIMESTAMP;
        }
        return left == right ? left : null;
    }

    /** The ordering of values whose types both fall into {@code domain} (see {@link #domain}). */
    static Comparator<Object> ordering(DataType domain) {
        switch (domain) {
            case BIGINT:
                return (a, b) -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case DECIMAL:
                return (a, b) -> toDecimal(a).compareTo(toDecimal(b));
            case DOUBLE:
                return (a, b) -> compareDoubles(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case VARCHAR:
                return (a, b) -> compareCodePoints((String) a, (String) b);
            case BOOLEAN:
                return (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case DATE:
                return (a, b) -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIMESTAMP:
                return (a, b) -> toTimestamp(a).compareTo(toTimestamp(b));
            case BYTEA:
                return (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            default:
                throw new IllegalStateException("no ordering for domain " + domain);
        }
    }

    private static boolean isApproximate(DataType type) {
        return type == DataType.REAL || type == DataType.DOUBLE;
    }

    private static boolean isDatetime(DataType type) {
        return type == DataType.DATE || type == DataType.TIMESTAMP;
    }

    private static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        return BigDecimal.valueOf(((Number) value).longValue());
    }

    private static LocalDateTime toTimestamp(Object value) {
        if (value instanceof LocalDate) {
            return ((LocalDate) value).atStartOfDay();
        }
        return (LocalDateTime) value;
    }

    /** PostgreSQL's float8 order: NaN is the largest value and equal to itself; -0 equals 0. */
    static int compareDoubles(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0;
        }
        boolean aNaN = Double.isNaN(a);
        boolean bNaN = Double.isNaN(b);
        if (aNaN && bNaN) {
            return 0;
        }
        return aNaN ? 1 : -1;
    }

    /**
     * Code-point order (PostgreSQL's C collation on UTF-8). {@code String.compareTo} compares UTF-16 units,
     * which puts a supplementary character (a surrogate pair, 0xD800..) below U+E000..U+FFFF.
     */
    static int compareCodePoints(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
