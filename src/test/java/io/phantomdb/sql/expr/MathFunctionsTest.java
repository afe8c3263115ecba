package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: numeric functions match PostgreSQL, in particular its two rounding rules (numeric half away from
 * zero, double precision half to even), negative digit counts, and the errors of the transcendental
 * functions (logarithm of zero, square root of a negative number, overflow).
 *
 * <p>Method: calls built with Calcite's operators over columns; expected values are psql's output.
 */
class MathFunctionsTest {
    private final RexFixture f = new RexFixture();

    private RexNode num(String value) {
        BigDecimal d = new BigDecimal(value);
        return f.column(f.type(SqlTypeName.DECIMAL, 10, Math.max(d.scale(), 0)), d);
    }

    @Test
    void roundUsesTheTypesRule() {
        f.assertEval(new BigDecimal("3"), f.call(SqlStdOperatorTable.ROUND, num("2.5")));
        f.assertEval(new BigDecimal("-3"), f.call(SqlStdOperatorTable.ROUND, num("-2.5")));
        f.assertEval(2.0, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.DOUBLE, 2.5)));
        f.assertEval(4.0, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.DOUBLE, 3.5)));
        f.assertEval(new BigDecimal("2.35"), f.call(SqlStdOperatorTable.ROUND, num("2.345"), f.integer(2)));
        f.assertEval(new BigDecimal("1200"), f.call(SqlStdOperatorTable.ROUND, num("1234.5"), f.integer(-2)));
        f.assertEval(1200, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.INTEGER, 1249), f.integer(-2)));
        f.assertEval(2.68, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.DOUBLE, 2.675), f.integer(2)));
        f.assertEval(7, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.INTEGER, 7)));
    }

    @Test
    void roundingAnIntegerToTensCanOverflow() {
        f.assertEval(1300, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.INTEGER, 1250), f.integer(-2)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.INTEGER, Integer.MAX_VALUE), f.integer(-1)));
    }

    @Test
    void truncateCeilAndFloor() {
        f.assertEval(new BigDecimal("-2"), f.call(SqlStdOperatorTable.TRUNCATE, num("-2.7")));
        f.assertEval(-2.0, f.call(SqlStdOperatorTable.TRUNCATE, f.column(SqlTypeName.DOUBLE, -2.7)));
        f.assertEval(2.7, f.call(SqlStdOperatorTable.TRUNCATE, f.column(SqlTypeName.DOUBLE, 2.79), f.integer(1)));
        f.assertEval(new BigDecimal("-2"), f.call(SqlStdOperatorTable.CEIL, num("-2.5")));
        f.assertEval(new BigDecimal("-3"), f.call(SqlStdOperatorTable.FLOOR, num("-2.5")));
        f.assertEval(3.0, f.call(SqlStdOperatorTable.CEIL, f.column(SqlTypeName.DOUBLE, 2.1)));
        f.assertEval(5, f.call(SqlStdOperatorTable.FLOOR, f.column(SqlTypeName.INTEGER, 5)));
    }

    @Test
    void absAndSign() {
        f.assertEval(5, f.call(SqlStdOperatorTable.ABS, f.column(SqlTypeName.INTEGER, -5)));
        f.assertEval(new BigDecimal("2.50"), f.call(SqlStdOperatorTable.ABS, num("-2.50")));
        f.assertEval(2.5, f.call(SqlStdOperatorTable.ABS, f.column(SqlTypeName.DOUBLE, -2.5)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                f.call(SqlStdOperatorTable.ABS, f.column(SqlTypeName.INTEGER, Integer.MIN_VALUE)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                f.call(SqlStdOperatorTable.ABS, f.column(SqlTypeName.BIGINT, Long.MIN_VALUE)));
        f.assertEval(-1, f.call(SqlStdOperatorTable.SIGN, f.column(SqlTypeName.INTEGER, -5)));
        f.assertEval(new BigDecimal("1"), f.call(SqlStdOperatorTable.SIGN, num("0.01")));
        f.assertEval(0.0, f.call(SqlStdOperatorTable.SIGN, f.column(SqlTypeName.DOUBLE, Double.NaN)));
    }

    @Test
    void powerAndRoots() {
        f.assertEval(1024.0, f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.INTEGER, 2), f.integer(10)));
        f.assertEval(1.5, f.call(SqlStdOperatorTable.SQRT, f.column(SqlTypeName.DOUBLE, 2.25)));
        f.assertFails(SqlState.INVALID_PARAMETER_VALUE, f.call(SqlStdOperatorTable.SQRT, f.column(SqlTypeName.DOUBLE, -1.0)));
        f.assertFails(SqlState.INVALID_PARAMETER_VALUE,
                f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.DOUBLE, 0.0), f.dbl(-1)));
        f.assertFails(SqlState.INVALID_PARAMETER_VALUE,
                f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.DOUBLE, -8.0), f.dbl(1.0 / 3)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.DOUBLE, 10.0), f.dbl(400)));
        f.assertEval(-8.0, f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.DOUBLE, -2.0), f.dbl(3)));
    }

    @Test
    void logarithmsAndExponential() {
        f.assertEval(0.0, f.call(SqlStdOperatorTable.LN, f.column(SqlTypeName.DOUBLE, 1.0)));
        f.assertEval(3.0, f.call(SqlStdOperatorTable.LOG10, f.column(SqlTypeName.INTEGER, 1000)));
        f.assertEval(1.0, f.call(SqlStdOperatorTable.EXP, f.column(SqlTypeName.DOUBLE, 0.0)));
        var e = RexFixture.assertSqlState(SqlState.INVALID_PARAMETER_VALUE,
                () -> f.eval(f.call(SqlStdOperatorTable.LN, f.column(SqlTypeName.DOUBLE, 0.0))));
        assertEquals("cannot take logarithm of zero", e.getMessage());
        f.assertFails(SqlState.INVALID_PARAMETER_VALUE, f.call(SqlStdOperatorTable.LOG10, f.column(SqlTypeName.DOUBLE, -1.0)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, f.call(SqlStdOperatorTable.EXP, f.column(SqlTypeName.DOUBLE, 1000.0)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, f.call(SqlStdOperatorTable.EXP, f.column(SqlTypeName.DOUBLE, -1000.0)));
    }

    @Test
    void nullArgumentsGiveNull() {
        f.assertEval(null, f.call(SqlStdOperatorTable.ROUND, f.column(SqlTypeName.DOUBLE, 1.5), f.column(SqlTypeName.INTEGER, null)));
        f.assertEval(null, f.call(SqlStdOperatorTable.POWER, f.column(SqlTypeName.DOUBLE, null), f.dbl(2)));
    }
}
