package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.error.SqlState;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: boolean operators follow SQL's three-valued logic exactly as PostgreSQL does, and the lazy forms
 * (AND/OR short-circuit, CASE, COALESCE) never evaluate an operand that cannot change the result.
 *
 * <p>Method: full truth tables over TRUE/FALSE/NULL columns compared with the SQL standard's tables; laziness
 * is shown with a division by zero in the operand that must not run, which would otherwise raise 22012.
 */
class LogicTest {
    private static final List<Boolean> VALUES = Arrays.asList(Boolean.TRUE, Boolean.FALSE, null);

    /** SQL's AND: FALSE dominates, then NULL. */
    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }

    /** SQL's OR: TRUE dominates, then NULL. */
    private static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : Boolean.FALSE;
    }

    @Test
    void andOrNotFollowTheThreeValuedTruthTables() {
        for (Boolean a : VALUES) {
            for (Boolean b : VALUES) {
                RexFixture f = new RexFixture();
                RexNode x = f.column(SqlTypeName.BOOLEAN, a);
                RexNode y = f.column(SqlTypeName.BOOLEAN, b);
                assertEquals(and(a, b), f.eval(f.call(SqlStdOperatorTable.AND, x, y)), a + " AND " + b);
                assertEquals(or(a, b), f.eval(f.call(SqlStdOperatorTable.OR, x, y)), a + " OR " + b);
                assertEquals(a == null ? null : !a, f.eval(f.call(SqlStdOperatorTable.NOT, x)), "NOT " + a);
            }
        }
    }

    @Test
    void isTestsNeverReturnNull() {
        for (Boolean a : VALUES) {
            RexFixture f = new RexFixture();
            RexNode x = f.column(SqlTypeName.BOOLEAN, a);
            assertEquals(Boolean.TRUE.equals(a), f.eval(f.call(SqlStdOperatorTable.IS_TRUE, x)));
            assertEquals(!Boolean.TRUE.equals(a), f.eval(f.call(SqlStdOperatorTable.IS_NOT_TRUE, x)));
            assertEquals(Boolean.FALSE.equals(a), f.eval(f.call(SqlStdOperatorTable.IS_FALSE, x)));
            assertEquals(!Boolean.FALSE.equals(a), f.eval(f.call(SqlStdOperatorTable.IS_NOT_FALSE, x)));
            assertEquals(a == null, f.eval(f.call(SqlStdOperatorTable.IS_UNKNOWN, x)));
            assertEquals(a == null, f.eval(f.call(SqlStdOperatorTable.IS_NULL, x)));
            assertEquals(a != null, f.eval(f.call(SqlStdOperatorTable.IS_NOT_NULL, x)));
        }
    }

    @Test
    void isNullWorksOnAnyType() {
        RexFixture f = new RexFixture();
        assertEquals(true, f.eval(f.call(SqlStdOperatorTable.IS_NOT_NULL, f.column(SqlTypeName.INTEGER, 0))));
        assertEquals(true, f.eval(f.call(SqlStdOperatorTable.IS_NULL, f.column(SqlTypeName.VARCHAR, null))));
    }

    @Test
    void andStopsAtTheFirstFalseOperandLeftToRight() {
        RexFixture f = new RexFixture();
        RexNode x = f.column(SqlTypeName.INTEGER, 0);
        // x <> 0 AND 10 / x > 1: PostgreSQL evaluates left to right and never divides.
        RexNode guard = f.call(SqlStdOperatorTable.NOT_EQUALS, x, f.integer(0));
        RexNode division = f.call(SqlStdOperatorTable.GREATER_THAN,
                f.call(SqlStdOperatorTable.DIVIDE, f.integer(10), x), f.integer(1));
        assertEquals(false, f.eval(f.call(SqlStdOperatorTable.AND, guard, division)));
        assertEquals(true, f.eval(f.call(SqlStdOperatorTable.OR, f.call(SqlStdOperatorTable.NOT, guard), division)));
        // The other order does divide, so the test above shows laziness, not a missing check.
        f.assertFails(SqlState.DIVISION_BY_ZERO, f.call(SqlStdOperatorTable.AND, division, guard));
    }

    @Test
    void andWithNullKeepsLookingForFalse() {
        RexFixture f = new RexFixture();
        RexNode unknown = f.column(SqlTypeName.BOOLEAN, null);
        RexNode no = f.column(SqlTypeName.BOOLEAN, false);
        RexNode yes = f.column(SqlTypeName.BOOLEAN, true);
        assertEquals(false, f.eval(f.call(SqlStdOperatorTable.AND, unknown, yes, no)));
        assertEquals(null, f.eval(f.call(SqlStdOperatorTable.AND, unknown, yes, yes)));
        assertEquals(true, f.eval(f.call(SqlStdOperatorTable.OR, unknown, no, yes)));
        assertEquals(null, f.eval(f.call(SqlStdOperatorTable.OR, no, unknown, no)));
    }

    @Test
    void caseEvaluatesOnlyTheChosenBranch() {
        RexFixture f = new RexFixture();
        RexNode x = f.column(SqlTypeName.INTEGER, 0);
        RexNode isZero = f.call(SqlStdOperatorTable.EQUALS, x, f.integer(0));
        RexNode divide = f.call(SqlStdOperatorTable.DIVIDE, f.integer(1), x);
        f.assertEval(-1, f.call(SqlStdOperatorTable.CASE, isZero, f.integer(-1), divide));
        RexNode notZero = f.call(SqlStdOperatorTable.NOT_EQUALS, x, f.integer(0));
        f.assertEval(null, f.call(SqlStdOperatorTable.CASE, notZero, divide, f.nul(SqlTypeName.INTEGER)));
        f.assertFails(SqlState.DIVISION_BY_ZERO, f.call(SqlStdOperatorTable.CASE, isZero, divide, f.integer(-1)));
    }

    @Test
    void caseTreatsUnknownConditionsAsNotTaken() {
        RexFixture f = new RexFixture();
        RexNode unknown = f.column(SqlTypeName.BOOLEAN, null);
        RexNode yes = f.column(SqlTypeName.BOOLEAN, true);
        f.assertEval("b", f.call(SqlStdOperatorTable.CASE, unknown, f.text("a"), yes, f.text("b"), f.text("c")));
        f.assertEval("c", f.call(SqlStdOperatorTable.CASE, unknown, f.text("a"), f.text("c")));
    }

    @Test
    void caseConvertsBranchesOfNarrowerTypesToItsOwnType() {
        RexFixture f = new RexFixture();
        RexNode small = f.column(SqlTypeName.INTEGER, 7);
        RexNode wide = f.column(SqlTypeName.BIGINT, 8L);
        RexNode yes = f.column(SqlTypeName.BOOLEAN, true);
        // Build a CASE typed BIGINT whose THEN branch stays INTEGER, as SqlToRelConverter may leave it.
        RexNode node = f.rex.makeCall(f.type(SqlTypeName.BIGINT), SqlStdOperatorTable.CASE, List.of(yes, small, wide));
        f.assertEval(7L, node);
    }

    @Test
    void coalesceReturnsTheFirstNonNullAndStopsThere() {
        RexFixture f = new RexFixture();
        RexNode missing = f.column(SqlTypeName.INTEGER, null);
        RexNode zero = f.column(SqlTypeName.INTEGER, 0);
        RexNode divide = f.call(SqlStdOperatorTable.DIVIDE, f.integer(1), zero);
        f.assertEval(5, f.call(SqlStdOperatorTable.COALESCE, missing, f.integer(5), divide));
        f.assertEval(null, f.call(SqlStdOperatorTable.COALESCE, missing, f.nul(SqlTypeName.INTEGER)));
    }

    @Test
    void nullIfReturnsNullOnlyForEqualValues() {
        RexFixture f = new RexFixture();
        RexNode three = f.column(SqlTypeName.INTEGER, 3);
        f.assertEval(null, f.call(SqlStdOperatorTable.NULLIF, three, f.bigint(3)));
        f.assertEval(3, f.call(SqlStdOperatorTable.NULLIF, three, f.integer(4)));
        f.assertEval(3, f.call(SqlStdOperatorTable.NULLIF, three, f.nul(SqlTypeName.INTEGER)));
        f.assertEval(null, f.call(SqlStdOperatorTable.NULLIF, f.nul(SqlTypeName.INTEGER), three));
    }
}
