package io.phantomdb.sql.expr;

import java.util.function.BinaryOperator;
import org.apache.calcite.sql.SqlKind;

/**
 * REAL and DOUBLE arithmetic with PostgreSQL's float checks (float.h): an infinite result from finite
 * operands is an overflow, a zero product or quotient of non-zero finite operands an underflow (both
 * 22003), and a zero divisor is 22012 even though IEEE would give an infinity. NaN propagates silently.
 */
final class FloatOps {
    private FloatOps() {}

    static BinaryOperator<Object> ofDouble(SqlKind kind) {
        switch (kind) {
            case PLUS:
                return (a, b) -> checkSum((Double) a + (Double) b, (Double) a, (Double) b);
            case MINUS:
                return (a, b) -> checkSum((Double) a - (Double) b, (Double) a, (Double) b);
            case TIMES:
                return (a, b) -> checkProduct((Double) a * (Double) b, (Double) a, (Double) b);
            case DIVIDE:
                return (a, b) -> checkQuotient((Double) a / divisor((Double) b), (Double) a, (Double) b);
            case MOD:
                return (a, b) -> (Double) a % divisor((Double) b);
            default:
                throw new IllegalStateException("not arithmetic: " + kind);
        }
    }

    static BinaryOperator<Object> ofReal(SqlKind kind) {
        switch (kind) {
            case PLUS:
                return (a, b) -> (float) checkSum((Float) a + (Float) b, (Float) a, (Float) b);
            case MINUS:
                return (a, b) -> (float) checkSum((Float) a - (Float) b, (Float) a, (Float) b);
            case TIMES:
                return (a, b) -> (float) checkProduct((Float) a * (Float) b, (Float) a, (Float) b);
            case DIVIDE:
                return (a, b) -> (float) checkQuotient((Float) a / (float) divisor((Float) b), (Float) a, (Float) b);
            case MOD:
                return (a, b) -> (Float) a % (float) divisor((Float) b);
            default:
                throw new IllegalStateException("not arithmetic: " + kind);
        }
    }

    /** Float arguments arrive widened; float infinity widens to double infinity, so the checks hold for REAL. */
    private static double checkSum(double result, double a, double b) {
        if (Double.isInfinite(result) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            throw ExprErrors.floatOverflow();
        }
        return result;
    }

    private static double checkProduct(double result, double a, double b) {
        if (Double.isInfinite(result) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            throw ExprErrors.floatOverflow();
        }
        if (result == 0 && a != 0 && b != 0) {
            throw ExprErrors.floatUnderflow();
        }
        return result;
    }

    private static double checkQuotient(double result, double a, double b) {
        if (Double.isInfinite(result) && !Double.isInfinite(a)) {
            throw ExprErrors.floatOverflow();
        }
        if (result == 0 && a != 0 && !Double.isInfinite(b)) {
            throw ExprErrors.floatUnderflow();
        }
        return result;
    }

    private static double divisor(double divisor) {
        if (divisor == 0) {
            throw ExprErrors.divisionByZero();
        }
        return divisor;
    }
}
