package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.error.SqlState;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: text functions give PostgreSQL's results, counting characters as code points: LIKE with % _ and
 * ESCAPE (backslash by default), ILIKE, ||, SUBSTRING with out-of-range starts, TRIM of character sets,
 * POSITION, CHAR_LENGTH, REPLACE, UPPER/LOWER/INITCAP; NULL in gives NULL out.
 *
 * <p>Method: calls built with Calcite's operators over a text column, compared with psql's answers.
 */
class StringFunctionsTest {
    private final RexFixture f = new RexFixture();

    private Object like(String text, String pattern) {
        return f.eval(f.call(SqlStdOperatorTable.LIKE, f.column(SqlTypeName.VARCHAR, text), f.text(pattern)));
    }

    private Object like(String text, String pattern, String escape) {
        return f.eval(f.call(SqlStdOperatorTable.LIKE, f.column(SqlTypeName.VARCHAR, text), f.text(pattern), f.text(escape)));
    }

    @Test
    void likeMatchesPercentAndUnderscore() {
        assertEquals(true, like("abc", "a%"));
        assertEquals(true, like("abc", "%c"));
        assertEquals(true, like("abc", "a_c"));
        assertEquals(false, like("abc", "a_"));
        assertEquals(true, like("abc", "%"));
        assertEquals(true, like("", "%"));
        assertEquals(false, like("", "_"));
        assertEquals(false, like("abc", "ABC"));
        assertEquals(true, like("a\nb", "a_b"));
        assertEquals(true, like("x😀y", "x_y"));
        assertEquals(true, like("mississippi", "%iss%ppi"));
        assertEquals(false, like("mississippi", "%iss%ppix"));
    }

    @Test
    void likeEscapesWithBackslashByDefaultAndWithEscapeClause() {
        assertEquals(true, like("a_c", "a\\_c"));
        assertEquals(false, like("abc", "a\\_c"));
        assertEquals(true, like("50%", "50#%", "#"));
        assertEquals(false, like("500", "50#%", "#"));
        assertEquals(true, like("a\\c", "a\\c", ""));
        RexFixture.assertSqlState(SqlState.INVALID_PARAMETER_VALUE, () -> like("abc", "ab#", "#"));
    }

    @Test
    void notLikeAndIlike() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "Hello");
        // Calcite represents NOT LIKE as NOT(LIKE(..)) in row expressions.
        assertEquals(false, f.eval(f.call(SqlStdOperatorTable.NOT, f.call(SqlStdOperatorTable.LIKE, s, f.text("H%")))));
        assertEquals(true, f.eval(f.call(SqlLibraryOperators.ILIKE, s, f.text("hE%"))));
        assertEquals(false, f.eval(f.call(SqlLibraryOperators.ILIKE, s, f.text("%LLX"))));
        assertEquals(null, f.eval(f.call(SqlStdOperatorTable.LIKE, f.column(SqlTypeName.VARCHAR, null), f.text("%"))));
    }

    @Test
    void likeWithAPatternFromAColumn() {
        RexNode pattern = f.column(SqlTypeName.VARCHAR, "a%");
        assertEquals(true, f.eval(f.call(SqlStdOperatorTable.LIKE, f.column(SqlTypeName.VARCHAR, "abc"), pattern)));
    }

    @Test
    void concatenationIsNullIfAnyOperandIsNull() {
        RexNode a = f.column(SqlTypeName.VARCHAR, "ab");
        f.assertEval("abcd", f.call(SqlStdOperatorTable.CONCAT, a, f.text("cd")));
        f.assertEval(null, f.call(SqlStdOperatorTable.CONCAT, a, f.column(SqlTypeName.VARCHAR, null)));
        f.assertEval("ab", f.call(SqlLibraryOperators.CONCAT_FUNCTION, a, f.column(SqlTypeName.VARCHAR, null)));
    }

    @Test
    void substringFollowsPostgres() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "hello");
        f.assertEval("ell", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(2), f.integer(3)));
        f.assertEval("ello", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(2)));
        f.assertEval("he", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(0), f.integer(3)));
        f.assertEval("", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(-5), f.integer(3)));
        f.assertEval("", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(9)));
        f.assertEval("hello", f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(1), f.integer(Integer.MAX_VALUE)));
        RexNode emoji = f.column(SqlTypeName.VARCHAR, "a😀bc");
        f.assertEval("😀b", f.call(SqlStdOperatorTable.SUBSTRING, emoji, f.integer(2), f.integer(2)));
        f.assertFails(SqlState.INVALID_PARAMETER_VALUE, f.call(SqlStdOperatorTable.SUBSTRING, s, f.integer(1), f.integer(-1)));
    }

    @Test
    void trimRemovesAnyOfTheCharacters() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "xyaxbyx");
        f.assertEval("axb", trim(SqlTrimFunction.Flag.BOTH, "xy", s));
        f.assertEval("axbyx", trim(SqlTrimFunction.Flag.LEADING, "xy", s));
        f.assertEval("xyaxb", trim(SqlTrimFunction.Flag.TRAILING, "yx", s));
        f.assertEval("a b", trim(SqlTrimFunction.Flag.BOTH, " ", f.column(SqlTypeName.VARCHAR, "  a b  ")));
        f.assertEval("", trim(SqlTrimFunction.Flag.BOTH, "x", f.column(SqlTypeName.VARCHAR, "xxx")));
    }

    private RexNode trim(SqlTrimFunction.Flag flag, String characters, RexNode text) {
        return f.call(SqlStdOperatorTable.TRIM, f.rex.makeFlag(flag), f.text(characters), text);
    }

    @Test
    void positionAndLengthCountCodePoints() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "a😀bc");
        f.assertEval(3, f.call(SqlStdOperatorTable.POSITION, f.text("b"), s));
        f.assertEval(0, f.call(SqlStdOperatorTable.POSITION, f.text("z"), s));
        f.assertEval(1, f.call(SqlStdOperatorTable.POSITION, f.text(""), s));
        f.assertEval(4, f.call(SqlStdOperatorTable.CHAR_LENGTH, s));
        f.assertEval(4, f.call(SqlStdOperatorTable.CHARACTER_LENGTH, s));
        f.assertEval(4, f.call(SqlLibraryOperators.LENGTH, s));
        f.assertEval(null, f.call(SqlStdOperatorTable.CHAR_LENGTH, f.column(SqlTypeName.VARCHAR, null)));
    }

    @Test
    void replaceAndCaseFunctions() {
        RexNode s = f.column(SqlTypeName.VARCHAR, "hello world");
        f.assertEval("heLLo worLd", f.call(SqlStdOperatorTable.REPLACE, s, f.text("l"), f.text("L")));
        f.assertEval("hello world", f.call(SqlStdOperatorTable.REPLACE, s, f.text(""), f.text("X")));
        f.assertEval("HELLO WORLD", f.call(SqlStdOperatorTable.UPPER, s));
        f.assertEval("hello world", f.call(SqlStdOperatorTable.LOWER, f.column(SqlTypeName.VARCHAR, "HELLO World")));
        f.assertEval("Hello World2x", f.call(SqlStdOperatorTable.INITCAP, f.column(SqlTypeName.VARCHAR, "hELLO wORLD2X")));
    }
}
