package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: what an expression reads besides its row - parameters and correlation variables - comes from the
 * Bindings of each execution (a compiled plan is reused), converted to the declared type; the clock feeds
 * CURRENT_*; and anything unsupported is rejected with 0A000 when compiling, never per row.
 *
 * <p>Method: one compiled Scalar evaluated under different bindings; unsupported operators and types are
 * compiled (not evaluated) inside assertThrows.
 */
class BindingsAndSupportTest {
    private final RexFixture f = new RexFixture();

    @Test
    void parametersComeFromEachExecutionsBindings() {
        RexNode x = f.column(SqlTypeName.INTEGER, 10);
        RexNode sum = f.call(SqlStdOperatorTable.PLUS, x, f.rex.makeDynamicParam(f.type(SqlTypeName.INTEGER), 0));
        Scalar compiled = f.compiler.compile(sum, f.rowType());
        Object[] row = {10};
        assertEquals(15, compiled.eval(row, new RexFixture.TestBindings(5)));
        assertEquals(17, compiled.eval(row, new RexFixture.TestBindings(7)));
        assertEquals(null, compiled.eval(row, new RexFixture.TestBindings((Object) null)));
    }

    @Test
    void parametersAreCoercedToTheirInferredType() {
        RexNode param = f.rex.makeDynamicParam(f.type(SqlTypeName.BIGINT), 0);
        assertEquals(42L, f.eval(param, new RexFixture.TestBindings("42")));
        assertEquals(42L, f.eval(param, new RexFixture.TestBindings(42)));
        RexFixture.assertSqlState(SqlState.INVALID_TEXT_REPRESENTATION, () -> f.eval(param, new RexFixture.TestBindings("x")));
        RexNode decimal = f.rex.makeDynamicParam(f.type(SqlTypeName.DECIMAL, 10, 2), 1);
        assertEquals(new BigDecimal("2.5"), f.eval(decimal, new RexFixture.TestBindings(null, 2.5)));
    }

    @Test
    void correlationVariablesReadTheBoundOuterRow() {
        RelDataType outer = f.types.builder().add("a", f.type(SqlTypeName.INTEGER)).add("b", f.type(SqlTypeName.VARCHAR)).build();
        RexNode cor = f.rex.makeCorrel(outer, new CorrelationId(3));
        RexNode b = f.rex.makeFieldAccess(cor, 1);
        RexNode node = f.call(SqlStdOperatorTable.EQUALS, f.column(SqlTypeName.VARCHAR, "x"), b);
        Scalar compiled = f.compiler.compile(node, f.rowType());
        RexFixture.TestBindings bindings = new RexFixture.TestBindings();
        bindings.bindCorrelated(3, new Object[] {1, "x"});
        assertEquals(true, compiled.eval(new Object[] {"x"}, bindings));
        bindings.bindCorrelated(3, new Object[] {1, "y"});
        assertEquals(false, compiled.eval(new Object[] {"x"}, bindings));
    }

    @Test
    void currentDateAndTimestampReadTheClock() {
        assertEquals(LocalDate.of(2024, 2, 29), f.eval(f.call(SqlStdOperatorTable.CURRENT_DATE)));
        assertEquals(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_457_000), f.eval(f.call(SqlStdOperatorTable.CURRENT_TIMESTAMP)));
        assertEquals(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_457_000), f.eval(f.call(SqlStdOperatorTable.LOCALTIMESTAMP)));
    }

    @Test
    void inputReferencesReadTheirColumn() {
        RexNode a = f.column(SqlTypeName.VARCHAR, "first");
        RexNode b = f.column(SqlTypeName.BIGINT, 2L);
        f.assertEval("first", a);
        f.assertEval(2L, b);
    }

    @Test
    void unsupportedOperatorsFailWhenCompiled() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "abc");
        assertUnsupportedAtCompileTime(f.call(SqlStdOperatorTable.SIMILAR_TO, s, f.text("a%")), "SIMILAR TO");
        assertUnsupportedAtCompileTime(f.call(SqlStdOperatorTable.OVERLAY, s, f.text("x"), f.integer(1)), "OVERLAY");
        RexNode day = f.column(SqlTypeName.DATE, LocalDate.of(2024, 1, 1));
        RexNode interval = f.rex.makeIntervalLiteral(BigDecimal.valueOf(86_400_000L),
                new SqlIntervalQualifier(TimeUnit.DAY, null, SqlParserPos.ZERO));
        assertUnsupportedAtCompileTime(f.call(SqlStdOperatorTable.DATETIME_PLUS, day, interval), "");
    }

    @Test
    void unsupportedTypesFailWhenCompiled() {
        RexNode time = f.column(SqlTypeName.TIME, null);
        assertUnsupportedAtCompileTime(time, "TIME");
    }

    private void assertUnsupportedAtCompileTime(RexNode node, String named) {
        PhantomSqlException e = RexFixture.assertSqlState(SqlState.FEATURE_NOT_SUPPORTED, () -> f.compiler.compile(node, f.rowType()));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void dataTypeOfMapsCalciteTypes() {
        assertEquals(DataType.VARCHAR, RexCompiler.dataTypeOf(f.type(SqlTypeName.CHAR, 3)));
        assertEquals(DataType.DOUBLE, RexCompiler.dataTypeOf(f.type(SqlTypeName.FLOAT)));
        assertEquals(DataType.REAL, RexCompiler.dataTypeOf(f.type(SqlTypeName.REAL)));
        assertEquals(DataType.SMALLINT, RexCompiler.dataTypeOf(f.type(SqlTypeName.TINYINT)));
        assertEquals(DataType.BYTEA, RexCompiler.dataTypeOf(f.type(SqlTypeName.BINARY, 2)));
        assertEquals(DataType.DECIMAL, RexCompiler.dataTypeOf(f.type(SqlTypeName.DECIMAL, 5, 2)));
        assertEquals(DataType.TIMESTAMP, RexCompiler.dataTypeOf(f.type(SqlTypeName.TIMESTAMP)));
        assertEquals(DataType.VARCHAR, RexCompiler.dataTypeOf(f.types.createSqlType(SqlTypeName.NULL)));
        RexFixture.assertSqlState(SqlState.FEATURE_NOT_SUPPORTED,
                () -> RexCompiler.dataTypeOf(f.types.createSqlIntervalType(
                        new SqlIntervalQualifier(TimeUnit.DAY, null, SqlParserPos.ZERO))));
    }
}
