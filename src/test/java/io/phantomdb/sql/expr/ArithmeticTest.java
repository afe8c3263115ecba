package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: arithmetic gives PostgreSQL's results and errors: integer overflow is 22003 with the type's name,
 * division and modulo by zero are 22012 in every numeric type (floats included), integer division truncates
 * toward zero, decimal division rounds half up to the result type's scale, and operands of different
 * classes (INTEGER + BIGINT, INTEGER + DOUBLE) work without Calcite casts.
 *
 * <p>Method: evaluate calls built with Calcite's own operator table over columns holding the boundary
 * values; check value, exact class, and SQLSTATE and message of failures.
 */
class ArithmeticTest {
    private final RexFixture f = new RexFixture();

    private RexNode op(SqlOperator operator, RexNode a, RexNode b) {
        return f.call(operator, a, b);
    }

    @Test
    void integerOverflowIs22003WithTheTypeName() {
        RexNode max = f.column(SqlTypeName.INTEGER, Integer.MAX_VALUE);
        var e = RexFixture.assertSqlState(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                () -> f.eval(op(SqlStdOperatorTable.PLUS, max, f.integer(1))));
        assertEquals("integer out of range", e.getMessage());
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.MULTIPLY, max, f.integer(2)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, f.call(SqlStdOperatorTable.UNARY_MINUS,
                f.column(SqlTypeName.INTEGER, Integer.MIN_VALUE)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                op(SqlStdOperatorTable.DIVIDE, f.column(SqlTypeName.INTEGER, Integer.MIN_VALUE), f.integer(-1)));
    }

    @Test
    void bigintOverflowIs22003() {
        RexNode max = f.column(SqlTypeName.BIGINT, Long.MAX_VALUE);
        var e = RexFixture.assertSqlState(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                () -> f.eval(op(SqlStdOperatorTable.PLUS, max, f.bigint(1))));
        assertEquals("bigint out of range", e.getMessage());
        RexNode min = f.column(SqlTypeName.BIGINT, Long.MIN_VALUE);
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.MINUS, min, f.bigint(1)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.DIVIDE, min, f.bigint(-1)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, f.call(SqlStdOperatorTable.UNARY_MINUS, min));
        f.assertEval(0L, op(SqlStdOperatorTable.PERCENT_REMAINDER, min, f.bigint(-1)));
    }

    @Test
    void smallintResultsStayInSmallintRange() {
        RexNode a = f.column(SqlTypeName.SMALLINT, (short) 20000);
        RexNode b = f.column(SqlTypeName.SMALLINT, (short) 20000);
        var e = RexFixture.assertSqlState(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                () -> f.eval(op(SqlStdOperatorTable.PLUS, a, b)));
        assertEquals("smallint out of range", e.getMessage());
        f.assertEval((short) 0, op(SqlStdOperatorTable.MINUS, a, b));
    }

    @Test
    void divisionByZeroIs22012ForEveryNumericType() {
        List<RexNode> zeros = List.of(f.column(SqlTypeName.SMALLINT, (short) 0), f.column(SqlTypeName.INTEGER, 0),
                f.column(SqlTypeName.BIGINT, 0L), f.column(f.type(SqlTypeName.DECIMAL, 10, 2), new BigDecimal("0.00")),
                f.column(SqlTypeName.REAL, 0.0f), f.column(SqlTypeName.DOUBLE, 0.0));
        for (RexNode zero : zeros) {
            RexNode one = f.cast(zero.getType(), f.integer(1));
            f.assertFails(SqlState.DIVISION_BY_ZERO, op(SqlStdOperatorTable.DIVIDE, one, zero));
            f.assertFails(SqlState.DIVISION_BY_ZERO, op(SqlStdOperatorTable.PERCENT_REMAINDER, one, zero));
            f.assertFails(SqlState.DIVISION_BY_ZERO, op(SqlStdOperatorTable.MOD, one, zero));
        }
    }

    @Test
    void integerDivisionTruncatesTowardZeroAndModuloTakesTheDividendsSign() {
        RexNode seven = f.column(SqlTypeName.INTEGER, -7);
        f.assertEval(-3, op(SqlStdOperatorTable.DIVIDE, seven, f.integer(2)));
        f.assertEval(-1, op(SqlStdOperatorTable.PERCENT_REMAINDER, seven, f.integer(2)));
        f.assertEval(1, op(SqlStdOperatorTable.MOD, f.integer(7), f.integer(-2)));
    }

    @Test
    void mixedIntegerClassesAddWithoutCasts() {
        RexNode i = f.column(SqlTypeName.INTEGER, Integer.MAX_VALUE);
        RexNode l = f.column(SqlTypeName.BIGINT, 1L);
        f.assertEval(2147483648L, op(SqlStdOperatorTable.PLUS, i, l));
        RexNode s = f.column(SqlTypeName.SMALLINT, (short) 2);
        f.assertEval(Integer.MAX_VALUE - 2, op(SqlStdOperatorTable.MINUS, i, s));
    }

    @Test
    void integerPlusDoubleIsDouble() {
        f.assertEval(3.5, op(SqlStdOperatorTable.PLUS, f.column(SqlTypeName.INTEGER, 3), f.column(SqlTypeName.DOUBLE, 0.5)));
        f.assertEval(1.5, op(SqlStdOperatorTable.DIVIDE, f.column(SqlTypeName.DOUBLE, 3.0), f.column(SqlTypeName.INTEGER, 2)));
    }

    @Test
    void modOfBigintByIntegerDoesNotOverflowTheDividend() {
        // Calcite types MOD(BIGINT, INTEGER) as INTEGER; the dividend must not be narrowed first.
        RexNode node = op(SqlStdOperatorTable.MOD, f.column(SqlTypeName.BIGINT, 10_000_000_001L), f.column(SqlTypeName.INTEGER, 7));
        assertEquals(DataType.INTEGER, RexCompiler.dataTypeOf(node.getType()));
        f.assertEval(5, node); // 10000000001 = 7 * 1428571428 + 5
    }

    @Test
    void decimalArithmeticIsExact() {
        RexNode a = f.column(f.type(SqlTypeName.DECIMAL, 10, 2), new BigDecimal("0.10"));
        RexNode b = f.column(f.type(SqlTypeName.DECIMAL, 10, 2), new BigDecimal("0.20"));
        f.assertEval(new BigDecimal("0.30"), op(SqlStdOperatorTable.PLUS, a, b));
        f.assertEval(new BigDecimal("0.0200"), op(SqlStdOperatorTable.MULTIPLY, a, b));
        f.assertEval(new BigDecimal("1.10"), op(SqlStdOperatorTable.PLUS, a, f.integer(1)));
    }

    @Test
    void decimalDivisionRoundsHalfUpToSixteenDigits() {
        RexNode one = f.column(f.type(SqlTypeName.DECIMAL, 10, 2), new BigDecimal("1.00"));
        RexNode node = op(SqlStdOperatorTable.DIVIDE, one, f.integer(3));
        assertEquals(16, node.getType().getScale());
        f.assertEval(new BigDecimal("0.3333333333333333"), node);
        f.assertEval(new BigDecimal("0.6666666666666667"), op(SqlStdOperatorTable.DIVIDE, f.decimal("2.00"), f.integer(3)));
        f.assertEval(new BigDecimal("-0.6666666666666667"), op(SqlStdOperatorTable.DIVIDE, f.decimal("-2.00"), f.integer(3)));
    }

    @Test
    void floatOverflowAndUnderflowAre22003() {
        RexNode huge = f.column(SqlTypeName.DOUBLE, 1e308);
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.MULTIPLY, huge, f.dbl(10)));
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.PLUS, huge, huge));
        RexNode tiny = f.column(SqlTypeName.DOUBLE, 1e-308);
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.MULTIPLY, tiny, tiny));
        RexNode infinity = f.column(SqlTypeName.DOUBLE, Double.POSITIVE_INFINITY);
        f.assertEval(Double.POSITIVE_INFINITY, op(SqlStdOperatorTable.PLUS, infinity, f.dbl(1)));
        RexNode real = f.column(SqlTypeName.REAL, 3e38f);
        f.assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, op(SqlStdOperatorTable.PLUS, real, real));
    }

    @Test
    void realArithmeticStaysReal() {
        RexNode a = f.column(SqlTypeName.REAL, 1.5f);
        f.assertEval(3.0f, op(SqlStdOperatorTable.PLUS, a, a));
        f.assertEval(-1.5f, f.call(SqlStdOperatorTable.UNARY_MINUS, a));
    }

    @Test
    void nullOperandGivesNull() {
        RexNode missing = f.column(SqlTypeName.INTEGER, null);
        f.assertEval(null, op(SqlStdOperatorTable.PLUS, missing, f.integer(1)));
        f.assertEval(null, op(SqlStdOperatorTable.DIVIDE, f.integer(1), missing));
        f.assertEval(null, f.call(SqlStdOperatorTable.UNARY_MINUS, missing));
    }

    @Test
    void unaryPlusReturnsTheOperand() {
        f.assertEval(4L, f.call(SqlStdOperatorTable.UNARY_PLUS, f.column(SqlTypeName.BIGINT, 4L)));
    }
}
