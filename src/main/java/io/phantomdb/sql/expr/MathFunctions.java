package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * Numeric functions with PostgreSQL's semantics: ABS, SIGN, CEIL/CEILING, FLOOR and ROUND/TRUNCATE compute
 * in their operand's type (see {@link Rounding}); POWER, SQRT, EXP, LN, LOG10 and PI in double precision
 * with PostgreSQL's domain errors (logarithm of zero, square root of a negative number: 22023 here,
 * PostgreSQL's 2201E/2201F having no registry entry) and overflow/underflow checks (22003).
 */
final class MathFunctions {
    private MathFunctions() {}

    /** The compiled call, or null if it is not a numeric function. */
    static Scalar compile(Compilation c, RexCall call) {
        switch (call.getKind()) {
            case CEIL:
                return sameType(c, call, Rounding.ceil(operandType(c, call)));
            case FLOOR:
                return sameType(c, call, Rounding.floor(operandType(c, call)));
            default:
                break;
        }
        switch (call.getOperator().getName()) {
            case "ABS":
                return sameType(c, call, absolute(operandType(c, call)));
            case "SIGN":
                return sameType(c, call, sign(operandType(c, call)));
            case "ROUND":
                return Rounding.compile(c, call, false);
            case "TRUNCATE":
            case "TRUNC":
                return Rounding.compile(c, call, true);
            case "POWER":
                return doubles(c, call, v -> power(v[0], v[1]));
            case "SQRT":
                return doubles(c, call, v -> squareRoot(v[0]));
            case "EXP":
                return doubles(c, call, v -> exponential(v[0]));
            case "LN":
                return doubles(c, call, v -> logarithm(v[0], Math.log(v[0])));
            case "LOG10":
                return doubles(c, call, v -> logarithm(v[0], Math.log10(v[0])));
            case "PI":
                return CallCompiler.finish(c, call, Strict.constant(Math.PI), DataType.DOUBLE);
            default:
                return null;
        }
    }

    private static DataType operandType(Compilation c, RexCall call) {
        if (call.getOperands().size() != 1) {
            throw ExprErrors.unsupported(call.getOperator().getName() + " with " + call.getOperands().size() + " arguments");
        }
        DataType type = c.typeOf(call.getOperands().get(0), c.typeOf(call));
        if (!type.isNumeric()) {
            throw ExprErrors.unsupported(call.getOperator().getName() + " of " + call.getOperands().get(0).getType());
        }
        return type;
    }

    /** A one-operand function computed in the operand's own type, then converted to the call's type. */
    private static Scalar sameType(Compilation c, RexCall call, Conversion function) {
        RexNode operand = call.getOperands().get(0);
        DataType type = c.typeOf(operand, c.typeOf(call));
        return CallCompiler.finish(c, call, Strict.unary(c.compile(operand), function), type);
    }

    private static Conversion absolute(DataType type) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
                return v -> NumericCasts.narrow(Math.abs(((Number) v).longValue()), type);
            case BIGINT:
                return v -> {
                    if ((Long) v == Long.MIN_VALUE) {
                        throw ExprErrors.outOfRange(DataType.BIGINT);
                    }
                    return Math.abs((Long) v);
                };
            case DECIMAL:
                return v -> ((BigDecimal) v).abs();
            case REAL:
                return v -> Math.abs((Float) v);
            default:
                return v -> Math.abs((Double) v);
        }
    }

    /** -1, 0 or 1 in the operand's type; PostgreSQL's sign(NaN) is 0. */
    private static Conversion sign(DataType type) {
        switch (type) {
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return v -> NumericCasts.narrow(Long.signum(((Number) v).longValue()), type);
            case DECIMAL:
                return v -> BigDecimal.valueOf(((BigDecimal) v).signum());
            case REAL:
                return v -> (Float) v > 0 ? 1.0f : (Float) v < 0 ? -1.0f : 0.0f;
            default:
                return v -> (Double) v > 0 ? 1.0 : (Double) v < 0 ? -1.0 : 0.0;
        }
    }

    @FunctionalInterface
    private interface DoubleFunction {
        double apply(double[] arguments);
    }

    /** A function of double arguments (operands converted to DOUBLE), strict in every argument. */
    private static Scalar doubles(Compilation c, RexCall call, DoubleFunction function) {
        List<RexNode> operands = call.getOperands();
        Scalar[] arguments = operands.stream().map(o -> c.compileAs(o, DataType.DOUBLE)).toArray(Scalar[]::new);
        Scalar computed = Strict.nary(arguments, values -> {
            double[] doubles = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                doubles[i] = (Double) values[i];
            }
            return function.apply(doubles);
        });
        return CallCompiler.finish(c, call, computed, DataType.DOUBLE);
    }

    static double power(double base, double exponent) {
        if (base == 0 && exponent < 0) {
            throw ExprErrors.invalidArgument("zero raised to a negative power is undefined");
        }
        if (base < 0 && Math.floor(exponent) != exponent && !Double.isInfinite(exponent)) {
            throw ExprErrors.invalidArgument("a negative number raised to a non-integer power yields a complex result");
        }
        double result = Math.pow(base, exponent);
        if (Double.isInfinite(result) && !Double.isInfinite(base) && !Double.isInfinite(exponent)) {
            throw ExprErrors.floatOverflow();
        }
        if (result == 0 && base != 0 && !Double.isInfinite(exponent)) {
            throw ExprErrors.floatUnderflow();
        }
        return result;
    }

    static double squareRoot(double value) {
        if (value < 0) {
            throw ExprErrors.invalidArgument("cannot take square root of a negative number");
        }
        return Math.sqrt(value);
    }

    static double exponential(double value) {
        double result = Math.exp(value);
        if (Double.isInfinite(result) && !Double.isInfinite(value)) {
            throw ExprErrors.floatOverflow();
        }
        if (result == 0 && value != Double.NEGATIVE_INFINITY) {
            throw ExprErrors.floatUnderflow();
        }
        return result;
    }

    private static double logarithm(double argument, double result) {
        if (argument == 0) {
            throw ExprErrors.invalidArgument("cannot take logarithm of zero");
        }
        if (argument < 0) {
            throw ExprErrors.invalidArgument("cannot take logarithm of a negative number");
        }
        return result;
    }
}
