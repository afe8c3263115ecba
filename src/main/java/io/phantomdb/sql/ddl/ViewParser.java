package io.phantomdb.sql.ddl;

import io.phantomdb.error.SqlState;
import io.phantomdb.sql.ddl.Token.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rest of {@code CREATE [OR REPLACE] VIEW} after those words:
 * {@code [IF NOT EXISTS] name [( column, ... )] AS query}. The query is not parsed, only delimited: it runs
 * to the end of the text or to a ';' outside parentheses, and must start like a query (SELECT, VALUES, WITH,
 * TABLE or '('). {@code WITH (options)} and {@code WITH CHECK OPTION} are refused with 0A000.
 */
final class ViewParser {
    private ViewParser() {}

    static CreateView parse(TokenCursor c, boolean orReplace) {
        Token ifToken = c.peek();
        boolean ifNotExists = c.acceptIfNotExists();
        if (ifNotExists && orReplace) {
            throw c.error(SqlState.SYNTAX_ERROR, "OR REPLACE and IF NOT EXISTS cannot be combined", ifToken);
        }
        String name = c.objectName("a view name");
        List<String> columns = c.peekPunct('(') ? columnNames(c) : List.of();
        if (c.peekWord("with")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "view options (WITH) are not supported", c.peek());
        }
        c.expectWord("as");
        String query = query(c);
        c.expectEnd();
        return new CreateView(name, ifNotExists, orReplace, columns, query);
    }

    private static List<String> columnNames(TokenCursor c) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        c.expectPunct('(');
        do {
            Token token = c.peek();
            String name = c.identifier("a column name");
            if (!seen.add(name)) {
                throw c.error(SqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once", token);
            }
            names.add(name);
        } while (c.acceptPunct(','));
        c.expectPunct(')');
        return names;
    }

    /** The raw query text; the cursor is left on the ';' or EOF that ends it. */
    private static String query(TokenCursor c) {
        Token first = c.peek();
        boolean queryStart = first.isWord("select") || first.isWord("values") || first.isWord("with")
                || first.isWord("table") || first.isPunct('(');
        if (!queryStart) {
            throw c.syntaxError(first, "a query");
        }
        int depth = 0;
        Token last = first;
        while (c.peek().kind() != Kind.EOF && !(depth == 0 && c.peekPunct(';'))) {
            Token token = c.peek();
            if (depth == 0 && isCheckOption(c)) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "WITH CHECK OPTION is not supported", token);
            }
            if (token.isPunct('(') || token.isPunct('[')) {
                depth++;
            } else if (token.isPunct(')') || token.isPunct(']')) {
                depth--;
            }
            last = c.next();
        }
        return c.sql().substring(first.start(), last.end());
    }

    /** {@code WITH [CASCADED | LOCAL] CHECK OPTION} (CHECK is reserved, so no CTE can be named so). */
    private static boolean isCheckOption(TokenCursor c) {
        if (!c.peekWord("with")) {
            return false;
        }
        Token next = c.peek(1);
        return next.isWord("check") || ((next.isWord("cascaded") || next.isWord("local")) && c.peek(2).isWord("check"));
    }
}
