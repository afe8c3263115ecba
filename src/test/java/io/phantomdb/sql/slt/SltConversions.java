package io.phantomdb.sql.slt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C-style conversions the expected answers were produced with: the reference runner read each column
 * through SQLite's C API, which turns text into a number the way {@code atoi}/{@code atof} do (a leading
 * number, else zero) and a floating-point value into text with 15 significant digits.
 */
final class SltConversions {

    /** C isspace(): the characters atoi/atof skip before the number. */
    private static final String C_SPACE = " \t\n\u000B\f\r";
    private static final Pattern LEADING_INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern LEADING_REAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final MathContext FIFTEEN_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

    private SltConversions() {
    }

    /** {@code atoi}: the integer at the start of {@code text} after spaces, or 0. Not clamped to 64 bits. */
    static BigInteger leadingInteger(String text) {
        Matcher m = LEADING_INTEGER.matcher(text);
        m.region(skipSpaces(text), text.length());
        return m.lookingAt() ? new BigInteger(m.group()) : BigInteger.ZERO;
    }

    /** {@code atof}: the decimal number at the start of {@code text} after spaces, or 0. */
    static double leadingReal(String text) {
        Matcher m = LEADING_REAL.matcher(text);
        m.region(skipSpaces(text), text.length());
        return m.lookingAt() ? Double.parseDouble(m.group()) : 0.0;
    }

    private static int skipSpaces(String text) {
        int i = 0;
        while (i < text.length() && C_SPACE.indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    /** A C cast of a double to a 64-bit integer: truncation toward zero (out of range clamps, NaN is 0). */
    static long truncate(double value) {
        return (long) value;
    }

    /**
     * Text of a floating-point value as SQLite prints a REAL ({@code %!.15g}): 15 significant digits, a
     * {@code .0} kept on whole numbers, exponent form below 1e-4 and from 1e15 on.
     */
    static String realToText(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
        }
        if (value == 0) {
            return "0.0";
        }
        BigDecimal rounded = new BigDecimal(value).round(FIFTEEN_DIGITS).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            return scientific(rounded, exponent);
        }
        String plain = rounded.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static String scientific(BigDecimal rounded, int exponent) {
        String digits = rounded.unscaledValue().abs().toString();
        String fraction = digits.length() > 1 ? digits.substring(1) : "0";
        String sign = rounded.signum() < 0 ? "-" : "";
        String expSign = exponent < 0 ? "-" : "+";
        return String.format("%s%c.%se%s%02d", sign, digits.charAt(0), fraction, expSign, Math.abs(exponent));
    }
}
