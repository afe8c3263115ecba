package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Dispatches a call to the class that compiles it: first by {@link org.apache.calcite.sql.SqlKind}, then,
 * for the many functions Calcite files under OTHER_FUNCTION, by operator name. Anything not listed fails
 * when the plan is compiled with 0A000 naming the operator.
 */
final class CallCompiler {
    private CallCompiler() {}

    static Scalar compile(Compilation c, RexCall call) {
        switch (call.getKind()) {
            case PLUS:
            case MINUS:
            case TIMES:
            case DIVIDE:
            case MOD:
                return Arithmetic.binary(c, call);
            case MINUS_PREFIX:
                return Arithmetic.negate(c, call);
            case PLUS_PREFIX:
                return c.compileAs(call.getOperands().get(0), c.typeOf(call));
            case EQUALS:
            case NOT_EQUALS:
            case LESS_THAN:
            case LESS_THAN_OR_EQUAL:
            case GREATER_THAN:
            case GREATER_THAN_OR_EQUAL:
            case IS_DISTINCT_FROM:
            case IS_NOT_DISTINCT_FROM:
                return Predicates.comparison(c, call);
            case AND:
            case OR:
            case NOT:
            case IS_NULL:
            case IS_NOT_NULL:
            case IS_UNKNOWN:
            case IS_TRUE:
            case IS_NOT_TRUE:
            case IS_FALSE:
            case IS_NOT_FALSE:
                return Logic.compile(c, call);
            case CASE:
                return Conditionals.caseWhen(c, call);
            case COALESCE:
                return Conditionals.coalesce(c, call);
            case NULLIF:
                return Conditionals.nullIf(c, call);
            case CAST:
                return cast(c, call);
            case SEARCH:
                return SearchPredicate.compile(c, call);
            case IN:
            case NOT_IN:
                return in(c, call);
            case BETWEEN:
                return between(c, call);
            default:
                return compileFunction(c, call);
        }
    }

    private static Scalar compileFunction(Compilation c, RexCall call) {
        Scalar scalar = StringFunctions.compile(c, call);
        if (scalar == null) {
            scalar = MathFunctions.compile(c, call);
        }
        if (scalar == null) {
            scalar = DatetimeFunctions.compile(c, call);
        }
        if (scalar == null) {
            throw ExprErrors.unsupported("operator " + call.getOperator().getName() + " (" + call.getKind() + ")");
        }
        return scalar;
    }

    /** CAST applies the target's type modifiers too: CAST(x AS DECIMAL(5, 2)) rounds to 2 digits. */
    private static Scalar cast(Compilation c, RexCall call) {
        RexNode operand = call.getOperands().get(0);
        if (Compilation.isUntypedNull(operand)) {
            return Strict.constant(null);
        }
        ValueType target = ValueType.of(call.getType());
        return Strict.unary(c.compile(operand), Casts.conversion(c.typeOf(operand), target));
    }

    /** IN and BETWEEN rarely survive SqlToRelConverter (it makes SEARCH); if they do, compile their expansion. */
    private static Scalar in(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        List<RexNode> equalities = new ArrayList<>();
        for (RexNode candidate : operands.subList(1, operands.size())) {
            equalities.add(c.rexBuilder().makeCall(SqlStdOperatorTable.EQUALS, operands.get(0), candidate));
        }
        RexNode any = RexUtil.composeDisjunction(c.rexBuilder(), equalities);
        return c.compile(call.getKind() == SqlKind.NOT_IN ? c.rexBuilder().makeCall(SqlStdOperatorTable.NOT, any) : any);
    }

    private static Scalar between(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        RexNode value = operands.get(0);
        RexNode inside = c.rexBuilder().makeCall(SqlStdOperatorTable.AND,
                c.rexBuilder().makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, value, operands.get(1)),
                c.rexBuilder().makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, value, operands.get(2)));
        boolean negated = call.getOperator() instanceof SqlBetweenOperator
                && ((SqlBetweenOperator) call.getOperator()).isNegated();
        return c.compile(negated ? c.rexBuilder().makeCall(SqlStdOperatorTable.NOT, inside) : inside);
    }

    /** {@code computed}, whose values have {@code computedType}'s class, converted to the call's own type. */
    static Scalar finish(Compilation c, RexCall call, Scalar computed, DataType computedType) {
        return Strict.unary(computed, Casts.conversion(computedType, c.typeOf(call)));
    }
}
