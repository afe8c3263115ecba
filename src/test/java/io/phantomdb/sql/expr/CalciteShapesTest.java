package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.junit.jupiter.api.Test;

/**
 * Goal: the compiler handles the expression shapes Calcite really produces from SQL text - SEARCH/Sarg for
 * IN, NOT IN, BETWEEN and merged ranges, CASE for COALESCE and NULLIF, inserted CASTs for mixed types,
 * POWER for SQRT, dynamic parameters, correlation variables in subqueries - with PostgreSQL's answers.
 *
 * <p>Method: parse with the SQL layer's parser settings (double-quote identifiers, unquoted to lower case,
 * case-sensitive, LENIENT conformance) and {@link PhantomTypeSystem}, validate against a small table, convert
 * with SqlToRelConverter, simplify with the reduce-expressions rules, then compile the Project or Filter
 * expressions and evaluate them over hand-made rows of that table.
 */
class CalciteShapesTest {
    /** Row layout of table t. */
    private static final Object[] ROW = {2, 7L, 2.25, new BigDecimal("1.00"), " Hello ", (short) 3, LocalDate.of(2020, 6, 1), true};
    private static final Object[] NULLS = new Object[8];

    private static FrameworkConfig config() {
        SchemaPlus root = Frameworks.createRootSchema(true);
        root.add("t", new AbstractTable() {
            @Override
            public RelDataType getRowType(RelDataTypeFactory types) {
                return types.builder()
                        .add("a", SqlTypeName.INTEGER).nullable(true)
                        .add("b", SqlTypeName.BIGINT).nullable(true)
                        .add("d", SqlTypeName.DOUBLE).nullable(true)
                        .add("n", SqlTypeName.DECIMAL, 10, 2).nullable(true)
                        .add("s", SqlTypeName.VARCHAR, 20).nullable(true)
                        .add("sm", SqlTypeName.SMALLINT).nullable(true)
                        .add("dt", SqlTypeName.DATE).nullable(true)
                        .add("bo", SqlTypeName.BOOLEAN).nullable(true)
                        .build();
            }
        });
        return Frameworks.newConfigBuilder()
                .parserConfig(SqlParser.config().withQuoting(Quoting.DOUBLE_QUOTE).withUnquotedCasing(Casing.TO_LOWER)
                        .withQuotedCasing(Casing.UNCHANGED).withCaseSensitive(true)
                        .withConformance(SqlConformanceEnum.LENIENT))
                .typeSystem(PhantomTypeSystem.INSTANCE)
                .defaultSchema(root)
                .build();
    }

    private static RelNode plan(String sql) throws Exception {
        Planner planner = Frameworks.getPlanner(config());
        RelNode converted = planner.rel(planner.validate(planner.parse(sql))).project();
        HepPlanner simplifier = new HepPlanner(new HepProgramBuilder()
                .addRuleInstance(CoreRules.PROJECT_REDUCE_EXPRESSIONS)
                .addRuleInstance(CoreRules.FILTER_REDUCE_EXPRESSIONS)
                .build());
        simplifier.setRoot(converted);
        return simplifier.findBestExp();
    }

    /** A compiled select-list expression and the node it came from. */
    private record Compiled(RexNode node, Scalar scalar) {
        Object eval(Object[] row) {
            return scalar.eval(row, Bindings.EMPTY);
        }
    }

    private static Compiled select(String expression) throws Exception {
        Project project = (Project) plan("SELECT " + expression + " FROM t");
        RexNode node = project.getProjects().get(0);
        RexCompiler compiler = new RexCompiler(project.getCluster().getRexBuilder());
        return new Compiled(node, compiler.compile(node, project.getInput().getRowType()));
    }

    private static void assertSelect(Object expected, String expression, Object[] row) throws Exception {
        Compiled compiled = select(expression);
        Object actual = compiled.eval(row);
        assertEquals(expected, actual, () -> expression + " compiled from " + compiled.node());
        if (actual != null) {
            assertEquals(expected.getClass(), actual.getClass(), expression);
        }
    }

    @Test
    void inListsBecomeSearchAndWork() throws Exception {
        Compiled in = select("a IN (1, 2, 3)");
        assertEquals(SqlKind.SEARCH, in.node().getKind());
        assertEquals(true, in.eval(ROW));
        assertEquals(null, in.eval(NULLS));
        assertSelect(false, "a NOT IN (1, 2)", ROW);
        assertSelect(true, "s IN ('x', ' Hello ')", ROW);
        assertSelect(true, "b IN (1, 7, 9)", ROW);
    }

    @Test
    void betweenBecomesSearchAndIncludesItsEnds() throws Exception {
        Compiled between = select("a BETWEEN 1 AND 2");
        assertEquals(SqlKind.SEARCH, between.node().getKind());
        assertEquals(true, between.eval(ROW));
        assertSelect(false, "a NOT BETWEEN 1 AND 5", ROW);
        assertSelect(true, "dt BETWEEN DATE '2020-01-01' AND DATE '2021-01-01'", ROW);
        assertSelect(true, "n BETWEEN 0.5 AND 1", ROW);
    }

    @Test
    void mergedRangesInAWhereClauseHandleNullAsTrue() throws Exception {
        Filter filter = (Filter) plan("SELECT a FROM t WHERE a > 1 AND (b < 3 OR b IS NULL) AND a <> 5").getInput(0);
        assertTrue(filter.getCondition().toString().contains("SEARCH"), filter.getCondition().toString());
        Scalar condition = new RexCompiler(filter.getCluster().getRexBuilder())
                .compile(filter.getCondition(), filter.getInput().getRowType());
        assertEquals(false, condition.eval(ROW, Bindings.EMPTY));
        Object[] bNull = ROW.clone();
        bNull[1] = null;
        assertEquals(true, condition.eval(bNull, Bindings.EMPTY));
    }

    @Test
    void coalesceAndNullIfBecomeCase() throws Exception {
        Compiled coalesce = select("COALESCE(a, b)");
        assertEquals(SqlKind.CASE, coalesce.node().getKind());
        Object[] aNull = ROW.clone();
        aNull[0] = null;
        assertEquals(7L, coalesce.eval(aNull));
        assertEquals(2L, coalesce.eval(ROW));
        assertSelect(null, "NULLIF(a, 2)", ROW);
        assertSelect(2, "NULLIF(a, 3)", ROW);
    }

    @Test
    void castsCalciteInsertsForMixedTypes() throws Exception {
        assertSelect(false, "a = b", ROW);
        assertSelect(true, "a = 2.0", ROW);
        assertSelect(3.5, "a + 1.5e0", ROW);
        assertSelect(new BigDecimal("3.5"), "a + 1.5", ROW);
        assertSelect(4.25, "d + a", ROW);
        assertSelect((short) 6, "sm + sm", ROW);
        assertSelect(1, "a / 2", ROW);
        assertSelect(new BigDecimal("0.5000000000000000"), "n / a", ROW);
        // CAST of a constant would be folded by Calcite itself; a column reaches the compiler.
        Object[] digits = ROW.clone();
        digits[4] = "  42 ";
        assertSelect(42, "CAST(s AS INTEGER)", digits);
        digits[4] = "4x";
        RexFixture.assertSqlState(SqlState.INVALID_TEXT_REPRESENTATION, () -> select("CAST(s AS INTEGER)").eval(digits));
        assertSelect("2.25", "CAST(d AS VARCHAR)", ROW);
        assertSelect(2, "CAST(d AS INTEGER)", ROW);
    }

    @Test
    void caseOverStringLiteralsDoesNotPad() throws Exception {
        assertSelect("x", "CASE WHEN a > 0 THEN 'x' ELSE 'yyy' END", ROW);
    }

    @Test
    void textFunctionsAsParsed() throws Exception {
        assertSelect("Hello", "TRIM(s)", ROW);
        assertSelect("Hello ", "TRIM(LEADING ' ' FROM s)", ROW);
        assertSelect("Hel", "SUBSTRING(s FROM 2 FOR 3)", ROW);
        assertSelect(3, "POSITION('e' IN s)", ROW);
        assertSelect(7, "CHAR_LENGTH(s)", ROW);
        assertSelect(" HELLO ", "UPPER(s)", ROW);
        assertSelect(" Hello !", "s || '!'", ROW);
        assertSelect(true, "s LIKE ' H%'", ROW);
        assertSelect(false, "s NOT LIKE '%o_'", ROW);
        assertSelect(true, "s LIKE '%#_%' ESCAPE '#' OR s LIKE '%lo%'", ROW);
    }

    @Test
    void numericFunctionsAsParsed() throws Exception {
        assertSelect(0, "a % 2", ROW);
        assertSelect(1, "MOD(b, 2)", ROW);
        assertSelect(1.5, "SQRT(d)", ROW);
        assertSelect(2, "ABS(-a)", ROW);
        assertSelect(2.3, "ROUND(d, 1)", ROW);
        assertSelect(8.0, "POWER(a, 3)", ROW);
    }

    @Test
    void isDistinctFromAndBooleanTests() throws Exception {
        assertSelect(true, "a IS DISTINCT FROM b", ROW);
        assertSelect(false, "a IS DISTINCT FROM b", NULLS);
        assertSelect(false, "bo IS NOT TRUE", ROW);
        assertSelect(true, "bo IS UNKNOWN", NULLS);
    }

    @Test
    void dynamicParametersGetTheirInferredType() throws Exception {
        Compiled sum = select("? + a");
        assertEquals(5, sum.scalar().eval(ROW, new RexFixture.TestBindings(3)));
        assertEquals(5, sum.scalar().eval(ROW, new RexFixture.TestBindings("3")));
    }

    @Test
    void correlatedSubqueryConditionsReadTheOuterRow() throws Exception {
        Project project = (Project) plan("SELECT a, (SELECT MAX(b) FROM t t2 WHERE t2.a = t.a + 1) FROM t");
        RexSubQuery subQuery = (RexSubQuery) project.getProjects().get(1);
        Filter filter = findFilter(subQuery.rel);
        assertTrue(filter.getCondition().toString().contains("$cor"), filter.getCondition().toString());
        RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
        Scalar condition = new RexCompiler(rexBuilder).compile(filter.getCondition(), filter.getInput().getRowType());
        RexFixture.TestBindings bindings = new RexFixture.TestBindings();
        bindings.bindCorrelated(0, ROW); // outer a = 2
        Object[] inner = ROW.clone();
        inner[0] = 3;
        assertEquals(true, condition.eval(inner, bindings));
        assertEquals(false, condition.eval(ROW, bindings));
    }

    private static Filter findFilter(RelNode node) {
        if (node instanceof Filter) {
            return (Filter) node;
        }
        List<RelNode> inputs = new ArrayList<>(node.getInputs());
        for (RelNode input : inputs) {
            Filter found = findFilter(input);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Test
    void everyColumnOfTheTableCompiles() throws Exception {
        Project project = (Project) plan("SELECT * FROM t");
        RexCompiler compiler = new RexCompiler(project.getCluster().getRexBuilder());
        List<Object> values = new ArrayList<>();
        for (RexNode node : project.getProjects()) {
            values.add(compiler.compile(node, project.getInput().getRowType()).eval(ROW, Bindings.EMPTY));
        }
        assertEquals(Arrays.asList(ROW), values);
    }
}
