package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import java.util.function.BinaryOperator;
import org.apache.calcite.sql.SqlKind;

/**
 * SMALLINT and INTEGER arithmetic: computed in long (no int overflow can happen there for two 32-bit
 * operands) and range-checked against the domain type, which reports PostgreSQL's "smallint out of range" /
 * "integer out of range". Division truncates toward zero, as Java's and PostgreSQL's do.
 */
final class IntegerOps {
    private IntegerOps() {}

    static BinaryOperator<Object> of(SqlKind kind, DataType type) {
        switch (kind) {
            case PLUS:
                return (a, b) -> NumericCasts.narrow(value(a) + value(b), type);
            case MINUS:
                return (a, b) -> NumericCasts.narrow(value(a) - value(b), type);
            case TIMES:
                return (a, b) -> NumericCasts.narrow(value(a) * value(b), type);
            case DIVIDE:
                // MIN / -1 is the one quotient that overflows; the range check reports it.
                return (a, b) -> NumericCasts.narrow(value(a) / divisor(b), type);
            case MOD:
                return (a, b) -> NumericCasts.narrow(value(a) % divisor(b), type);
            default:
                throw new IllegalStateException("not arithmetic: " + kind);
        }
    }

    private static long value(Object boxed) {
        return ((Number) boxed).longValue();
    }

    private static long divisor(Object boxed) {
        long divisor = ((Number) boxed).longValue();
        if (divisor == 0) {
            throw ExprErrors.divisionByZero();
        }
        return divisor;
    }
}
