package io.phantomdb.sql.slt;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders result values as text by the column's type letter, whatever the SQL type (README "Expected
 * values"): {@code NULL} for null; {@code I} the value converted to an integer; {@code R} the value
 * converted to a double with exactly three decimals; {@code T} the text itself, {@code (empty)} for an
 * empty string. Every byte outside printable ASCII becomes {@code @}.
 */
public final class SltRenderer {

    private SltRenderer() {
    }

    /** Renders every value of {@code rows} row by row; each row must have {@code types.length()} values. */
    public static List<String> renderRows(List<Object[]> rows, String types) {
        List<String> out = new ArrayList<>(rows.size() * types.length());
        for (Object[] row : rows) {
            if (row.length != types.length()) {
                throw new IllegalArgumentException("row has " + row.length + " values for types " + types);
            }
            for (int c = 0; c < row.length; c++) {
                out.add(render(row[c], types.charAt(c)));
            }
        }
        return out;
    }

    /** Renders one value for a column of type {@code I}, {@code R} or {@code T}. */
    public static String render(Object value, char type) {
        if (value == null) {
            return "NULL";
        }
        switch (type) {
            case 'I':
                return integer(value);
            case 'R':
                return real(value);
            case 'T':
                return text(value);
            default:
                throw new IllegalArgumentException("unknown column type letter '" + type + "'");
        }
    }

    /** {@code I}: integers as they are; fractions truncated toward zero like a C cast; text through atoi. */
    static String integer(Object value) {
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toBigInteger().toString();
        }
        if (value instanceof Double || value instanceof Float) {
            return Long.toString(SltConversions.truncate(((Number) value).doubleValue()));
        }
        if (value instanceof Number) {
            // Integer, Long, Short, Byte, BigInteger, AtomicLong...: already whole numbers.
            return value.toString();
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? "1" : "0";
        }
        return SltConversions.leadingInteger(plainText(value)).toString();
    }

    /** {@code R}: {@code %.3f} of the value as a double; text through atof. */
    static String real(Object value) {
        return String.format(Locale.ROOT, "%.3f", toDouble(value));
    }

    private static double toDouble(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? 1 : 0;
        }
        return SltConversions.leadingReal(plainText(value));
    }

    /** {@code T}: the text, {@code (empty)} when empty, non-printable bytes as {@code @}. */
    static String text(Object value) {
        byte[] bytes = value instanceof byte[] ? (byte[]) value : textOf(value).getBytes(StandardCharsets.UTF_8);
        return bytes.length == 0 ? "(empty)" : printable(bytes);
    }

    /** Text of a non-null value as the engines that computed the expected answers would print it. */
    private static String textOf(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return SltConversions.realToText(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Boolean) {
            // SQLite and MySQL, whose answers the corpus keeps, have no boolean type: true is 1.
            return ((Boolean) value) ? "1" : "0";
        }
        return value.toString();
    }

    /** Text used as input to atoi/atof; byte strings are read one character per byte. */
    private static String plainText(Object value) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.ISO_8859_1);
        }
        return value.toString();
    }

    /**
     * Replaces each byte outside 0x20-0x7E by '@'. Working on the UTF-8 bytes rather than on Java chars
     * matches the reference runner, which handled C strings: a two-byte character becomes "@@".
     */
    static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(b >= 0x20 && b <= 0x7E ? (char) b : '@');
        }
        return sb.toString();
    }
}
