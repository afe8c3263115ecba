package io.phantomdb.exec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * Comparison, equality and hashing of run-time values (classes per {@link io.phantomdb.catalog.DataType}), with
 * PostgreSQL's rules: text in code-point order (C collation), {@code false < true}, bytea unsigned
 * lexicographic, numbers compared by exact value across classes, and for floating point {@code NaN} equal to
 * itself and greater than every other number while {@code -0.0 = 0.0}.
 *
 * <p>{@link #keyOf} is consistent with {@link #sqlEquals}: {@code keyOf(a).equals(keyOf(b))} exactly when
 * {@code sqlEquals(a, b)}, also across numeric classes (an INTEGER 1 joins a DECIMAL 1.00 and a DOUBLE 1.0).
 * A key is for hashing only, never a value to output: it does not keep the value's class.
 */
public final class Values {
    /** 2^63 as a double: integral doubles below it in magnitude convert to long exactly. */
    private static final double TWO_POW_63 = 0x1p63;
    /** Longs up to 2^53 in magnitude convert to double exactly. */
    private static final long EXACT_DOUBLE_LONG_MAX = 1L << 53;
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    private Values() {}

    /** Total order of two non-null values of one type family; throws IllegalArgumentException across families. */
    public static int compare(Object a, Object b) {
        Objects.requireNonNull(a, "compare: left value is null");
        Objects.requireNonNull(b, "compare: right value is null");
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
            return x.compareTo(y);
        }
        if (a instanceof BytesKey x && b instanceof BytesKey y) {
            return x.compareTo(y);
        }
        throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " with "
                + b.getClass().getSimpleName());
    }

    /** As {@link #compare}, with SQL NULL (Java null) placed before ({@code nullsFirst}) or after every value. */
    public static int compareNullable(Object a, Object b, boolean nullsFirst) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            return (a == null) == nullsFirst ? -1 : 1;
        }
        return compare(a, b);
    }

    /** SQL {@code a = b} for two non-null values (numbers across classes, bytea by content, NaN = NaN). */
    public static boolean sqlEquals(Object a, Object b) {
        Objects.requireNonNull(a, "sqlEquals: left value is null");
        Objects.requireNonNull(b, "sqlEquals: right value is null");
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a.getClass() == b.getClass()) {
            return a.equals(b);
        }
        return compare(a, b) == 0;
    }

    /**
     * A key with value semantics for hashing and grouping; null stays null. Numbers are canonical across classes:
     * an integral value that fits a long becomes a {@link Long} (so {@code -0.0} and {@code 0.00} become 0),
     * another value exactly representable as a double becomes a {@link Double}, any other decimal becomes its
     * {@code stripTrailingZeros} form. {@code byte[]} becomes a {@link BytesKey}; other values are their own key.
     */
    public static Object keyOf(Object v) {
        if (v == null || v instanceof Long) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            return doubleKey(((Number) v).doubleValue());
        }
        if (v instanceof BigDecimal d) {
            return decimalKey(d);
        }
        if (v instanceof byte[] bytes) {
            return new BytesKey(bytes);
        }
        return v;
    }

    /** The key of {@code columns} of {@code row}; NULLs in the same position are equal (GROUP BY semantics). */
    public static GroupKey groupKey(Object[] row, int[] columns) {
        Object[] parts = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            parts[i] = keyOf(row[columns[i]]);
        }
        return new GroupKey(parts);
    }

    private static Object doubleKey(double d) {
        if (Double.isNaN(d)) {
            return Double.NaN;
        }
        if (d == Math.rint(d) && Math.abs(d) < TWO_POW_63) {
            return (long) d; // also maps -0.0 to 0
        }
        return d;
    }

    private static Object decimalKey(BigDecimal d) {
        if (d.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
            BigInteger integral = stripped.toBigIntegerExact();
            if (integral.bitLength() < 64) {
                return integral.longValue();
            }
        }
        // A fraction u / 10^s is a binary fraction only if 5^s divides u: a cheap test before the exact one.
        if (stripped.scale() > 0 && stripped.unscaledValue().mod(FIVE).signum() != 0) {
            return stripped;
        }
        // Same value as a double (0.5, or 2^63 beyond the long range): the key a DOUBLE of that value has.
        double asDouble = stripped.doubleValue();
        if (!Double.isInfinite(asDouble) && new BigDecimal(asDouble).compareTo(stripped) == 0) {
            return asDouble;
        }
        return stripped;
    }

    private static int compareNumbers(Number a, Number b) {
        boolean integralA = isIntegral(a);
        boolean integralB = isIntegral(b);
        if (integralA && integralB) {
            return Long.compare(a.longValue(), b.longValue());
        }
        boolean floatingA = isFloating(a);
        boolean floatingB = isFloating(b);
        if (floatingA && floatingB) {
            return compareDoubles(a.doubleValue(), b.doubleValue());
        }
        if (floatingA) {
            return compareDoubleWithExact(a.doubleValue(), b, integralB);
        }
        if (floatingB) {
            return -compareDoubleWithExact(b.doubleValue(), a, integralA);
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    /** Compares a double with an integral or decimal value exactly (no rounding of the other to double). */
    private static int compareDoubleWithExact(double d, Number exact, boolean exactIsIntegral) {
        if (Double.isNaN(d)) {
            return 1;
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? 1 : -1;
        }
        if (exactIsIntegral && Math.abs(exact.longValue()) <= EXACT_DOUBLE_LONG_MAX) {
            return compareDoubles(d, exact.longValue());
        }
        return new BigDecimal(d).compareTo(toBigDecimal(exact));
    }

    private static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        if (x == y) {
            return 0; // -0.0 == 0.0
        }
        boolean nanX = Double.isNaN(x);
        boolean nanY = Double.isNaN(y);
        return nanX == nanY ? 0 : (nanX ? 1 : -1);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static boolean isFloating(Number n) {
        return n instanceof Double || n instanceof Float;
    }

    private static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        throw new IllegalArgumentException("not a SQL number: " + n.getClass().getName());
    }

    /**
     * Code-point order of two strings. {@link String#compareTo} compares UTF-16 units, which puts supplementary
     * characters (surrogate pairs) before U+E000..U+FFFF; this fixes up the first differing unit pair so the
     * order is PostgreSQL's C collation on UTF-8 (which is code-point order).
     */
    static int compareCodePoints(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    return Integer.compare(fixUp(x), fixUp(y));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, so that unit order equals code-point order. */
    private static int fixUp(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
