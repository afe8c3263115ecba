package io.phantomdb.sql.expr;

import io.phantomdb.exec.Scalar;
import java.util.List;
import org.apache.calcite.rex.RexCall;

/**
 * Boolean connectives with SQL's three-valued logic (NULL is UNKNOWN). AND and OR evaluate their operands
 * left to right and stop at the first operand that decides the result (FALSE for AND, TRUE for OR), as
 * PostgreSQL does, so {@code x <> 0 AND 10 / x > 1} never divides by zero. The IS tests never return NULL.
 */
final class Logic {
    private Logic() {}

    static Scalar compile(Compilation c, RexCall call) {
        List<Scalar> operands = c.compileAll(call.getOperands());
        switch (call.getKind()) {
            case AND:
                return and(operands.toArray(new Scalar[0]));
            case OR:
                return or(operands.toArray(new Scalar[0]));
            case NOT:
                return Strict.unary(operands.get(0), value -> !(Boolean) value);
            case IS_NULL:
            case IS_UNKNOWN:
                return test(operands.get(0), true, false, false);
            case IS_NOT_NULL:
                return test(operands.get(0), false, true, true);
            case IS_TRUE:
                return test(operands.get(0), false, true, false);
            case IS_NOT_TRUE:
                return test(operands.get(0), true, false, true);
            case IS_FALSE:
                return test(operands.get(0), false, false, true);
            case IS_NOT_FALSE:
                return test(operands.get(0), true, true, false);
            default:
                throw new IllegalStateException("not a logical operator: " + call.getKind());
        }
    }

    /** FALSE as soon as an operand is FALSE; else NULL if any operand was NULL; else TRUE. */
    private static Scalar and(Scalar[] operands) {
        return (row, bindings) -> {
            boolean sawNull = false;
            for (Scalar operand : operands) {
                Object value = operand.eval(row, bindings);
                if (value == null) {
                    sawNull = true;
                } else if (!(Boolean) value) {
                    return Boolean.FALSE;
                }
            }
            return sawNull ? null : Boolean.TRUE;
        };
    }

    /** TRUE as soon as an operand is TRUE; else NULL if any operand was NULL; else FALSE. */
    private static Scalar or(Scalar[] operands) {
        return (row, bindings) -> {
            boolean sawNull = false;
            for (Scalar operand : operands) {
                Object value = operand.eval(row, bindings);
                if (value == null) {
                    sawNull = true;
                } else if ((Boolean) value) {
                    return Boolean.TRUE;
                }
            }
            return sawNull ? null : Boolean.FALSE;
        };
    }

    /**
     * The IS family, for any operand type: the result when the operand is NULL, TRUE (or, for IS [NOT] NULL,
     * any non-null value) and FALSE.
     */
    private static Scalar test(Scalar operand, boolean ifNull, boolean ifTrue, boolean ifFalse) {
        return (row, bindings) -> {
            Object value = operand.eval(row, bindings);
            if (value == null) {
                return ifNull;
            }
            if (!(value instanceof Boolean)) {
                return ifTrue; // IS [NOT] NULL on a non-boolean operand: only nullness matters
            }
            return (Boolean) value ? ifTrue : ifFalse;
        };
    }
}
