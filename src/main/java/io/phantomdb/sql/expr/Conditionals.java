package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * CASE, COALESCE and NULLIF. These are lazy: only the branch (or the operands up to the first non-null
 * one) that decides the result is evaluated, so {@code CASE WHEN x = 0 THEN 0 ELSE 1 / x END} never
 * divides by zero. Every branch is converted to the call's type, because Calcite does not always cast
 * branches of different types (INTEGER and BIGINT) to the common one.
 */
final class Conditionals {
    private Conditionals() {}

    /** Calcite's CASE: (when1, then1, when2, then2, ..., else); the ELSE is always present (NULL if omitted). */
    static Scalar caseWhen(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        DataType type = c.typeOf(call);
        int pairs = operands.size() / 2;
        Scalar[] conditions = new Scalar[pairs];
        Scalar[] results = new Scalar[pairs];
        for (int i = 0; i < pairs; i++) {
            conditions[i] = c.compile(operands.get(2 * i));
            results[i] = c.compileAs(operands.get(2 * i + 1), type);
        }
        Scalar otherwise = operands.size() % 2 == 1 ? c.compileAs(operands.get(operands.size() - 1), type)
                : Strict.constant(null);
        return (row, bindings) -> {
            for (int i = 0; i < conditions.length; i++) {
                // Only TRUE selects a branch; FALSE and UNKNOWN fall through.
                if (conditions[i].eval(row, bindings) == Boolean.TRUE) {
                    return results[i].eval(row, bindings);
                }
            }
            return otherwise.eval(row, bindings);
        };
    }

    static Scalar coalesce(Compilation c, RexCall call) {
        DataType type = c.typeOf(call);
        Scalar[] operands = call.getOperands().stream().map(operand -> c.compileAs(operand, type)).toArray(Scalar[]::new);
        return (row, bindings) -> {
            for (Scalar operand : operands) {
                Object value = operand.eval(row, bindings);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
    }

    /** NULLIF(a, b): NULL when a = b, else a. */
    static Scalar nullIf(Compilation c, RexCall call) {
        RexNode first = call.getOperands().get(0);
        Predicates.Operands operands = Predicates.operands(c, first, call.getOperands().get(1));
        Scalar left = operands.left();
        Scalar right = operands.right();
        Comparator<Object> ordering = operands.ordering();
        Conversion toResult = Casts.conversion(operands.leftType(), c.typeOf(call));
        return (row, bindings) -> {
            Object a = left.eval(row, bindings);
            if (a == null) {
                return null;
            }
            Object b = right.eval(row, bindings);
            if (b != null && ordering.compare(a, b) == 0) {
                return null;
            }
            return toResult.convert(a);
        };
    }
}
