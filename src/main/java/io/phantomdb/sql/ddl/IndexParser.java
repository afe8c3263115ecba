package io.phantomdb.sql.ddl;

import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rest of {@code CREATE [UNIQUE] INDEX} after those words:
 *
 * <pre>
 *   [IF NOT EXISTS name | [name]] ON [ONLY] table [USING btree] ( column [COLLATE "C"] [ASC | DESC]
 *       [NULLS FIRST | NULLS LAST], ... ) [NULLS DISTINCT]
 * </pre>
 *
 * Index entries sort NULLs as PostgreSQL's default does (ASC NULLS LAST, DESC NULLS FIRST); the other two
 * combinations, expression and partial indexes, INCLUDE, operator classes, storage parameters, CONCURRENTLY
 * and access methods other than btree are refused with 0A000. ONLY is accepted: there is no inheritance.
 */
final class IndexParser {
    private static final List<String> OTHER_METHODS = List.of("hash", "gist", "gin", "spgist", "brin");

    private IndexParser() {}

    static CreateIndex parse(TokenCursor c, boolean unique) {
        if (c.peekWord("concurrently")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "CREATE INDEX CONCURRENTLY is not supported", c.peek());
        }
        boolean ifNotExists = c.acceptIfNotExists();
        String name = null;
        if (ifNotExists || !c.peekWord("on")) {
            name = c.objectName("an index name");
        }
        c.expectWord("on");
        c.acceptWord("only");
        String table = c.objectName("a table name");
        accessMethod(c);
        c.expectPunct('(');
        List<IndexColumn> columns = new ArrayList<>();
        do {
            columns.add(column(c));
        } while (c.acceptPunct(','));
        c.expectPunct(')');
        refuseTrailingClauses(c);
        c.expectEnd();
        return new CreateIndex(name, table, columns, unique, ifNotExists);
    }

    private static void accessMethod(TokenCursor c) {
        if (!c.acceptWord("using")) {
            return;
        }
        Token method = c.peek();
        String name = c.identifier("an index access method");
        if (name.equals("btree")) {
            return;
        }
        if (OTHER_METHODS.contains(name)) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "access method \"" + name
                    + "\" is not supported; indexes are ordered (btree)", method);
        }
        throw c.error(SqlState.UNDEFINED_OBJECT, "access method \"" + name + "\" does not exist", method);
    }

    private static IndexColumn column(TokenCursor c) {
        Token first = c.peek();
        if (first.isPunct('(') || c.peek(1).isPunct('(')) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "indexes on expressions are not supported", first);
        }
        String name = c.identifier("a column name");
        if (c.acceptWord("collate")) {
            TableParser.acceptCollation(c);
        }
        Token next = c.peek();
        if (next.kind() == Token.Kind.WORD && !next.isWord("asc") && !next.isWord("desc") && !next.isWord("nulls")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "operator classes are not supported", next);
        }
        boolean descending = c.acceptWord("desc");
        if (!descending) {
            c.acceptWord("asc");
        }
        Token nulls = c.peek();
        if (c.acceptWord("nulls")) {
            boolean nullsFirst = c.acceptWord("first");
            if (!nullsFirst) {
                c.expectWord("last");
            }
            if (nullsFirst != descending) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "NULLS " + (nullsFirst ? "FIRST" : "LAST") + " with "
                        + (descending ? "DESC" : "ASC") + " is not supported; index order is ASC NULLS LAST or "
                        + "DESC NULLS FIRST", nulls);
            }
        }
        return new IndexColumn(name, descending);
    }

    private static void refuseTrailingClauses(TokenCursor c) {
        Token next = c.peek();
        if (next.isWord("nulls") && c.peek(1).isWord("not")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "NULLS NOT DISTINCT is not supported", next);
        }
        if (c.acceptWord("nulls")) {
            c.expectWord("distinct");
            next = c.peek();
        }
        if (next.isWord("include") || next.isWord("with") || next.isWord("where") || next.isWord("tablespace")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "CREATE INDEX ... "
                    + next.text().toUpperCase(Locale.ROOT) + " is not supported", next);
        }
    }
}
