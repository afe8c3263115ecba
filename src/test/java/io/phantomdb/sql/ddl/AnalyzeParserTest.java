package io.phantomdb.sql.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@code ANALYZE} in the forms PostgreSQL users write is parsed into the tables to analyze, and the forms
 * Phantom-DB does not support are refused with 0A000 rather than misread.
 *
 * <p>Method: example statements through {@link DdlParser#parse}, the same entry the SQL engine uses.
 */
class AnalyzeParserTest {

    private static Analyze analyze(String sql) {
        Optional<DdlStatement> parsed = DdlParser.parse(sql);
        return (Analyze) parsed.orElseThrow();
    }

    @Test
    void withoutATableMeansEveryTable() {
        assertEquals(List.of(), analyze("ANALYZE").tables());
        assertEquals(List.of(), analyze("analyse verbose;").tables());
    }

    @Test
    void namesFoldAndListsAreKept() {
        assertEquals(List.of("orders", "Items"), analyze("ANALYZE VERBOSE Orders, \"Items\"").tables());
    }

    @Test
    void unsupportedFormsAreRefusedWithTheirCode() {
        PhantomSqlException columns = assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE t (a, b)"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, columns.state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
                assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE (VERBOSE) t")).state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
                assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE SELECT 1")).state());
    }

    @Test
    void malformedNamesAreSyntaxErrorsWithAPosition() {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE t,"));
        assertEquals(SqlState.SYNTAX_ERROR, e.state());
        assertEquals(11, e.position());
        assertEquals(SqlState.SYNTAX_ERROR,
                assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE t u")).state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, // one schema: qualified names are refused as in all DDL
                assertThrows(PhantomSqlException.class, () -> DdlParser.parse("ANALYZE public.t")).state());
    }
}
