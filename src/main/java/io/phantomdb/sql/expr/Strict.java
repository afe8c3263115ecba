package io.phantomdb.sql.expr;

import io.phantomdb.exec.Scalar;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Combinators for strict SQL functions: every argument is evaluated (left to right, as PostgreSQL does for
 * a strict function's arguments), and a NULL argument makes the result NULL without calling the function.
 */
final class Strict {
    private Strict() {}

    /** {@code conversion} applied to non-null results of {@code operand}; the operand itself if it is the identity. */
    static Scalar unary(Scalar operand, Conversion conversion) {
        if (conversion == Conversion.IDENTITY) {
            return operand;
        }
        return (row, bindings) -> {
            Object value = operand.eval(row, bindings);
            return value == null ? null : conversion.convert(value);
        };
    }

    static Scalar binary(Scalar left, Scalar right, BinaryOperator<Object> function) {
        return (row, bindings) -> {
            Object a = left.eval(row, bindings);
            Object b = right.eval(row, bindings);
            return a == null || b == null ? null : function.apply(a, b);
        };
    }

    /** {@code function} over all argument values, each non-null. */
    static Scalar nary(Scalar[] operands, Function<Object[], Object> function) {
        return (row, bindings) -> {
            Object[] values = new Object[operands.length];
            boolean anyNull = false;
            for (int i = 0; i < operands.length; i++) {
                values[i] = operands[i].eval(row, bindings);
                anyNull |= values[i] == null;
            }
            return anyNull ? null : function.apply(values);
        };
    }

    static Scalar constant(Object value) {
        return (row, bindings) -> value;
    }
}
