package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Values as PostgreSQL 15 prints them (its output functions), used by CAST to text and by {@code ||}:
 * floats in the shortest form that reads back exactly, fixed-point unless the decimal exponent is below -4
 * or at least 15 (6 for real), e.g. {@code 1e+15}; numeric with its scale; booleans as {@code true}/{@code false};
 * timestamps as {@code 2020-01-02 10:00:00.5}; bytea as {@code \x0aff}.
 */
final class TextFormat {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TextFormat() {}

    static String format(Object value, DataType type) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case BOOLEAN:
            case VARCHAR:
                return value.toString();
            case DECIMAL:
                return ((BigDecimal) value).toPlainString();
            case REAL:
                return formatReal((Float) value);
            case DOUBLE:
                return formatDouble((Double) value);
            case DATE:
                return formatDate((LocalDate) value);
            case TIMESTAMP:
                return formatTimestamp((LocalDateTime) value);
            case BYTEA:
                return formatBytes((byte[]) value);
            default:
                throw new IllegalStateException("no text form for " + type);
        }
    }

    static String formatDouble(double value) {
        String special = special(value);
        if (special != null) {
            return special;
        }
        return scientificOrFixed(shortestDouble(value), 15);
    }

    static String formatReal(float value) {
        String special = special(value);
        if (special != null) {
            return special;
        }
        return scientificOrFixed(shortestFloat(value), 6);
    }

    private static String special(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        return null;
    }

    /**
     * The shortest decimal that reads back as {@code value} (what PostgreSQL's Ryu output prints). JDK 17's
     * {@code Double.toString} always reads back but is not always shortest, so fewer digits are tried.
     */
    private static BigDecimal shortestDouble(double value) {
        BigDecimal exact = new BigDecimal(value);
        BigDecimal best = new BigDecimal(Double.toString(value));
        for (int digits = best.precision() - 1; digits >= 1; digits--) {
            BigDecimal candidate = roundTripping(exact, digits, c -> c.doubleValue() == value);
            if (candidate == null) {
                break;
            }
            best = candidate;
        }
        return best.stripTrailingZeros();
    }

    private static BigDecimal shortestFloat(float value) {
        BigDecimal exact = new BigDecimal(value);
        BigDecimal best = new BigDecimal(Float.toString(value));
        for (int digits = best.precision() - 1; digits >= 1; digits--) {
            BigDecimal candidate = roundTripping(exact, digits, c -> c.floatValue() == value);
            if (candidate == null) {
                break;
            }
            best = candidate;
        }
        return best.stripTrailingZeros();
    }

    /** The nearest {@code digits}-digit decimal that reads back, else its other neighbour, else null. */
    private static BigDecimal roundTripping(BigDecimal exact, int digits, java.util.function.Predicate<BigDecimal> readsBack) {
        BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        if (readsBack.test(nearest)) {
            return nearest;
        }
        BigDecimal down = exact.round(new MathContext(digits, RoundingMode.DOWN));
        BigDecimal other = down.compareTo(nearest) == 0 ? exact.round(new MathContext(digits, RoundingMode.UP)) : down;
        return readsBack.test(other) ? other : null;
    }

    /** printf-style %g layout of a stripped decimal: fixed when -4 <= exponent < limit, else d.ddde+XX. */
    private static String scientificOrFixed(BigDecimal value, int fixedExponentLimit) {
        String digits = value.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - value.scale();
        if (exponent >= -4 && exponent < fixedExponentLimit) {
            return value.toPlainString();
        }
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (value.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        return out.append(magnitude).toString();
    }

    static String formatDate(LocalDate date) {
        return date.toString();
    }

    /** PostgreSQL prints seconds always and the fraction without trailing zeros. */
    static String formatTimestamp(LocalDateTime timestamp) {
        StringBuilder out = new StringBuilder(26).append(formatDate(timestamp.toLocalDate())).append(' ');
        LocalTime time = timestamp.toLocalTime();
        appendTwo(out, time.getHour()).append(':');
        appendTwo(out, time.getMinute()).append(':');
        appendTwo(out, time.getSecond());
        int micros = time.getNano() / 1000;
        if (micros != 0) {
            String fraction = String.format("%06d", micros);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        return out.toString();
    }

    private static StringBuilder appendTwo(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    /** bytea's hex output format (PostgreSQL's default bytea_output). */
    static String formatBytes(byte[] bytes) {
        StringBuilder out = new StringBuilder(2 + bytes.length * 2).append("\\x");
        for (byte b : bytes) {
            out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return out.toString();
    }
}
