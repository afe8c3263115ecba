package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.util.function.BinaryOperator;
import org.apache.calcite.sql.SqlKind;

/** BIGINT arithmetic with {@code Math.*Exact}: overflow is 22003 "bigint out of range". */
final class LongOps {
    private LongOps() {}

    static BinaryOperator<Object> of(SqlKind kind) {
        switch (kind) {
            case PLUS:
                return (a, b) -> {
                    try {
                        return Math.addExact((Long) a, (Long) b);
                    } catch (ArithmeticException overflow) {
                        throw ExprErrors.outOfRange(DataType.BIGINT);
                    }
                };
            case MINUS:
                return (a, b) -> {
                    try {
                        return Math.subtractExact((Long) a, (Long) b);
                    } catch (ArithmeticException overflow) {
                        throw ExprErrors.outOfRange(DataType.BIGINT);
                    }
                };
            case TIMES:
                return (a, b) -> {
                    try {
                        return Math.multiplyExact((Long) a, (Long) b);
                    } catch (ArithmeticException overflow) {
                        throw ExprErrors.outOfRange(DataType.BIGINT);
                    }
                };
            case DIVIDE:
                return (a, b) -> divide((Long) a, divisor((Long) b));
            case MOD:
                // Long.MIN_VALUE % -1 is 0 in Java, as in PostgreSQL; no overflow possible.
                return (a, b) -> (Long) a % divisor((Long) b);
            default:
                throw new IllegalStateException("not arithmetic: " + kind);
        }
    }

    private static long divide(long dividend, long divisor) {
        if (dividend == Long.MIN_VALUE && divisor == -1) {
            throw ExprErrors.outOfRange(DataType.BIGINT);
        }
        return dividend / divisor;
    }

    private static long divisor(long divisor) {
        if (divisor == 0) {
            throw ExprErrors.divisionByZero();
        }
        return divisor;
    }
}
