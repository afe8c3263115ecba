package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.time.Clock;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One run of the compiler over one expression tree: knows the input row type and dispatches each node to
 * the class that compiles its kind. Every compiled node yields exactly its type's run-time class (or null);
 * with assertions enabled (tests run with -ea) each node checks that on every evaluation.
 */
final class Compilation {
    private static final boolean CHECK_RESULT_CLASSES = Compilation.class.desiredAssertionStatus();

    private final RexBuilder rexBuilder;
    private final Clock clock;
    private final RelDataType inputRowType;

    Compilation(RexBuilder rexBuilder, Clock clock, RelDataType inputRowType) {
        this.rexBuilder = rexBuilder;
        this.clock = clock;
        this.inputRowType = inputRowType;
    }

    RexBuilder rexBuilder() {
        return rexBuilder;
    }

    Clock clock() {
        return clock;
    }

    Scalar compile(RexNode node) {
        Scalar scalar = compileNode(node);
        if (CHECK_RESULT_CLASSES && node.getType().getSqlTypeName() != SqlTypeName.NULL) {
            scalar = checked(scalar, typeOf(node), node);
        }
        return scalar;
    }

    /** {@code node} compiled and converted to {@code target}'s class (no type modifier applied). */
    Scalar compileAs(RexNode node, DataType target) {
        if (isUntypedNull(node)) {
            return Strict.constant(null);
        }
        return Strict.unary(compile(node), Casts.conversion(typeOf(node), target));
    }

    List<Scalar> compileAll(List<RexNode> nodes) {
        return nodes.stream().map(this::compile).toList();
    }

    /** The run-time type of a node; an untyped NULL reports {@code fallback} so that it fits its context. */
    DataType typeOf(RexNode node, DataType fallback) {
        return node.getType().getSqlTypeName() == SqlTypeName.NULL ? fallback : typeOf(node);
    }

    DataType typeOf(RexNode node) {
        return ValueType.dataTypeOf(node.getType());
    }

    static boolean isUntypedNull(RexNode node) {
        return node.getType().getSqlTypeName() == SqlTypeName.NULL;
    }

    private Scalar compileNode(RexNode node) {
        if (node instanceof RexInputRef) {
            return inputRef((RexInputRef) node);
        }
        if (node instanceof RexLiteral) {
            RexLiteral literal = (RexLiteral) node;
            Object value = literal.isNull() ? null : Literals.toJavaValue(literal, typeOf(literal));
            return Strict.constant(value);
        }
        if (node instanceof RexDynamicParam) {
            return parameter((RexDynamicParam) node);
        }
        if (node instanceof RexFieldAccess) {
            return correlatedField((RexFieldAccess) node);
        }
        if (node instanceof RexCall) {
            return CallCompiler.compile(this, (RexCall) node);
        }
        throw ExprErrors.unsupported("expression " + node.getKind() + " (" + node + ")");
    }

    private Scalar inputRef(RexInputRef ref) {
        int index = ref.getIndex();
        if (index < 0 || index >= inputRowType.getFieldCount()) {
            throw new IllegalStateException("input reference " + ref + " outside row type " + inputRowType);
        }
        typeOf(ref); // rejects unsupported column types when compiling, not per row
        return (row, bindings) -> row[index];
    }

    /** Parameters arrive as the client sent them (often text); they are converted to the type Calcite inferred. */
    private Scalar parameter(RexDynamicParam param) {
        int index = param.getIndex();
        DataType type = typeOf(param);
        return (row, bindings) -> Casts.coerce(bindings.parameter(index), type);
    }

    /** {@code $corN.field}: the current outer row bound to correlation variable N by the correlate operator. */
    private Scalar correlatedField(RexFieldAccess access) {
        if (!(access.getReferenceExpr() instanceof RexCorrelVariable)) {
            throw ExprErrors.unsupported("field access on " + access.getReferenceExpr().getKind());
        }
        RexCorrelVariable variable = (RexCorrelVariable) access.getReferenceExpr();
        int id = variable.id.getId();
        int field = access.getField().getIndex();
        typeOf(access);
        return (row, bindings) -> bindings.correlated(id)[field];
    }

    private static Scalar checked(Scalar scalar, DataType type, RexNode node) {
        Class<?> expected = type.javaClass();
        return (row, bindings) -> {
            Object value = scalar.eval(row, bindings);
            if (value != null && value.getClass() != expected) {
                throw new AssertionError("expression " + node + " of type " + node.getType() + " produced "
                        + value.getClass().getSimpleName() + " " + value + ", expected " + expected.getSimpleName());
            }
            return value;
        };
    }
}
