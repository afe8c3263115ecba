package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Goal: the class invariant holds for every numeric operand mix - each result is null or exactly
 * {@code dataTypeOf(type).javaClass()} - and integer arithmetic is exact or fails with 22003/22012, never
 * wraps around; doubles printed as text read back as the same double.
 *
 * <p>Method: jqwik draws operand types among SMALLINT, INTEGER, BIGINT, DECIMAL, REAL and DOUBLE with values
 * (boundary values included), builds + - * / % and comparisons with RexBuilder (which, like Calcite's
 * converter, does not always cast), and checks classes; integer results are compared with BigInteger math.
 */
class ResultClassPropertiesTest {
    private static final List<SqlOperator> ARITHMETIC = List.of(SqlStdOperatorTable.PLUS, SqlStdOperatorTable.MINUS,
            SqlStdOperatorTable.MULTIPLY, SqlStdOperatorTable.DIVIDE, SqlStdOperatorTable.PERCENT_REMAINDER);
    private static final List<SqlOperator> COMPARISONS = List.of(SqlStdOperatorTable.EQUALS, SqlStdOperatorTable.LESS_THAN,
            SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, SqlStdOperatorTable.IS_DISTINCT_FROM);
    private static final Set<SqlState> ARITHMETIC_ERRORS = Set.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, SqlState.DIVISION_BY_ZERO);

    /** A typed operand value. */
    record Operand(SqlTypeName type, Object value) {}

    @Provide
    Arbitrary<Operand> operands() {
        return Arbitraries.oneOf(
                Arbitraries.shorts().map(v -> new Operand(SqlTypeName.SMALLINT, v)),
                Arbitraries.integers().map(v -> new Operand(SqlTypeName.INTEGER, v)),
                Arbitraries.longs().map(v -> new Operand(SqlTypeName.BIGINT, v)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3)
                        .map(v -> new Operand(SqlTypeName.DECIMAL, v)),
                Arbitraries.floats().map(v -> new Operand(SqlTypeName.REAL, v)),
                Arbitraries.doubles().map(v -> new Operand(SqlTypeName.DOUBLE, v)),
                Arbitraries.of(0, -1, 1).map(v -> new Operand(SqlTypeName.INTEGER, v)),
                Arbitraries.just(new Operand(SqlTypeName.INTEGER, null)));
    }

    @Provide
    Arbitrary<SqlOperator> arithmetic() {
        return Arbitraries.of(ARITHMETIC);
    }

    @Provide
    Arbitrary<SqlOperator> comparisons() {
        return Arbitraries.of(COMPARISONS);
    }

    private static RexNode column(RexFixture f, Operand operand) {
        return operand.type() == SqlTypeName.DECIMAL
                ? f.column(f.type(SqlTypeName.DECIMAL, 16, 3), operand.value())
                : f.column(operand.type(), operand.value());
    }

    @Property(tries = 2000)
    void arithmeticResultsHaveTheInvariantClass(@ForAll("operands") Operand a, @ForAll("operands") Operand b,
            @ForAll("arithmetic") SqlOperator operator) {
        RexFixture f = new RexFixture();
        RexNode node = f.call(operator, column(f, a), column(f, b));
        try {
            Object result = f.eval(node);
            if (result != null) {
                assertEquals(RexCompiler.dataTypeOf(node.getType()).javaClass(), result.getClass(), node::toString);
            }
            if (isIntegral(a) && isIntegral(b) && result != null) {
                assertEquals(exact(operator, a, b), BigInteger.valueOf(((Number) result).longValue()), node::toString);
            }
        } catch (PhantomSqlException e) {
            assertTrue(ARITHMETIC_ERRORS.contains(e.state()), e.toString());
            if (isIntegral(a) && isIntegral(b) && e.state() == SqlState.NUMERIC_VALUE_OUT_OF_RANGE) {
                assertTrue(outOfRange(exact(operator, a, b), RexCompiler.dataTypeOf(node.getType())), "spurious overflow " + node);
            }
        }
    }

    @Property(tries = 1000)
    void comparisonsAreBooleanOrNull(@ForAll("operands") Operand a, @ForAll("operands") Operand b,
            @ForAll("comparisons") SqlOperator operator) {
        RexFixture f = new RexFixture();
        Object result = f.eval(f.call(operator, column(f, a), column(f, b)));
        assertTrue(result == null || result instanceof Boolean);
        if (isIntegral(a) && isIntegral(b) && a.value() != null && b.value() != null && operator == SqlStdOperatorTable.LESS_THAN) {
            assertEquals(((Number) a.value()).longValue() < ((Number) b.value()).longValue(), result);
        }
    }

    @Property(tries = 1000)
    void doublesPrintedAsTextReadBackExactly(@ForAll double value) {
        RexFixture f = new RexFixture();
        RexNode text = f.cast(f.type(SqlTypeName.VARCHAR), f.column(SqlTypeName.DOUBLE, value));
        Object back = f.eval(f.cast(f.type(SqlTypeName.DOUBLE), text));
        assertEquals(Double.valueOf(value), back, () -> "via " + f.eval(text));
    }

    @Property(tries = 500)
    void castsBetweenNumericTypesKeepTheInvariant(@ForAll("operands") Operand a,
            @ForAll("numericTypes") SqlTypeName target) {
        RexFixture f = new RexFixture();
        RexNode node = f.cast(f.type(target), column(f, a));
        try {
            Object result = f.eval(node);
            assertTrue(result == null || result.getClass() == RexCompiler.dataTypeOf(node.getType()).javaClass());
        } catch (PhantomSqlException e) {
            assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state(), e::toString);
        }
    }

    @Provide
    Arbitrary<SqlTypeName> numericTypes() {
        return Arbitraries.of(SqlTypeName.SMALLINT, SqlTypeName.INTEGER, SqlTypeName.BIGINT, SqlTypeName.DECIMAL,
                SqlTypeName.REAL, SqlTypeName.DOUBLE, SqlTypeName.VARCHAR);
    }

    private static boolean isIntegral(Operand operand) {
        return operand.type() == SqlTypeName.SMALLINT || operand.type() == SqlTypeName.INTEGER
                || operand.type() == SqlTypeName.BIGINT;
    }

    /** The mathematically exact integer result (truncating division), or null for a zero divisor or NULL. */
    private static BigInteger exact(SqlOperator operator, Operand a, Operand b) {
        if (a.value() == null || b.value() == null) {
            return null;
        }
        BigInteger x = BigInteger.valueOf(((Number) a.value()).longValue());
        BigInteger y = BigInteger.valueOf(((Number) b.value()).longValue());
        switch (operator.getKind()) {
            case PLUS:
                return x.add(y);
            case MINUS:
                return x.subtract(y);
            case TIMES:
                return x.multiply(y);
            case DIVIDE:
                return y.signum() == 0 ? null : x.divide(y);
            default:
                return y.signum() == 0 ? null : x.remainder(y);
        }
    }

    private static boolean outOfRange(BigInteger value, DataType type) {
        if (value == null) {
            return false;
        }
        long min = type == DataType.SMALLINT ? Short.MIN_VALUE
                : type == DataType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = type == DataType.SMALLINT ? Short.MAX_VALUE
                : type == DataType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0;
    }
}
