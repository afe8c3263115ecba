package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * CAST and assignment conversions between run-time types, chosen per (source, target) pair when an
 * expression is compiled. Numeric rules live in {@link NumericCasts}, text input in {@link TextParsing},
 * text output in {@link TextFormat}; this class picks among them and then applies the target's type
 * modifier (DECIMAL scale, VARCHAR length, TIMESTAMP fraction digits).
 */
final class Casts {
    private Casts() {}

    /** The conversion of non-null values of {@code from} into {@code to}; raises 42804 if PostgreSQL has no such cast. */
    static Conversion conversion(DataType from, ValueType to) {
        return base(from, to.type()).andThen(modifier(to));
    }

    static Conversion conversion(DataType from, DataType to) {
        return base(from, to);
    }

    private static Conversion base(DataType from, DataType to) {
        if (from == to) {
            return Conversion.IDENTITY;
        }
        Conversion numeric = NumericCasts.between(from, to);
        if (numeric != null) {
            return numeric;
        }
        if (to == DataType.VARCHAR) {
            return value -> TextFormat.format(value, from);
        }
        if (from == DataType.VARCHAR) {
            return value -> TextParsing.parse((String) value, to);
        }
        if (to == DataType.BOOLEAN && isIntegral(from)) {
            return value -> ((Number) value).longValue() != 0;
        }
        if (from == DataType.BOOLEAN && isIntegral(to)) {
            return value -> NumericCasts.narrow((Boolean) value ? 1 : 0, to);
        }
        if (from == DataType.TIMESTAMP && to == DataType.DATE) {
            return value -> ((LocalDateTime) value).toLocalDate();
        }
        if (from == DataType.DATE && to == DataType.TIMESTAMP) {
            return value -> ((LocalDate) value).atStartOfDay();
        }
        throw ExprErrors.cannotCast(from, to);
    }

    private static Conversion modifier(ValueType to) {
        if (!to.hasModifier()) {
            return Conversion.IDENTITY;
        }
        switch (to.type()) {
            case DECIMAL:
                return value -> NumericCasts.fitDecimal((BigDecimal) value, to.precision(), to.scale());
            case VARCHAR:
                return value -> truncate((String) value, to.precision());
            case TIMESTAMP:
                return value -> Timestamps.roundToPrecision((LocalDateTime) value, to.precision());
            default:
                return Conversion.IDENTITY;
        }
    }

    /** An explicit cast to VARCHAR(n)/CHAR(n) cuts the text to n characters, as PostgreSQL's does. */
    static String truncate(String value, int length) {
        if (value.length() <= length || value.codePointCount(0, value.length()) <= length) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, length));
    }

    static boolean isIntegral(DataType type) {
        return type == DataType.SMALLINT || type == DataType.INTEGER || type == DataType.BIGINT;
    }

    /** See {@link RexCompiler#coerce}. */
    static Object coerce(Object value, DataType type) {
        if (value == null || type.javaClass().isInstance(value)) {
            return value;
        }
        DataType from = dataTypeOfValue(value);
        Object normalized = normalize(value);
        try {
            return base(from, type).convert(normalized);
        } catch (PhantomSqlException e) {
            if (e.state() != SqlState.DATATYPE_MISMATCH) {
                throw e;
            }
            throw new PhantomSqlException(SqlState.DATATYPE_MISMATCH, "value of type " + ExprErrors.sqlName(from)
                    + " cannot be assigned to type " + ExprErrors.sqlName(type));
        }
    }

    /** The run-time type whose class {@code value} has, after the widenings {@link #normalize} does. */
    private static DataType dataTypeOfValue(Object value) {
        if (value instanceof Byte) {
            return DataType.SMALLINT;
        }
        if (value instanceof BigInteger) {
            return DataType.DECIMAL;
        }
        if (value instanceof Character) {
            return DataType.VARCHAR;
        }
        for (DataType candidate : DataType.values()) {
            if (candidate.javaClass().isInstance(value)) {
                return candidate;
            }
        }
        throw new PhantomSqlException(SqlState.DATATYPE_MISMATCH,
                "values of Java class " + value.getClass().getName() + " are not SQL values");
    }

    private static Object normalize(Object value) {
        if (value instanceof Byte) {
            return ((Byte) value).shortValue();
        }
        if (value instanceof BigInteger) {
            return new BigDecimal((BigInteger) value);
        }
        if (value instanceof Character) {
            return value.toString();
        }
        return value;
    }
}
