package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptPredicateList;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSimplify;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: comparisons give PostgreSQL's answers across run-time classes (INTEGER vs BIGINT vs DECIMAL vs
 * DOUBLE without casts), for text in code-point order, booleans, dates against timestamps, float NaN and
 * -0, NULL (UNKNOWN, except for IS [NOT] DISTINCT FROM), and for SEARCH/Sarg as the simplifier builds it.
 *
 * <p>Method: calls built by RexBuilder over columns; SEARCH nodes are made with RexBuilder.makeIn /
 * makeBetween, which produce the same Sarg shapes SqlToRelConverter does.
 */
class ComparisonTest {
    private final RexFixture f = new RexFixture();

    private Object compare(SqlOperator operator, RexNode a, RexNode b) {
        return f.eval(f.call(operator, a, b));
    }

    @Test
    void mixedNumericClassesCompareByValue() {
        RexNode i = f.column(SqlTypeName.INTEGER, 3);
        RexNode l = f.column(SqlTypeName.BIGINT, 3L);
        RexNode d = f.column(SqlTypeName.DOUBLE, 3.0);
        RexNode n = f.column(f.type(SqlTypeName.DECIMAL, 5, 2), new BigDecimal("3.00"));
        RexNode s = f.column(SqlTypeName.SMALLINT, (short) 4);
        RexNode r = f.column(SqlTypeName.REAL, 2.5f);
        for (RexNode[] pair : new RexNode[][] {{i, l}, {i, d}, {l, n}, {n, d}, {i, n}}) {
            // RexBuilder.makeCall would not insert casts; the compiler must still compare values.
            assertEquals(true, compare(SqlStdOperatorTable.EQUALS, pair[0], pair[1]), pair[0] + " = " + pair[1]);
            assertEquals(false, compare(SqlStdOperatorTable.LESS_THAN, pair[0], pair[1]));
        }
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, i, s));
        assertEquals(true, compare(SqlStdOperatorTable.GREATER_THAN, n, r));
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, f.column(SqlTypeName.BIGINT, Long.MAX_VALUE - 1),
                f.column(SqlTypeName.BIGINT, Long.MAX_VALUE)));
    }

    @Test
    void decimalComparesWithDoubleAsPostgresFloat8() {
        // PostgreSQL casts numeric to float8 here: 0.1 = 0.1::float8 is true.
        RexNode n = f.column(f.type(SqlTypeName.DECIMAL, 5, 1), new BigDecimal("0.1"));
        assertEquals(true, compare(SqlStdOperatorTable.EQUALS, n, f.column(SqlTypeName.DOUBLE, 0.1)));
    }

    @Test
    void floatsOrderNanLastAndNegativeZeroAsZero() {
        RexNode nan = f.column(SqlTypeName.DOUBLE, Double.NaN);
        RexNode infinity = f.column(SqlTypeName.DOUBLE, Double.POSITIVE_INFINITY);
        assertEquals(true, compare(SqlStdOperatorTable.EQUALS, nan, nan));
        assertEquals(true, compare(SqlStdOperatorTable.GREATER_THAN, nan, infinity));
        assertEquals(true, compare(SqlStdOperatorTable.EQUALS, f.column(SqlTypeName.DOUBLE, -0.0), f.dbl(0.0)));
    }

    @Test
    void textComparesByCodePoint() {
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, f.column(SqlTypeName.VARCHAR, "B"), f.text("a")));
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, f.column(SqlTypeName.VARCHAR, "ab"), f.text("abc")));
        // U+FF5E sorts below U+1F600 in code points, though its UTF-16 unit is larger than a surrogate.
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, f.column(SqlTypeName.VARCHAR, "\uFF5E"),
                f.column(SqlTypeName.VARCHAR, "\uD83D\uDE00")));
    }

    @Test
    void booleansAndDatesCompare() {
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, f.column(SqlTypeName.BOOLEAN, false), f.bool(true)));
        RexNode day = f.column(SqlTypeName.DATE, LocalDate.of(2024, 2, 29));
        RexNode noon = f.column(SqlTypeName.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 12, 0));
        RexNode midnight = f.column(SqlTypeName.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 0, 0));
        assertEquals(true, compare(SqlStdOperatorTable.LESS_THAN, day, noon));
        assertEquals(true, compare(SqlStdOperatorTable.EQUALS, day, midnight));
    }

    @Test
    void textComparedWithANumberIsReadAsThatNumber() {
        assertEquals(true, compare(SqlStdOperatorTable.EQUALS, f.column(SqlTypeName.VARCHAR, " 10"), f.integer(10)));
        assertEquals(true, compare(SqlStdOperatorTable.GREATER_THAN, f.column(SqlTypeName.DATE, LocalDate.of(2024, 3, 1)),
                f.column(SqlTypeName.VARCHAR, "2024-02-29")));
    }

    @Test
    void nullMakesComparisonsUnknownButNotDistinctness() {
        RexNode missing = f.column(SqlTypeName.INTEGER, null);
        RexNode other = f.column(SqlTypeName.INTEGER, null);
        RexNode one = f.column(SqlTypeName.BIGINT, 1L);
        assertEquals(null, compare(SqlStdOperatorTable.EQUALS, missing, one));
        assertEquals(null, compare(SqlStdOperatorTable.NOT_EQUALS, missing, missing));
        assertEquals(true, compare(SqlStdOperatorTable.IS_DISTINCT_FROM, missing, one));
        assertEquals(false, compare(SqlStdOperatorTable.IS_DISTINCT_FROM, missing, other));
        assertEquals(true, compare(SqlStdOperatorTable.IS_NOT_DISTINCT_FROM, missing, other));
        assertEquals(false, compare(SqlStdOperatorTable.IS_DISTINCT_FROM, f.column(SqlTypeName.INTEGER, 1), one));
    }

    @Test
    void searchOverAnInListUsesTheSargPoints() {
        List<RexNode> list = new ArrayList<>();
        for (int i = 0; i < 50; i += 5) {
            list.add(f.integer(i));
        }
        for (int value : new int[] {-1, 0, 3, 5, 45, 46}) {
            RexFixture g = new RexFixture();
            RexNode node = g.rex.makeIn(g.column(SqlTypeName.INTEGER, value), list);
            assertEquals(SqlKind.SEARCH, node.getKind());
            assertEquals(value >= 0 && value <= 45 && value % 5 == 0, g.eval(node), "value " + value);
        }
    }

    @Test
    void searchOverBetweenIncludesBothEnds() {
        for (int value : new int[] {0, 1, 3, 5, 6}) {
            RexFixture g = new RexFixture();
            RexNode node = g.rex.makeBetween(g.column(SqlTypeName.BIGINT, (long) value), g.integer(1), g.integer(5));
            assertEquals(value >= 1 && value <= 5, g.eval(node), "value " + value);
        }
    }

    @Test
    void searchOfNullFollowsTheSargsNullHandling() {
        RexFixture g = new RexFixture();
        RexNode x = g.column(SqlTypeName.INTEGER, null);
        RexNode in = g.rex.makeIn(x, List.of(g.integer(1), g.integer(2)));
        assertEquals(null, g.eval(in));
        // x IS NULL OR x = 1 simplifies to SEARCH(x, Sarg[1; NULL AS TRUE]).
        RexNode orNull = g.call(SqlStdOperatorTable.OR, g.call(SqlStdOperatorTable.IS_NULL, x),
                g.call(SqlStdOperatorTable.EQUALS, x, g.integer(1)));
        RexNode simplified = new RexSimplify(g.rex, RelOptPredicateList.EMPTY, RexUtil.EXECUTOR).simplify(orNull);
        assertEquals(SqlKind.SEARCH, simplified.getKind());
        assertEquals(true, g.eval(simplified));
    }

    @Test
    void searchOverTextAndNotIn() {
        RexFixture g = new RexFixture();
        RexNode s = g.column(SqlTypeName.VARCHAR, "bb");
        assertEquals(true, g.eval(g.rex.makeIn(s, List.of(g.text("a"), g.text("bb")))));
        RexNode notIn = g.call(SqlStdOperatorTable.NOT, g.rex.makeIn(s, List.of(g.text("a"), g.text("c"))));
        assertEquals(true, g.eval(notIn));
    }
}
