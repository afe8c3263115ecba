package io.phantomdb.sql.ddl;

import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rest of {@code ANALYZE} (or PostgreSQL's other spelling {@code ANALYSE}) after that word:
 * {@code [VERBOSE] [name [, name]*]}. VERBOSE is accepted and has no effect (there is no notice channel).
 * Refused with 0A000: the parenthesized option list, a column list after a table name, and
 * {@code EXPLAIN ANALYZE} (whose statement reaches this parser as {@code ANALYZE SELECT ...}).
 */
final class AnalyzeParser {
    /** Words that start a statement: after ANALYZE they mean EXPLAIN ANALYZE. */
    private static final Set<String> STATEMENT_STARTS = Set.of("select", "with", "values", "insert", "update", "delete");

    private AnalyzeParser() {}

    static Analyze parse(TokenCursor c) {
        if (c.peekPunct('(')) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "ANALYZE options in parentheses are not supported", c.peek());
        }
        c.acceptWord("verbose");
        if (c.peek().kind() == Token.Kind.WORD && STATEMENT_STARTS.contains(c.peek().text())) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED,
                    "EXPLAIN ANALYZE is not supported; EXPLAIN shows the plan with its estimates", c.peek());
        }
        List<String> tables = new ArrayList<>();
        if (!c.peekPunct(';') && c.peek().kind() != Token.Kind.EOF) {
            do {
                tables.add(c.objectName("a table name"));
                if (c.peekPunct('(')) {
                    throw c.error(SqlState.FEATURE_NOT_SUPPORTED,
                            "ANALYZE of chosen columns is not supported; ANALYZE " + tables.get(tables.size() - 1)
                                    + " analyzes every column", c.peek());
                }
            } while (c.acceptPunct(','));
        }
        c.expectEnd();
        return new Analyze(tables);
    }
}
