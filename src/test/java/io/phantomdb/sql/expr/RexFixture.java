package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Bindings;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.function.Executable;

/**
 * Shared test scaffolding: a RexBuilder over {@link PhantomTypeSystem}, shorthand for literals, columns and
 * calls, and evaluation of a compiled expression against one row. Columns are input references into a row
 * whose values the test supplies, so the compiler cannot see (or fold) them.
 */
final class RexFixture {
    static final Instant NOW = Instant.parse("2024-02-29T13:14:15.123456789Z");

    final RelDataTypeFactory types = new JavaTypeFactoryImpl(PhantomTypeSystem.INSTANCE);
    final RexBuilder rex = new RexBuilder(types);
    final RexCompiler compiler = new RexCompiler(rex, Clock.fixed(NOW, ZoneOffset.UTC));

    /** The row the next evaluation reads; columns are added by {@link #column}. */
    private final List<RelDataType> columnTypes = new ArrayList<>();
    private final List<Object> columnValues = new ArrayList<>();

    RelDataType type(SqlTypeName name) {
        return types.createTypeWithNullability(types.createSqlType(name), true);
    }

    RelDataType type(SqlTypeName name, int precision) {
        return types.createTypeWithNullability(types.createSqlType(name, precision), true);
    }

    RelDataType type(SqlTypeName name, int precision, int scale) {
        return types.createTypeWithNullability(types.createSqlType(name, precision, scale), true);
    }

    /** A nullable column of {@code type} holding {@code value} in the evaluated row. */
    RexNode column(RelDataType type, Object value) {
        columnTypes.add(type);
        columnValues.add(value);
        return rex.makeInputRef(type, columnTypes.size() - 1);
    }

    RexNode column(SqlTypeName name, Object value) {
        return column(type(name), value);
    }

    RexNode integer(int value) {
        return rex.makeExactLiteral(BigDecimal.valueOf(value), types.createSqlType(SqlTypeName.INTEGER));
    }

    RexNode bigint(long value) {
        return rex.makeExactLiteral(BigDecimal.valueOf(value), types.createSqlType(SqlTypeName.BIGINT));
    }

    RexNode decimal(String value) {
        return rex.makeExactLiteral(new BigDecimal(value));
    }

    RexNode dbl(double value) {
        return rex.makeApproxLiteral(new BigDecimal(Double.toString(value)));
    }

    RexNode text(String value) {
        return rex.makeLiteral(value);
    }

    RexNode bool(Boolean value) {
        return value == null ? rex.makeNullLiteral(types.createSqlType(SqlTypeName.BOOLEAN)) : rex.makeLiteral(value);
    }

    RexNode nul(SqlTypeName name) {
        return rex.makeNullLiteral(types.createSqlType(name));
    }

    RexNode call(SqlOperator operator, RexNode... operands) {
        return rex.makeCall(operator, operands);
    }

    /** A CAST call that Calcite does not fold, even over a literal. */
    RexNode cast(RelDataType type, RexNode operand) {
        return rex.makeAbstractCast(type, operand, false);
    }

    RelDataType rowType() {
        RelDataTypeFactory.Builder builder = types.builder();
        for (int i = 0; i < columnTypes.size(); i++) {
            builder.add("c" + i, columnTypes.get(i));
        }
        return builder.build();
    }

    Object eval(RexNode node) {
        return eval(node, Bindings.EMPTY);
    }

    Object eval(RexNode node, Bindings bindings) {
        return compiler.compile(node, rowType()).eval(columnValues.toArray(), bindings);
    }

    /** Evaluates and asserts both the value and its exact class (the DataType invariant). */
    void assertEval(Object expected, RexNode node) {
        Object actual = eval(node);
        assertEquals(expected, actual, () -> node.toString());
        if (expected != null) {
            assertEquals(expected.getClass(), actual.getClass(), () -> "class of " + node);
            assertEquals(RexCompiler.dataTypeOf(node.getType()).javaClass(), actual.getClass(), () -> "invariant of " + node);
        }
    }

    static PhantomSqlException assertSqlState(SqlState state, Executable executable) {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, executable);
        assertEquals(state, e.state(), e::getMessage);
        return e;
    }

    void assertFails(SqlState state, RexNode node) {
        assertSqlState(state, () -> eval(node));
    }

    /** Bindings with fixed parameters and correlation rows, for tests. */
    static final class TestBindings implements Bindings {
        private final Object[] parameters;
        private final Map<Integer, Object[]> correlated = new HashMap<>();

        TestBindings(Object... parameters) {
            this.parameters = parameters;
        }

        @Override
        public Object parameter(int index) {
            return parameters[index];
        }

        @Override
        public Object[] correlated(int id) {
            Object[] row = correlated.get(id);
            if (row == null) {
                throw new IllegalStateException("$cor" + id + " not bound");
            }
            return row;
        }

        @Override
        public void bindCorrelated(int id, Object[] row) {
            correlated.put(id, row);
        }
    }
}
