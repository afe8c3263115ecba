package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Conversions between the numeric classes with PostgreSQL's rules: integers narrow with a range check
 * (22003), floating point rounds half to even ({@code rint}) and numeric rounds half away from zero when
 * converted to an integer, float to numeric keeps 15 (double) or 6 (real) significant digits, and a
 * DECIMAL(p, s) target rounds to s fraction digits and rejects more than p - s whole digits.
 */
final class NumericCasts {
    /** PostgreSQL prints float8 with DBL_DIG significant digits when converting to numeric. */
    private static final MathContext DOUBLE_TO_NUMERIC = new MathContext(15, RoundingMode.HALF_EVEN);
    /** ... and float4 with FLT_DIG. */
    private static final MathContext REAL_TO_NUMERIC = new MathContext(6, RoundingMode.HALF_EVEN);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private NumericCasts() {}

    /** A conversion from one numeric type's class to another's, or null when either type is not numeric. */
    static Conversion between(DataType from, DataType to) {
        if (!from.isNumeric() || !to.isNumeric()) {
            return null;
        }
        if (from == to) {
            return Conversion.IDENTITY;
        }
        switch (to) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return toIntegral(from, to);
            case DECIMAL:
                return value -> toDecimal(value, from);
            case REAL:
                return value -> toReal(value, from);
            case DOUBLE:
                return value -> toDouble(value, from);
            default:
                throw new IllegalStateException("not numeric: " + to);
        }
    }

    private static Conversion toIntegral(DataType from, DataType to) {
        switch (from) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return value -> narrow(((Number) value).longValue(), to);
            case DECIMAL:
                return value -> narrow(decimalToLong((BigDecimal) value, to), to);
            case REAL:
            case DOUBLE:
                return value -> narrow(doubleToLong(((Number) value).doubleValue(), to), to);
            default:
                throw new IllegalStateException("not numeric: " + from);
        }
    }

    /** Boxes {@code value} as {@code type}'s class, or raises 22003 if it does not fit. */
    static Object narrow(long value, DataType type) {
        switch (type) {
            case SMALLINT:
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    throw ExprErrors.outOfRange(type);
                }
                return (short) value;
            case INTEGER:
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw ExprErrors.outOfRange(type);
                }
                return (int) value;
            case BIGINT:
                return value;
            default:
                throw new IllegalStateException("not integral: " + type);
        }
    }

    /** Numeric to integer rounds half away from zero (PostgreSQL numeric_int4). */
    static long decimalToLong(BigDecimal value, DataType target) {
        BigDecimal rounded = value.setScale(0, RoundingMode.HALF_UP);
        if (rounded.compareTo(LONG_MIN) < 0 || rounded.compareTo(LONG_MAX) > 0) {
            throw ExprErrors.outOfRange(target);
        }
        return rounded.longValueExact();
    }

    /** Float to integer rounds half to even (PostgreSQL uses rint), NaN and infinities are out of range. */
    static long doubleToLong(double value, DataType target) {
        double rounded = Math.rint(value);
        // 2^63 is exactly representable; every double below it converts without saturating.
        if (Double.isNaN(rounded) || rounded < -0x1p63 || rounded >= 0x1p63) {
            throw ExprErrors.outOfRange(target);
        }
        return (long) rounded;
    }

    static BigDecimal toDecimal(Object value, DataType from) {
        switch (from) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return BigDecimal.valueOf(((Number) value).longValue());
            case DECIMAL:
                return (BigDecimal) value;
            case REAL:
                return floatToDecimal(((Float) value).doubleValue(), REAL_TO_NUMERIC);
            case DOUBLE:
                return floatToDecimal((Double) value, DOUBLE_TO_NUMERIC);
            default:
                throw new IllegalStateException("not numeric: " + from);
        }
    }

    /** Mirrors PostgreSQL's {@code sprintf("%.15g")} then numeric input: trailing zeros are not kept. */
    private static BigDecimal floatToDecimal(double value, MathContext digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw ExprErrors.cannotConvertToNumeric(TextFormat.formatDouble(value));
        }
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal rounded = new BigDecimal(value).round(digits).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    static Float toReal(Object value, DataType from) {
        double wide = from == DataType.DECIMAL ? decimalToDouble((BigDecimal) value) : ((Number) value).doubleValue();
        return doubleToFloat(wide);
    }

    /** PostgreSQL float8 to float4: overflow and underflow are errors, NaN and infinities pass. */
    static float doubleToFloat(double value) {
        float narrow = (float) value;
        if (Float.isInfinite(narrow) && !Double.isInfinite(value)) {
            throw ExprErrors.floatOverflow();
        }
        if (narrow == 0.0f && value != 0.0) {
            throw ExprErrors.floatUnderflow();
        }
        return narrow;
    }

    static Double toDouble(Object value, DataType from) {
        if (from == DataType.DECIMAL) {
            return decimalToDouble((BigDecimal) value);
        }
        return ((Number) value).doubleValue();
    }

    private static double decimalToDouble(BigDecimal value) {
        double d = value.doubleValue();
        if (Double.isInfinite(d)) {
            throw ExprErrors.floatOverflow();
        }
        return d;
    }

    /** Rounds to the scale of DECIMAL(precision, scale) and rejects values with too many whole digits. */
    static BigDecimal fitDecimal(BigDecimal value, int precision, int scale) {
        BigDecimal rounded = value.setScale(scale, RoundingMode.HALF_UP);
        int wholeDigits = rounded.precision() - rounded.scale();
        if (wholeDigits > precision - scale && rounded.signum() != 0) {
            throw ExprErrors.numericFieldOverflow(precision, scale);
        }
        return rounded;
    }
}
