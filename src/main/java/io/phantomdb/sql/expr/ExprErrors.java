package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;

/**
 * The user-visible errors expressions raise, with PostgreSQL's SQLSTATEs and message texts, so that every
 * operator reports e.g. an integer overflow the same way ("integer out of range", 22003).
 */
final class ExprErrors {
    private ExprErrors() {}

    /** PostgreSQL's name of a type, as its error messages spell it. */
    static String sqlName(DataType type) {
        switch (type) {
            case SMALLINT:
                return "smallint";
            case INTEGER:
                return "integer";
            case BIGINT:
                return "bigint";
            case DECIMAL:
                return "numeric";
            case REAL:
                return "real";
            case DOUBLE:
                return "double precision";
            case VARCHAR:
                return "text";
            case BOOLEAN:
                return "boolean";
            case DATE:
                return "date";
            case TIMESTAMP:
                return "timestamp";
            case BYTEA:
                return "bytea";
            default:
                throw new IllegalStateException("no SQL name for " + type);
        }
    }

    /** An integer result outside its type's range (PostgreSQL: "integer out of range"). */
    static PhantomSqlException outOfRange(DataType type) {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, sqlName(type) + " out of range");
    }

    static PhantomSqlException floatOverflow() {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    }

    static PhantomSqlException floatUnderflow() {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    }

    /** NaN and the infinities have no numeric (BigDecimal) counterpart. */
    static PhantomSqlException cannotConvertToNumeric(String value) {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "cannot convert " + value + " to numeric");
    }

    /** A numeric value with more whole digits than its DECIMAL(p, s) type allows. */
    static PhantomSqlException numericFieldOverflow(int precision, int scale) {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow: a field with precision "
                + precision + ", scale " + scale + " must round to an absolute value less than 10^" + (precision - scale));
    }

    static PhantomSqlException divisionByZero() {
        return new PhantomSqlException(SqlState.DIVISION_BY_ZERO, "division by zero");
    }

    /** Text that does not parse as the requested type (PostgreSQL: invalid input syntax for type integer: "x"). */
    static PhantomSqlException invalidText(DataType type, String text) {
        return new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + sqlName(type) + ": \"" + text + "\"");
    }

    /** Text that parses but whose number does not fit the type (PostgreSQL: value "x" is out of range for type integer). */
    static PhantomSqlException textOutOfRange(DataType type, String text) {
        return new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + text + "\" is out of range for type " + sqlName(type));
    }

    /** A malformed or impossible date/timestamp text; the registry's 22008 covers both. */
    static PhantomSqlException invalidDatetime(DataType type, String text) {
        return new PhantomSqlException(SqlState.DATETIME_FIELD_OVERFLOW,
                "invalid input syntax for type " + sqlName(type) + ": \"" + text + "\"");
    }

    /** A function argument the function cannot accept (negative substring length, logarithm of zero). */
    static PhantomSqlException invalidArgument(String message) {
        return new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, message);
    }

    /** A construct the compiler does not implement; raised when the plan is compiled, never per row. */
    static PhantomSqlException unsupported(String what) {
        return new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, what + " is not supported");
    }

    /** A cast PostgreSQL does not have either (e.g. DATE to BOOLEAN). */
    static PhantomSqlException cannotCast(DataType from, DataType to) {
        return new PhantomSqlException(SqlState.DATATYPE_MISMATCH,
                "cannot cast type " + sqlName(from) + " to " + sqlName(to));
    }
}
