package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;
import org.junit.jupiter.api.Test;

/**
 * Goal: CAST and assignment conversion behave as in PostgreSQL 15: float to integer rounds half to even,
 * numeric to integer half away from zero, overflow is 22003, text input trims blanks and otherwise fails
 * with 22P02, numbers print as PostgreSQL prints them, DECIMAL(p, s) rounds and rejects too many digits.
 *
 * <p>Method: CAST calls over columns (so nothing is folded by Calcite) holding each case's input; expected
 * values are what psql prints for the same cast.
 */
class CastTest {
    private final RexFixture f = new RexFixture();

    private RexNode cast(SqlTypeName from, Object value, RelDataType to) {
        return f.cast(to, f.column(from, value));
    }

    private RexNode cast(SqlTypeName from, Object value, SqlTypeName to) {
        return cast(from, value, f.type(to));
    }

    @Test
    void doubleToIntegerRoundsHalfToEven() {
        f.assertEval(2, cast(SqlTypeName.DOUBLE, 2.5, SqlTypeName.INTEGER));
        f.assertEval(4, cast(SqlTypeName.DOUBLE, 3.5, SqlTypeName.INTEGER));
        f.assertEval(-2, cast(SqlTypeName.DOUBLE, -2.5, SqlTypeName.INTEGER));
        f.assertEval(3L, cast(SqlTypeName.DOUBLE, 2.6, SqlTypeName.BIGINT));
        f.assertEval((short) 2, cast(SqlTypeName.REAL, 2.5f, SqlTypeName.SMALLINT));
    }

    @Test
    void numericToIntegerRoundsHalfAwayFromZero() {
        f.assertEval(3, cast(SqlTypeName.DECIMAL, new BigDecimal("2.5"), SqlTypeName.INTEGER));
        f.assertEval(-3, cast(SqlTypeName.DECIMAL, new BigDecimal("-2.5"), SqlTypeName.INTEGER));
        f.assertEval(2L, cast(SqlTypeName.DECIMAL, new BigDecimal("2.49"), SqlTypeName.BIGINT));
    }

    @Test
    void narrowingOutOfRangeIs22003() {
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, 3e9, SqlTypeName.INTEGER));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, Double.NaN, SqlTypeName.INTEGER));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, 9.3e18, SqlTypeName.BIGINT));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.BIGINT, 1L << 40, SqlTypeName.INTEGER));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.INTEGER, 40000, SqlTypeName.SMALLINT));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                cast(SqlTypeName.DECIMAL, new BigDecimal("1e30"), SqlTypeName.BIGINT));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, 1e300, SqlTypeName.REAL));
        f.assertEval(-9223372036854775808L, cast(SqlTypeName.DOUBLE, -0x1p63, SqlTypeName.BIGINT));
    }

    @Test
    void textToNumberTrimsBlanksAndRejectsGarbageWith22P02() {
        f.assertEval(42, cast(SqlTypeName.VARCHAR, "  42 ", SqlTypeName.INTEGER));
        f.assertEval(-7L, cast(SqlTypeName.VARCHAR, "-7", SqlTypeName.BIGINT));
        f.assertEval(new BigDecimal("1.50"), cast(SqlTypeName.VARCHAR, " 1.50", SqlTypeName.DECIMAL));
        f.assertEval(new BigDecimal("1000"), cast(SqlTypeName.VARCHAR, "1e3", SqlTypeName.DECIMAL));
        f.assertEval(0.1, cast(SqlTypeName.VARCHAR, " 0.1 ", SqlTypeName.DOUBLE));
        f.assertEval(Double.NaN, cast(SqlTypeName.VARCHAR, "NaN", SqlTypeName.DOUBLE));
        f.assertEval(Double.NEGATIVE_INFINITY, cast(SqlTypeName.VARCHAR, "-Infinity", SqlTypeName.DOUBLE));
        for (String bad : new String[] {"abc", "1.5", "", "1 2", "0x10", "١٢"}) {
            var e = RexFixture.assertSqlState(SqlState.INVALID_TEXT_REPRESENTATION,
                    () -> f.eval(cast(SqlTypeName.VARCHAR, bad, SqlTypeName.INTEGER)));
            assertEquals("invalid input syntax for type integer: \"" + bad + "\"", e.getMessage());
        }
        f.assertFails(SqlState.INVALID_TEXT_REPRESENTATION, cast(SqlTypeName.VARCHAR, "1d", SqlTypeName.DOUBLE));
        f.assertFails(SqlState.INVALID_TEXT_REPRESENTATION, cast(SqlTypeName.VARCHAR, "one", SqlTypeName.DECIMAL));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.VARCHAR, "99999999999", SqlTypeName.INTEGER));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.VARCHAR, "1e400", SqlTypeName.DOUBLE));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.VARCHAR, "1e-400", SqlTypeName.DOUBLE));
    }

    @Test
    void doublesPrintAsPostgresPrintsThem() {
        String[][] cases = {
            {"1.0E10", "10000000000"}, {"0.1", "0.1"}, {"1.0E15", "1e+15"}, {"1.0E-5", "1e-05"},
            {"1.2345678901234568E17", "1.2345678901234568e+17"}, {"123456789012345.0", "123456789012345"},
            {"1.0E-4", "0.0001"}, {"-2.5", "-2.5"}, {"0.30000000000000004", "0.30000000000000004"},
            {"1.0E100", "1e+100"}, {"4.9E-324", "5e-324"}, {"-0.0", "-0"}, {"NaN", "NaN"},
            {"Infinity", "Infinity"}, {"-Infinity", "-Infinity"}, {"100.0", "100"}, {"2.0E23", "2e+23"}};
        for (String[] c : cases) {
            f.assertEval(c[1], cast(SqlTypeName.DOUBLE, Double.valueOf(c[0]), SqlTypeName.VARCHAR));
        }
    }

    @Test
    void realsPrintWithTheirOwnShortestForm() {
        f.assertEval("0.1", cast(SqlTypeName.REAL, 0.1f, SqlTypeName.VARCHAR));
        f.assertEval("100000", cast(SqlTypeName.REAL, 100000f, SqlTypeName.VARCHAR));
        f.assertEval("1e+06", cast(SqlTypeName.REAL, 1e6f, SqlTypeName.VARCHAR));
        f.assertEval("3.4028235e+38", cast(SqlTypeName.REAL, Float.MAX_VALUE, SqlTypeName.VARCHAR));
    }

    @Test
    void otherTypesPrintAsPostgres() {
        f.assertEval("42", cast(SqlTypeName.INTEGER, 42, SqlTypeName.VARCHAR));
        f.assertEval("-9223372036854775808", cast(SqlTypeName.BIGINT, Long.MIN_VALUE, SqlTypeName.VARCHAR));
        f.assertEval("1.50", cast(SqlTypeName.DECIMAL, new BigDecimal("1.50"), SqlTypeName.VARCHAR));
        f.assertEval("true", cast(SqlTypeName.BOOLEAN, true, SqlTypeName.VARCHAR));
        f.assertEval("2024-02-29", cast(SqlTypeName.DATE, LocalDate.of(2024, 2, 29), SqlTypeName.VARCHAR));
        f.assertEval("2024-02-29 13:14:15.5", cast(SqlTypeName.TIMESTAMP,
                LocalDateTime.of(2024, 2, 29, 13, 14, 15, 500_000_000), SqlTypeName.VARCHAR));
        f.assertEval("2024-02-29 00:00:00", cast(SqlTypeName.TIMESTAMP,
                LocalDateTime.of(2024, 2, 29, 0, 0), SqlTypeName.VARCHAR));
        f.assertEval("\\x0aff", cast(SqlTypeName.VARBINARY, new byte[] {0x0a, (byte) 0xff}, SqlTypeName.VARCHAR));
    }

    @Test
    void floatToNumericKeepsPostgresSignificantDigits() {
        f.assertEval(new BigDecimal("0.1"), cast(SqlTypeName.DOUBLE, 0.1, SqlTypeName.DECIMAL));
        f.assertEval(new BigDecimal("0.333333333333333"), cast(SqlTypeName.DOUBLE, 1.0 / 3, SqlTypeName.DECIMAL));
        f.assertEval(new BigDecimal("10000000000"), cast(SqlTypeName.DOUBLE, 1e10, SqlTypeName.DECIMAL));
        f.assertEval(new BigDecimal("0.1"), cast(SqlTypeName.REAL, 0.1f, SqlTypeName.DECIMAL));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, Double.NaN, SqlTypeName.DECIMAL));
    }

    @Test
    void decimalWithScaleRoundsAndRejectsTooManyWholeDigits() {
        RelDataType money = f.type(SqlTypeName.DECIMAL, 5, 2);
        f.assertEval(new BigDecimal("1.01"), cast(SqlTypeName.DECIMAL, new BigDecimal("1.005"), money));
        f.assertEval(new BigDecimal("-1.01"), cast(SqlTypeName.DECIMAL, new BigDecimal("-1.005"), money));
        f.assertEval(new BigDecimal("7.00"), cast(SqlTypeName.INTEGER, 7, money));
        f.assertEval(new BigDecimal("999.99"), cast(SqlTypeName.DOUBLE, 999.99, money));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.DOUBLE, 999.996, money));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, cast(SqlTypeName.INTEGER, 1000, money));
    }

    @Test
    void castToVarcharWithLengthTruncatesByCharacters() {
        f.assertEval("abc", cast(SqlTypeName.VARCHAR, "abcdef", f.type(SqlTypeName.VARCHAR, 3)));
        f.assertEval("a😀b", cast(SqlTypeName.VARCHAR, "a😀bc", f.type(SqlTypeName.VARCHAR, 3)));
        f.assertEval("ab", cast(SqlTypeName.VARCHAR, "ab", f.type(SqlTypeName.CHAR, 3)));
    }

    @Test
    void booleansConvertToAndFromTextAndIntegers() {
        for (String yes : new String[] {"t", "TRUE", " yes ", "on", "1", "y"}) {
            f.assertEval(true, cast(SqlTypeName.VARCHAR, yes, SqlTypeName.BOOLEAN));
        }
        for (String no : new String[] {"f", "false", "no", "off", "0"}) {
            f.assertEval(false, cast(SqlTypeName.VARCHAR, no, SqlTypeName.BOOLEAN));
        }
        f.assertFails(SqlState.INVALID_TEXT_REPRESENTATION, cast(SqlTypeName.VARCHAR, "maybe", SqlTypeName.BOOLEAN));
        f.assertEval(1, cast(SqlTypeName.BOOLEAN, true, SqlTypeName.INTEGER));
        f.assertEval(true, cast(SqlTypeName.INTEGER, -5, SqlTypeName.BOOLEAN));
    }

    @Test
    void datesAndTimestampsParseIsoText() {
        f.assertEval(LocalDate.of(2024, 2, 29), cast(SqlTypeName.VARCHAR, " 2024-02-29 ", SqlTypeName.DATE));
        f.assertEval(LocalDateTime.of(2024, 2, 29, 10, 11, 12, 500_000_000),
                cast(SqlTypeName.VARCHAR, "2024-02-29 10:11:12.5", SqlTypeName.TIMESTAMP));
        f.assertEval(LocalDateTime.of(2024, 2, 29, 10, 11), cast(SqlTypeName.VARCHAR, "2024-02-29T10:11", SqlTypeName.TIMESTAMP));
        f.assertEval(LocalDateTime.of(2024, 2, 29, 0, 0), cast(SqlTypeName.VARCHAR, "2024-02-29", SqlTypeName.TIMESTAMP));
        f.assertFails(SqlState.DATETIME_FIELD_OVERFLOW, cast(SqlTypeName.VARCHAR, "2023-02-29", SqlTypeName.DATE));
        f.assertFails(SqlState.DATETIME_FIELD_OVERFLOW, cast(SqlTypeName.VARCHAR, "yesterday-ish", SqlTypeName.DATE));
        f.assertEval(LocalDate.of(2024, 2, 29),
                cast(SqlTypeName.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 23, 59), SqlTypeName.DATE));
        f.assertEval(LocalDateTime.of(2024, 2, 29, 0, 0), cast(SqlTypeName.DATE, LocalDate.of(2024, 2, 29), SqlTypeName.TIMESTAMP));
    }

    @Test
    void timestampWithFewerFractionDigitsRounds() {
        RexNode node = cast(SqlTypeName.TIMESTAMP, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 500_000_000),
                f.type(SqlTypeName.TIMESTAMP, 0));
        f.assertEval(LocalDateTime.of(2024, 1, 1, 0, 0, 1), node);
    }

    @Test
    void castsPostgresDoesNotHaveFailWith42804() {
        RexFixture.assertSqlState(SqlState.DATATYPE_MISMATCH,
                () -> f.eval(cast(SqlTypeName.DATE, LocalDate.of(2024, 1, 1), SqlTypeName.INTEGER)));
    }

    @Test
    void nullCastsToNull() {
        f.assertEval(null, cast(SqlTypeName.VARCHAR, null, SqlTypeName.INTEGER));
        f.assertEval(null, f.cast(f.type(SqlTypeName.INTEGER), f.rex.constantNull()));
    }

    @Test
    void coerceConvertsForAssignment() {
        assertEquals(5L, RexCompiler.coerce(5, DataType.BIGINT));
        assertEquals(5.0, RexCompiler.coerce(5, DataType.DOUBLE));
        assertEquals(new BigDecimal("5"), RexCompiler.coerce(5, DataType.DECIMAL));
        assertEquals((short) 5, RexCompiler.coerce((byte) 5, DataType.SMALLINT));
        assertEquals(12, RexCompiler.coerce(" 12", DataType.INTEGER));
        assertEquals(2, RexCompiler.coerce(2.5, DataType.INTEGER));
        assertEquals("2.5", RexCompiler.coerce(2.5, DataType.VARCHAR));
        assertEquals(new BigDecimal("12345678901234567890"),
                RexCompiler.coerce(new java.math.BigInteger("12345678901234567890"), DataType.DECIMAL));
        String same = "x";
        assertSame(same, RexCompiler.coerce(same, DataType.VARCHAR));
        assertEquals(null, RexCompiler.coerce(null, DataType.DATE));
        RexFixture.assertSqlState(SqlState.INVALID_TEXT_REPRESENTATION, () -> RexCompiler.coerce("x", DataType.INTEGER));
        RexFixture.assertSqlState(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> RexCompiler.coerce(1L << 40, DataType.INTEGER));
        RexFixture.assertSqlState(SqlState.DATATYPE_MISMATCH, () -> RexCompiler.coerce(LocalDate.of(2024, 1, 1), DataType.INTEGER));
        RexFixture.assertSqlState(SqlState.DATATYPE_MISMATCH, () -> RexCompiler.coerce(new Object(), DataType.INTEGER));
    }

    @Test
    void literalsConvertToTheRequestedClass() {
        assertEquals(3L, RexCompiler.toJavaValue((RexLiteral) f.integer(3), DataType.BIGINT));
        assertEquals(1.5, RexCompiler.toJavaValue((RexLiteral) f.decimal("1.5"), DataType.DOUBLE));
        assertEquals(new BigDecimal("1.5"), RexCompiler.toJavaValue((RexLiteral) f.decimal("1.5"), DataType.DECIMAL));
        assertEquals("abc", RexCompiler.toJavaValue((RexLiteral) f.text("abc"), DataType.VARCHAR));
        assertEquals(null, RexCompiler.toJavaValue((RexLiteral) f.nul(SqlTypeName.INTEGER), DataType.INTEGER));
        assertEquals(LocalDate.of(2024, 2, 29),
                RexCompiler.toJavaValue(f.rex.makeDateLiteral(new DateString(2024, 2, 29)), DataType.DATE));
        RexLiteral micros = f.rex.makeTimestampLiteral(new TimestampString("2024-02-29 10:11:12.123456"), 6);
        assertEquals(LocalDateTime.of(2024, 2, 29, 10, 11, 12, 123_456_000), RexCompiler.toJavaValue(micros, DataType.TIMESTAMP));
        assertEquals(0.1, RexCompiler.toJavaValue((RexLiteral) f.dbl(0.1), DataType.DOUBLE));
    }
}
