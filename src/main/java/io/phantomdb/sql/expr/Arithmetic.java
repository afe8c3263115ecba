package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.BinaryOperator;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * + - * / % and unary minus with PostgreSQL's semantics. Both operands are converted to the widest of the
 * operand and result types (the "domain": SMALLINT < INTEGER < BIGINT < DECIMAL < REAL < DOUBLE), the
 * operation runs there, and the result is converted to the call's type, so e.g. MOD(BIGINT, INTEGER), typed
 * INTEGER by Calcite, neither overflows on the dividend nor returns a Long.
 *
 * <p>Integers: overflow of the domain type is 22003 ("integer out of range"), division truncates toward
 * zero. DECIMAL: exact, division rounds half up to the result type's scale. REAL/DOUBLE: an infinite result
 * from finite operands is 22003 overflow, a zero product or quotient of non-zero operands 22003 underflow.
 * Division and modulo by zero are 22012 in every domain, floating point included (as PostgreSQL).
 */
final class Arithmetic {
    private Arithmetic() {}

    static Scalar binary(Compilation c, RexCall call) {
        ValueType result = ValueType.of(call.getType());
        if (!result.type().isNumeric()) {
            throw ExprErrors.unsupported("operator " + call.getOperator().getName() + " on " + call.getType());
        }
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        DataType domain = widest(widest(c.typeOf(left, result.type()), c.typeOf(right, result.type())), result.type());
        if (!domain.isNumeric()) {
            throw ExprErrors.unsupported("operator " + call.getOperator().getName() + " on "
                    + left.getType() + " and " + right.getType());
        }
        int divisionScale = result.type() == DataType.DECIMAL && result.scale() >= 0
                ? result.scale() : PhantomTypeSystem.DIVISION_SCALE_MIN;
        BinaryOperator<Object> operation = operation(call.getKind(), domain, divisionScale);
        Scalar computed = Strict.binary(c.compileAs(left, domain), c.compileAs(right, domain), operation);
        return CallCompiler.finish(c, call, computed, domain);
    }

    static Scalar negate(Compilation c, RexCall call) {
        RexNode operand = call.getOperands().get(0);
        DataType domain = c.typeOf(operand, c.typeOf(call));
        Conversion negation = negation(domain);
        return CallCompiler.finish(c, call, Strict.unary(c.compile(operand), negation), domain);
    }

    private static final DataType[] WIDENING = {
        DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.DECIMAL, DataType.REAL, DataType.DOUBLE};

    private static DataType widest(DataType a, DataType b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /** Position in {@link #WIDENING}; non-numeric types rank highest so that they are rejected. */
    private static int rank(DataType type) {
        for (int i = 0; i < WIDENING.length; i++) {
            if (WIDENING[i] == type) {
                return i;
            }
        }
        return WIDENING.length;
    }

    private static BinaryOperator<Object> operation(SqlKind kind, DataType domain, int divisionScale) {
        switch (domain) {
            case SMALLINT:
            case INTEGER:
                return IntegerOps.of(kind, domain);
            case BIGINT:
                return LongOps.of(kind);
            case DECIMAL:
                return decimal(kind, divisionScale);
            case REAL:
                return FloatOps.ofReal(kind);
            case DOUBLE:
                return FloatOps.ofDouble(kind);
            default:
                throw new IllegalStateException("not numeric: " + domain);
        }
    }

    private static BinaryOperator<Object> decimal(SqlKind kind, int divisionScale) {
        switch (kind) {
            case PLUS:
                return (a, b) -> ((BigDecimal) a).add((BigDecimal) b);
            case MINUS:
                return (a, b) -> ((BigDecimal) a).subtract((BigDecimal) b);
            case TIMES:
                return (a, b) -> ((BigDecimal) a).multiply((BigDecimal) b);
            case DIVIDE:
                return (a, b) -> ((BigDecimal) a).divide(nonZero((BigDecimal) b), divisionScale, RoundingMode.HALF_UP);
            case MOD:
                return (a, b) -> ((BigDecimal) a).remainder(nonZero((BigDecimal) b));
            default:
                throw new IllegalStateException("not arithmetic: " + kind);
        }
    }

    private static BigDecimal nonZero(BigDecimal divisor) {
        if (divisor.signum() == 0) {
            throw ExprErrors.divisionByZero();
        }
        return divisor;
    }

    private static Conversion negation(DataType domain) {
        switch (domain) {
            case SMALLINT:
                return value -> NumericCasts.narrow(-(long) (Short) value, DataType.SMALLINT);
            case INTEGER:
                return value -> NumericCasts.narrow(-(long) (Integer) value, DataType.INTEGER);
            case BIGINT:
                return value -> {
                    long v = (Long) value;
                    if (v == Long.MIN_VALUE) {
                        throw ExprErrors.outOfRange(DataType.BIGINT);
                    }
                    return -v;
                };
            case DECIMAL:
                return value -> ((BigDecimal) value).negate();
            case REAL:
                return value -> -(Float) value;
            case DOUBLE:
                return value -> -(Double) value;
            default:
                throw ExprErrors.unsupported("unary minus on " + domain);
        }
    }
}
