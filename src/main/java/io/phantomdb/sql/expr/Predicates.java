package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.util.Comparator;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Comparison operators (= <> < <= > >=, IS [NOT] DISTINCT FROM) over operands that may have different
 * run-time classes: both sides are compared in the domain {@link Comparisons#domain} picks. Text compared
 * with another type is first converted to that type, the way PostgreSQL resolves an untyped literal.
 */
final class Predicates {
    private Predicates() {}

    /** A compiled pair of operands, the run-time type of the left one's values, and their ordering. */
    record Operands(Scalar left, DataType leftType, Scalar right, Comparator<Object> ordering) {}

    static Scalar comparison(Compilation c, RexCall call) {
        Operands operands = operands(c, call.getOperands().get(0), call.getOperands().get(1));
        Scalar left = operands.left();
        Scalar right = operands.right();
        Comparator<Object> ordering = operands.ordering();
        SqlKind kind = call.getKind();
        if (kind == SqlKind.IS_DISTINCT_FROM || kind == SqlKind.IS_NOT_DISTINCT_FROM) {
            boolean distinct = kind == SqlKind.IS_DISTINCT_FROM;
            return (row, bindings) -> {
                Object a = left.eval(row, bindings);
                Object b = right.eval(row, bindings);
                boolean same = a == null || b == null ? a == b : ordering.compare(a, b) == 0;
                return same != distinct;
            };
        }
        ComparisonTest test = test(kind);
        return (row, bindings) -> {
            Object a = left.eval(row, bindings);
            Object b = right.eval(row, bindings);
            return a == null || b == null ? null : test.holds(ordering.compare(a, b));
        };
    }

    /** Compiles two operands for comparison, converting a text side when the other side is not text. */
    static Operands operands(Compilation c, RexNode leftNode, RexNode rightNode) {
        DataType leftType = c.typeOf(leftNode, c.typeOf(rightNode, DataType.VARCHAR));
        DataType rightType = c.typeOf(rightNode, leftType);
        DataType domain = Comparisons.domain(leftType, rightType);
        if (domain != null) {
            return new Operands(c.compile(leftNode), leftType, c.compile(rightNode), Comparisons.ordering(domain));
        }
        if (leftType == DataType.VARCHAR) {
            return new Operands(c.compileAs(leftNode, rightType), rightType, c.compile(rightNode),
                    Comparisons.ordering(Comparisons.domain(rightType, rightType)));
        }
        if (rightType == DataType.VARCHAR) {
            return new Operands(c.compile(leftNode), leftType, c.compileAs(rightNode, leftType),
                    Comparisons.ordering(Comparisons.domain(leftType, leftType)));
        }
        throw ExprErrors.unsupported("comparison of " + leftNode.getType() + " with " + rightNode.getType());
    }

    @FunctionalInterface
    private interface ComparisonTest {
        boolean holds(int comparison);
    }

    private static ComparisonTest test(SqlKind kind) {
        switch (kind) {
            case EQUALS:
                return r -> r == 0;
            case NOT_EQUALS:
                return r -> r != 0;
            case LESS_THAN:
                return r -> r < 0;
            case LESS_THAN_OR_EQUAL:
                return r -> r <= 0;
            case GREATER_THAN:
                return r -> r > 0;
            case GREATER_THAN_OR_EQUAL:
                return r -> r >= 0;
            default:
                throw new IllegalStateException("not a comparison: " + kind);
        }
    }
}
