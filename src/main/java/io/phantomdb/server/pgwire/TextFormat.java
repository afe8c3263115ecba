package io.phantomdb.server.pgwire;

import io.phantomdb.catalog.DataType;
import io.phantomdb.server.pgcatalog.PgTypes;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's text format (format code 0) for Phantom-DB's types: values printed exactly as PostgreSQL 15 prints
 * them (booleans {@code t}/{@code f}, bytea {@code \x} hex, timestamps {@code YYYY-MM-DD HH:MM:SS[.ffffff]},
 * floats in shortest round-trip form as with extra_float_digits >= 1), and parameter text parsed the way
 * PostgreSQL's input functions accept it. Bad input fails with 22P02 (or 22003 / 22008) naming the type and value.
 * Stateless.
 */
public final class TextFormat {
    private TextFormat() {}

    /**
     * PostgreSQL switches a float to exponent notation below 1e-4 and at or above 10^DIG (FLT_DIG = 6 for real,
     * DBL_DIG = 15 for double precision), as its float4out/float8out do.
     */
    private static final int FLOAT4_EXPONENT_FROM = 6;
    private static final int FLOAT8_EXPONENT_FROM = 15;
    private static final int EXPONENT_BELOW = -4;

    /** Timestamps and dates: an optional time part and time zone (ignored, as for PostgreSQL's timestamp without time zone). */
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4,})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                    + "\\s*(?:[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?|Z|UTC|GMT)?\\s*(AD)?");

    // ------------------------------------------------------------------------------- output

    /** The text PostgreSQL prints for {@code value} (non-null, of exactly {@code type.javaClass()}). */
    public static String encode(Object value, DataType type) {
        switch (type) {
            case BOOLEAN: return ((Boolean) value) ? "t" : "f";
            case REAL: return formatFloat(((Float) value).doubleValue(), Float.toString((Float) value), FLOAT4_EXPONENT_FROM);
            case DOUBLE: return formatFloat((Double) value, Double.toString((Double) value), FLOAT8_EXPONENT_FROM);
            case DECIMAL: return ((BigDecimal) value).toPlainString();
            case TIMESTAMP: return timestamp((LocalDateTime) value);
            case DATE: return date((LocalDate) value);
            case BYTEA: return "\\x" + HexFormat.of().formatHex((byte[]) value);
            default: return value.toString(); // integers, text
        }
    }

    /**
     * Shortest round-trip digits (what Java's toString finds) laid out as PostgreSQL's float output does: plain
     * below the exponent threshold ("100000", "0.0001", "1.5"), else "1e+15" / "1.2345e-05" with at least two
     * exponent digits.
     */
    static String formatFloat(double d, String javaText, int exponentFrom) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(javaText).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        if (exponent < EXPONENT_BELOW || exponent >= exponentFrom) {
            StringBuilder out = new StringBuilder();
            if (shortest.signum() < 0) {
                out.append('-');
            }
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            return out.append(abs).toString();
        }
        return shortest.toPlainString();
    }

    private static String date(LocalDate d) {
        if (d.getYear() <= 0) { // 1 BC is year 0 in ISO, as PostgreSQL prints "0001-01-01 BC"
            return String.format(Locale.ROOT, "%04d-%02d-%02d BC", 1 - d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        }
        return String.format(Locale.ROOT, "%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static String timestamp(LocalDateTime t) {
        StringBuilder out = new StringBuilder(26);
        out.append(date(t.toLocalDate()).replace(" BC", ""));
        out.append(String.format(Locale.ROOT, " %02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String fraction = String.format(Locale.ROOT, "%06d", micros);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        if (t.getYear() <= 0) {
            out.append(" BC");
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------- input

    /** Parses parameter text as PostgreSQL's input function of {@code type} would. */
    public static Object decode(String text, DataType type) {
        try {
            switch (type) {
                case BOOLEAN: return bool(text);
                case SMALLINT: return (short) integer(text, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
                case INTEGER: return (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
                case BIGINT: return integer(text, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
                case DECIMAL: return new BigDecimal(text.strip());
                case REAL: return (float) floating(text);
                case DOUBLE: return floating(text);
                case DATE: return dateTime(text, "date").toLocalDate();
                case TIMESTAMP: return dateTime(text, "timestamp");
                case BYTEA: return bytea(text);
                default: return text;
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw invalid(type, text);
        }
    }

    private static Boolean bool(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw invalid(DataType.BOOLEAN, text);
        }
        if ("true".startsWith(t) || "yes".startsWith(t) || t.equals("on") || t.equals("1")) {
            return Boolean.TRUE;
        }
        if ("false".startsWith(t) || "no".startsWith(t) || t.equals("off") || t.equals("0")) {
            return Boolean.FALSE;
        }
        throw invalid(DataType.BOOLEAN, text);
    }

    private static long integer(String text, long min, long max, String typeName) {
        String t = text.strip();
        if (t.isEmpty() || !t.matches("[+-]?\\d+")) {
            throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type " + typeName + ": \"" + text + "\"");
        }
        BigInteger value = new BigInteger(t);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                    "value \"" + text + "\" is out of range for type " + typeName);
        }
        return value.longValue();
    }

    private static double floating(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "nan": return Double.NaN;
            case "infinity": case "+infinity": case "inf": case "+inf": return Double.POSITIVE_INFINITY;
            case "-infinity": case "-inf": return Double.NEGATIVE_INFINITY;
            default:
                if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
                    throw new NumberFormatException(text);
                }
                return Double.parseDouble(t);
        }
    }

    private static LocalDateTime dateTime(String text, String typeName) {
        Matcher m = DATE_TIME.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type " + typeName + ": \"" + text + "\"");
        }
        int nanos = 0;
        if (m.group(7) != null) {
            String fraction = (m.group(7) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(fraction) / 1000 * 1000; // PostgreSQL keeps microseconds
        }
        try {
            return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4) == null ? 0 : Integer.parseInt(m.group(4)), m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        } catch (DateTimeException e) {
            throw new PhantomSqlException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "date/time field value out of range: \"" + text + "\"");
        }
    }

    private static byte[] bytea(String text) {
        if (text.startsWith("\\x") || text.startsWith("\\X")) {
            String hex = text.substring(2);
            if (hex.length() % 2 != 0) {
                throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid hexadecimal data: odd number of digits");
            }
            try {
                return HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid hexadecimal digit in \"" + text + "\"");
            }
        }
        return escapedBytea(text);
    }

    /** The traditional escape format: backslash + three octal digits, or a doubled backslash. */
    private static byte[] escapedBytea(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        byte[] raw = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '\\') {
                out.write(raw[i]);
            } else if (i + 1 < raw.length && raw[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else if (i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2]) && isOctal(raw[i + 3])) {
                out.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
                i += 3;
            } else {
                throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea");
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    static PhantomSqlException invalid(DataType type, String text) {
        return new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + typeName(type) + ": \"" + text + "\"");
    }

    /** PostgreSQL's name of a type in messages ("integer", "double precision"). */
    static String typeName(DataType type) {
        return PgTypes.sqlName(type);
    }
}
