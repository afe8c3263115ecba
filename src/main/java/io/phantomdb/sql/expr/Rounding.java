package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * ROUND, TRUNCATE, CEIL and FLOOR, in the operand's type. PostgreSQL rounds numeric half away from zero
 * but double precision half to even ({@code rint}): ROUND(2.5) is 3, ROUND(2.5::float8) is 2. With a
 * digit count (which may be negative: ROUND(1234, -2) = 1200), doubles round their shortest decimal form
 * half away from zero, the way a user reading the printed value expects.
 */
final class Rounding {
    private Rounding() {}

    static Scalar compile(Compilation c, RexCall call, boolean truncate) {
        List<RexNode> operands = call.getOperands();
        RexNode operand = operands.get(0);
        DataType type = c.typeOf(operand, c.typeOf(call));
        if (!type.isNumeric()) {
            throw ExprErrors.unsupported(call.getOperator().getName() + " of " + operand.getType());
        }
        RoundingMode mode = truncate ? RoundingMode.DOWN : RoundingMode.HALF_UP;
        Scalar value = c.compile(operand);
        Scalar computed;
        if (operands.size() == 1) {
            computed = Strict.unary(value, truncate ? truncateToInteger(type) : roundToInteger(type));
        } else {
            Scalar digits = c.compileAs(operands.get(1), DataType.INTEGER);
            computed = Strict.binary(value, digits, (v, d) -> toDigits(v, type, (Integer) d, mode));
        }
        return CallCompiler.finish(c, call, computed, type);
    }

    static Conversion ceil(DataType type) {
        return toInteger(type, RoundingMode.CEILING, Math::ceil);
    }

    static Conversion floor(DataType type) {
        return toInteger(type, RoundingMode.FLOOR, Math::floor);
    }

    private static Conversion roundToInteger(DataType type) {
        return toInteger(type, RoundingMode.HALF_UP, Math::rint);
    }

    private static Conversion truncateToInteger(DataType type) {
        return toInteger(type, RoundingMode.DOWN, d -> d < 0 ? Math.ceil(d) : Math.floor(d));
    }

    private static Conversion toInteger(DataType type, RoundingMode decimalMode, DoubleUnaryOperator floating) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return Conversion.IDENTITY;
            case DECIMAL:
                return v -> ((BigDecimal) v).setScale(0, decimalMode);
            case REAL:
                return v -> (float) floating.applyAsDouble((Float) v);
            default:
                return v -> floating.applyAsDouble((Double) v);
        }
    }

    /** {@code value} rounded (or truncated) to {@code digits} fraction digits, in {@code type}'s class. */
    static Object toDigits(Object value, DataType type, int digits, RoundingMode mode) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                if (digits >= 0) {
                    return value;
                }
                long rounded = wholeOrOverflow(BigDecimal.valueOf(((Number) value).longValue()).setScale(digits, mode), type);
                return NumericCasts.narrow(rounded, type);
            case DECIMAL:
                BigDecimal decimal = ((BigDecimal) value).setScale(digits, mode);
                return decimal.scale() < 0 ? decimal.setScale(0) : decimal;
            case REAL:
                float f = (Float) value;
                return Float.isFinite(f) ? new BigDecimal(Float.toString(f)).setScale(digits, mode).floatValue() : f;
            default:
                double d = (Double) value;
                return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(digits, mode).doubleValue() : d;
        }
    }

    private static long wholeOrOverflow(BigDecimal value, DataType type) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException overflow) {
            throw ExprErrors.outOfRange(type);
        }
    }
}
