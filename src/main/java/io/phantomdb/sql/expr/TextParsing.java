package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text to typed values with PostgreSQL's input rules: surrounding whitespace is ignored, anything else
 * that is not the type's syntax is 22P02 (dates: 22008), and a well-formed number too large for its type is
 * 22003. Only ASCII digits count, so {@code Integer.parseInt}'s acceptance of other scripts' digits and
 * {@code Double.parseDouble}'s of {@code "1d"} or hex cannot leak through.
 */
final class TextParsing {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern FLOAT_SPECIAL = Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESTAMP = Pattern.compile(
            "([0-9]{4,})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?)?");

    private TextParsing() {}

    /** Parses {@code text} as a value of {@code type} (not VARCHAR). */
    static Object parse(String text, DataType type) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return parseIntegral(text, type);
            case DECIMAL:
                return parseDecimal(text);
            case REAL:
                return parseReal(text);
            case DOUBLE:
                return parseDouble(text);
            case BOOLEAN:
                return parseBoolean(text);
            case DATE:
                return parseDate(text);
            case TIMESTAMP:
                return parseTimestamp(text);
            case BYTEA:
                return parseBytes(text);
            case VARCHAR:
                return text;
            default:
                throw new IllegalStateException("no text input for " + type);
        }
    }

    static Object parseIntegral(String text, DataType type) {
        String trimmed = text.strip();
        if (!INTEGER.matcher(trimmed).matches()) {
            throw ExprErrors.invalidText(type, text);
        }
        long value;
        try {
            value = Long.parseLong(trimmed);
        } catch (NumberFormatException tooLong) {
            throw ExprErrors.textOutOfRange(type, text);
        }
        try {
            return NumericCasts.narrow(value, type);
        } catch (RuntimeException outOfRange) {
            throw ExprErrors.textOutOfRange(type, text);
        }
    }

    static BigDecimal parseDecimal(String text) {
        String trimmed = text.strip();
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw ExprErrors.invalidText(DataType.DECIMAL, text);
        }
        try {
            BigDecimal value = new BigDecimal(trimmed);
            // 1e5 is 100000 in PostgreSQL, never a negative scale.
            return value.scale() < 0 ? value.setScale(0) : value;
        } catch (NumberFormatException | ArithmeticException hugeExponent) {
            throw ExprErrors.textOutOfRange(DataType.DECIMAL, text);
        }
    }

    static Double parseDouble(String text) {
        String trimmed = text.strip();
        double value = parseFloating(trimmed, text, DataType.DOUBLE);
        if (Double.isInfinite(value) && !FLOAT_SPECIAL.matcher(trimmed).matches()) {
            throw ExprErrors.textOutOfRange(DataType.DOUBLE, text);
        }
        if (value == 0 && hasNonZeroDigit(trimmed)) {
            throw ExprErrors.textOutOfRange(DataType.DOUBLE, text);
        }
        return value;
    }

    static Float parseReal(String text) {
        String trimmed = text.strip();
        double wide = parseFloating(trimmed, text, DataType.REAL);
        float value = (float) wide;
        boolean special = FLOAT_SPECIAL.matcher(trimmed).matches();
        if ((Float.isInfinite(value) && !special) || (value == 0 && hasNonZeroDigit(trimmed))) {
            throw ExprErrors.textOutOfRange(DataType.REAL, text);
        }
        return value;
    }

    private static double parseFloating(String trimmed, String text, DataType type) {
        if (FLOAT_SPECIAL.matcher(trimmed).matches()) {
            String word = trimmed.toLowerCase(Locale.ROOT);
            if (word.endsWith("nan")) {
                return Double.NaN;
            }
            return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw ExprErrors.invalidText(type, text);
        }
        return Double.parseDouble(trimmed);
    }

    /** Whether the mantissa of a decimal literal has a non-zero digit (so a zero result is an underflow). */
    private static boolean hasNonZeroDigit(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL's boolin: true/false, yes/no, on/off, 1/0 and unique prefixes, any case. */
    static Boolean parseBoolean(String text) {
        String word = text.strip().toLowerCase(Locale.ROOT);
        if (!word.isEmpty()) {
            if ("true".startsWith(word) || "yes".startsWith(word) || word.equals("on") || word.equals("1")) {
                return Boolean.TRUE;
            }
            if ("false".startsWith(word) || "no".startsWith(word) || word.equals("off") || word.equals("of")
                    || word.equals("0")) {
                return Boolean.FALSE;
            }
        }
        throw ExprErrors.invalidText(DataType.BOOLEAN, text);
    }

    /** ISO dates; a timestamp's time part is accepted and dropped, as PostgreSQL's date input does. */
    static LocalDate parseDate(String text) {
        Matcher m = TIMESTAMP.matcher(text.strip());
        if (!m.matches()) {
            throw ExprErrors.invalidDatetime(DataType.DATE, text);
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException | NumberFormatException outOfRange) {
            throw ExprErrors.invalidDatetime(DataType.DATE, text);
        }
    }

    /** ISO timestamps ({@code 2020-01-02 10:00[:00[.fraction]]}, 'T' allowed); a date alone means midnight. */
    static LocalDateTime parseTimestamp(String text) {
        Matcher m = TIMESTAMP.matcher(text.strip());
        if (!m.matches()) {
            throw ExprErrors.invalidDatetime(DataType.TIMESTAMP, text);
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return date.atStartOfDay();
            }
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), second);
            LocalDateTime timestamp = date.atTime(time);
            if (m.group(7) != null) {
                timestamp = Timestamps.roundToPrecision(timestamp.plusNanos(fractionNanos(m.group(7))),
                        PhantomTypeSystem.TIMESTAMP_PRECISION);
            }
            return timestamp;
        } catch (DateTimeException | NumberFormatException outOfRange) {
            throw ExprErrors.invalidDatetime(DataType.TIMESTAMP, text);
        }
    }

    private static long fractionNanos(String digits) {
        StringBuilder nanos = new StringBuilder(digits);
        while (nanos.length() < 9) {
            nanos.append('0');
        }
        return Long.parseLong(nanos.toString());
    }

    /** bytea input: {@code \x} hex format, else the escape format (UTF-8 bytes, {@code \\} and {@code \ooo}). */
    static byte[] parseBytes(String text) {
        if (text.startsWith("\\x")) {
            return parseHex(text);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] != '\\') {
                out.write(utf8[i]);
            } else if (i + 1 < utf8.length && utf8[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else if (i + 3 < utf8.length && isOctal(utf8[i + 1]) && isOctal(utf8[i + 2]) && isOctal(utf8[i + 3])) {
                out.write(((utf8[i + 1] - '0') << 6) | ((utf8[i + 2] - '0') << 3) | (utf8[i + 3] - '0'));
                i += 3;
            } else {
                throw ExprErrors.invalidText(DataType.BYTEA, text);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    private static byte[] parseHex(String text) {
        String digits = text.substring(2).replaceAll("\\s", "");
        if (digits.length() % 2 != 0) {
            throw ExprErrors.invalidText(DataType.BYTEA, text);
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int high = Character.digit(digits.charAt(2 * i), 16);
            int low = Character.digit(digits.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw ExprErrors.invalidText(DataType.BYTEA, text);
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return bytes;
    }
}
