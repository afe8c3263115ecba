package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Calendar;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimestampString;

/**
 * Calcite literal values (BigDecimal, NlsString, DateString, TimestampString, ByteString, ...) as run-time
 * values. Literals are converted once, at compile time; Sarg endpoints use the same path.
 */
final class Literals {
    private Literals() {}

    /** See {@link RexCompiler#toJavaValue}. */
    static Object toJavaValue(RexLiteral literal, DataType type) {
        if (literal.isNull()) {
            return null;
        }
        DataType own = ValueType.dataTypeOf(literal.getType());
        Object value = ownValue(literal, own);
        return Casts.conversion(own, type).convert(value);
    }

    /** The literal's value as the class of its own type. */
    private static Object ownValue(RexLiteral literal, DataType own) {
        switch (own) {
            case DATE:
                return fromCalcite(literal.getValueAs(DateString.class), own);
            case TIMESTAMP:
                return fromCalcite(literal.getValueAs(TimestampString.class), own);
            case REAL:
            case DOUBLE:
                return fromCalcite(literal.getValueAs(Double.class), own);
            case VARCHAR:
                return literal.getValueAs(String.class);
            default:
                return fromCalcite(literal.getValue(), own);
        }
    }

    /**
     * A value in one of Calcite's literal representations, as {@code type}'s run-time class. Numbers must be
     * exact for integral types (Sarg endpoints of an INTEGER column are whole numbers).
     */
    static Object fromCalcite(Comparable<?> value, DataType type) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return NumericCasts.narrow(decimal(value).longValueExact(), type);
            case DECIMAL:
                return decimal(value);
            case REAL:
                return ((Number) value).floatValue();
            case DOUBLE:
                return ((Number) value).doubleValue();
            case VARCHAR:
                return value instanceof NlsString ? ((NlsString) value).getValue() : value.toString();
            case BOOLEAN:
                return (Boolean) value;
            case DATE:
                return date(value);
            case TIMESTAMP:
                return timestamp(value);
            case BYTEA:
                return ((ByteString) value).getBytes();
            default:
                throw new IllegalStateException("no literal of type " + type);
        }
    }

    private static BigDecimal decimal(Comparable<?> value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        return new BigDecimal(value.toString());
    }

    private static LocalDate date(Comparable<?> value) {
        if (value instanceof DateString) {
            return LocalDate.ofEpochDay(((DateString) value).getDaysSinceEpoch());
        }
        if (value instanceof Calendar) {
            return LocalDate.ofEpochDay(Math.floorDiv(((Calendar) value).getTimeInMillis(), 86_400_000L));
        }
        return LocalDate.ofEpochDay(((Number) value).longValue());
    }

    private static LocalDateTime timestamp(Comparable<?> value) {
        if (value instanceof Calendar) {
            value = TimestampString.fromMillisSinceEpoch(((Calendar) value).getTimeInMillis());
        }
        // TimestampString keeps the fraction digits beyond milliseconds; its text is ISO with a blank.
        return TextParsing.parseTimestamp(value.toString());
    }
}
