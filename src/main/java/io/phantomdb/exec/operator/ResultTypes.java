package io.phantomdb.exec.operator;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Converts an aggregate's computed value to its result type's Java class (the DataType invariant), with
 * PostgreSQL's range errors (22003 "integer out of range") where the value does not fit. Floating values are
 * rounded to integers half to even, as PostgreSQL's float-to-int casts do; decimals half up.
 */
final class ResultTypes {
    private ResultTypes() {}

    static Object convert(Object value, DataType type) {
        if (value == null || type.javaClass().isInstance(value)) {
            return value;
        }
        if (!(value instanceof Number number) || !type.isNumeric()) {
            throw new IllegalStateException("cannot convert " + value.getClass().getSimpleName() + " to " + type);
        }
        switch (type) {
            case SMALLINT:
                return (short) integral(number, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
            case INTEGER:
                return (int) integral(number, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
            case BIGINT:
                return integral(number, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
            case DECIMAL:
                return toDecimal(number);
            case REAL:
                return toReal(number);
            case DOUBLE:
                return number instanceof BigDecimal d ? d.doubleValue() : number.doubleValue();
            default:
                throw new IllegalStateException("not numeric: " + type);
        }
    }

    static BigDecimal toDecimal(Number number) {
        if (number instanceof BigDecimal d) {
            return d;
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw outOfRange("numeric");
            }
            return BigDecimal.valueOf(d);
        }
        return BigDecimal.valueOf(number.longValue());
    }

    private static long integral(Number number, long min, long max, String typeName) {
        long value;
        if (number instanceof BigDecimal d) {
            try {
                value = d.setScale(0, RoundingMode.HALF_UP).longValueExact();
            } catch (ArithmeticException e) {
                throw outOfRange(typeName);
            }
        } else if (number instanceof Double || number instanceof Float) {
            double d = Math.rint(number.doubleValue());
            if (Double.isNaN(d) || d < -0x1p63 || d >= 0x1p63) {
                throw outOfRange(typeName);
            }
            value = (long) d;
        } else {
            value = number.longValue();
        }
        if (value < min || value > max) {
            throw outOfRange(typeName);
        }
        return value;
    }

    private static Float toReal(Number number) {
        float f = number.floatValue();
        if (Float.isInfinite(f) && !Double.isInfinite(number.doubleValue())) {
            throw new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        }
        return f;
    }

    static PhantomSqlException outOfRange(String typeName) {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, typeName + " out of range");
    }
}
