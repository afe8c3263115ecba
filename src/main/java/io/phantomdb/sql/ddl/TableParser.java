package io.phantomdb.sql.ddl;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.ddl.TableElements.KeyColumn;
import io.phantomdb.sql.ddl.Token.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rest of {@code CREATE TABLE} after those two words:
 *
 * <pre>
 *   [IF NOT EXISTS] name ( element [, element]* ) [WITH ( option [= value] [, ...] )]
 *   element           := column | [CONSTRAINT name] table-constraint
 *   column            := name type column-constraint*
 *   column-constraint := [CONSTRAINT name] (NOT NULL | NULL | PRIMARY KEY | UNIQUE | DEFAULT expr | COLLATE "C")
 *   table-constraint  := PRIMARY KEY ( name, ... ) | UNIQUE [NULLS DISTINCT] ( name, ... )
 * </pre>
 *
 * CHECK, REFERENCES / FOREIGN KEY, EXCLUDE, GENERATED, LIKE, deferrable constraints, CREATE TABLE AS and
 * storage clauses are recognised and refused with 0A000.
 */
final class TableParser {

    /** Words that end a DEFAULT expression at nesting depth 0: the column constraints that may follow it. */
    private static final List<String> DEFAULT_STOP_WORDS = List.of("not", "null", "primary", "unique", "constraint",
            "check", "references", "default", "collate", "generated", "deferrable", "initially");

    /** One column's constraints as they are read. */
    private static final class ColumnDraft {
        final String table;
        final KeyColumn column;
        final TypeSpec type;
        Token nullability;
        boolean notNull;
        String defaultSql;

        ColumnDraft(String table, KeyColumn column, TypeSpec type) {
            this.table = table;
            this.column = column;
            this.type = type;
        }

        String describe() {
            return "column \"" + column.name() + "\" of table \"" + table + "\"";
        }
    }

    private TableParser() {}

    static CreateTable parse(TokenCursor c) {
        boolean ifNotExists = c.acceptIfNotExists();
        Token nameToken = c.peek();
        String name = c.objectName("a table name");
        if (c.peekWord("as") || c.peekWord("of") || c.peekWord("partition")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "CREATE TABLE ... "
                    + c.peek().text().toUpperCase(Locale.ROOT) + " is not supported", c.peek());
        }
        c.expectPunct('(');
        TableElements elements = new TableElements(name, c);
        if (!c.peekPunct(')')) {
            do {
                element(c, elements, name);
            } while (c.acceptPunct(','));
        }
        c.expectPunct(')');
        Map<String, String> options = options(c);
        refuseStorageClauses(c);
        c.expectEnd();
        return elements.build(ifNotExists, options, nameToken);
    }

    private static void element(TokenCursor c, TableElements elements, String table) {
        Token first = c.peek();
        if (c.acceptWord("constraint")) {
            c.identifier("a constraint name");
            tableConstraint(c, elements);
        } else if (first.isWord("primary") || first.isWord("unique") || first.isWord("check")
                || first.isWord("foreign") || (first.isWord("exclude") && (c.peek(1).isPunct('(')
                        || c.peek(1).isWord("using")))) {
            tableConstraint(c, elements);
        } else if (first.isWord("like")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "LIKE in CREATE TABLE is not supported", first);
        } else {
            column(c, elements, table);
        }
    }

    private static void tableConstraint(TokenCursor c, TableElements elements) {
        Token first = c.peek();
        if (c.acceptWord("primary")) {
            c.expectWord("key");
            elements.setPrimaryKey(columnList(c), first);
        } else if (c.acceptWord("unique")) {
            acceptNullsDistinct(c);
            elements.addUnique(columnList(c));
        } else {
            refuseConstraint(c, first);
            throw c.syntaxError(first, "PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY");
        }
        refuseConstraintAttributes(c);
    }

    private static void column(TokenCursor c, TableElements elements, String table) {
        Token nameToken = c.peek();
        String name = c.identifier("a column name or table constraint");
        TypeSpec type = TypeParser.parse(c);
        ColumnDraft draft = new ColumnDraft(table, new KeyColumn(name, nameToken), type);
        while (!c.peekPunct(',') && !c.peekPunct(')')) {
            if (c.acceptWord("constraint")) {
                c.identifier("a constraint name");
            }
            columnConstraint(c, elements, draft);
        }
        elements.addColumn(new ColumnSpec(name, type, draft.notNull, draft.defaultSql), nameToken);
    }

    private static void columnConstraint(TokenCursor c, TableElements elements, ColumnDraft draft) {
        Token first = c.peek();
        if (c.acceptWord("not")) {
            c.expectWord("null");
            nullability(c, draft, first, true);
        } else if (c.acceptWord("null")) {
            nullability(c, draft, first, false);
        } else if (c.acceptWord("primary")) {
            c.expectWord("key");
            elements.setPrimaryKey(List.of(draft.column), first);
        } else if (c.acceptWord("unique")) {
            acceptNullsDistinct(c);
            elements.addUnique(List.of(draft.column));
        } else if (c.acceptWord("default")) {
            if (draft.defaultSql != null) {
                throw c.error(SqlState.SYNTAX_ERROR, "multiple default values specified for " + draft.describe(),
                        first);
            }
            draft.defaultSql = defaultExpression(c);
        } else if (c.acceptWord("collate")) {
            if (draft.type.type() != DataType.VARCHAR) {
                throw c.error(SqlState.DATATYPE_MISMATCH, "collations are not supported by type "
                        + draft.type.type().name().toLowerCase(Locale.ROOT), first);
            }
            acceptCollation(c);
        } else {
            refuseConstraint(c, first);
            if (first.isWord("generated")) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "generated columns are not supported", first);
            }
            throw c.syntaxError(first, "a column constraint, \",\" or \")\"");
        }
        refuseConstraintAttributes(c);
    }

    /** NULL and NOT NULL on one column contradict each other (PostgreSQL: 42601). */
    private static void nullability(TokenCursor c, ColumnDraft draft, Token at, boolean notNull) {
        if (draft.nullability != null && draft.notNull != notNull) {
            throw c.error(SqlState.SYNTAX_ERROR, "conflicting NULL/NOT NULL declarations for " + draft.describe(), at);
        }
        draft.nullability = at;
        draft.notNull = notNull;
    }

    /** CHECK, REFERENCES, FOREIGN KEY and EXCLUDE: valid PostgreSQL that Phantom-DB does not enforce. */
    private static void refuseConstraint(TokenCursor c, Token first) {
        if (first.isWord("check")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "CHECK constraints are not supported", first);
        }
        if (first.isWord("references") || first.isWord("foreign")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED,
                    "FOREIGN KEY / REFERENCES constraints are not supported", first);
        }
        if (first.isWord("exclude")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "EXCLUDE constraints are not supported", first);
        }
    }

    private static void refuseConstraintAttributes(TokenCursor c) {
        Token next = c.peek();
        if (next.isWord("deferrable") || next.isWord("initially")
                || (next.isWord("not") && c.peek(1).isWord("deferrable"))) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED,
                    "constraint attributes (DEFERRABLE, INITIALLY) are not supported", next);
        }
    }

    /** PostgreSQL 15's {@code NULLS [NOT] DISTINCT}: the default (distinct) is accepted, NOT DISTINCT refused. */
    private static void acceptNullsDistinct(TokenCursor c) {
        if (c.peekWord("nulls") && c.peek(1).isWord("not")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "UNIQUE NULLS NOT DISTINCT is not supported", c.peek());
        }
        if (c.acceptWord("nulls")) {
            c.expectWord("distinct");
        }
    }

    /** {@code COLLATE name}: text is compared by code point, so only "C" (and its alias "POSIX") is accepted. */
    static void acceptCollation(TokenCursor c) {
        Token name = c.peek();
        if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED) {
            throw c.syntaxError(name, "a collation name");
        }
        c.next();
        String collation = Lexer.foldCase(name.text());
        if (!collation.equals("c") && !collation.equals("posix")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "collation \"" + name.text()
                    + "\" is not supported; text is compared by code point (COLLATE \"C\")", name);
        }
    }

    static List<KeyColumn> columnList(TokenCursor c) {
        c.expectPunct('(');
        List<KeyColumn> columns = new ArrayList<>();
        do {
            Token token = c.peek();
            columns.add(new KeyColumn(c.identifier("a column name"), token));
        } while (c.acceptPunct(','));
        c.expectPunct(')');
        return columns;
    }

    /**
     * The raw text of a DEFAULT expression: its tokens up to a ',' or ')' at depth 0, or up to a column
     * constraint keyword at depth 0 that does not continue the expression (NULL after an operator, IS or NOT
     * is an operand: {@code DEFAULT 'a' || NULL}, {@code DEFAULT x IS NOT NULL}).
     */
    private static String defaultExpression(TokenCursor c) {
        Token first = c.peek();
        if (first.kind() == Kind.EOF || first.isPunct(',') || first.isPunct(')') || first.isPunct(';')) {
            throw c.syntaxError(first, "a DEFAULT expression");
        }
        int depth = 0;
        Token last = null;
        while (true) {
            Token token = c.peek();
            boolean atTop = depth == 0 && last != null;
            if (token.kind() == Kind.EOF || (atTop && (token.isPunct(',') || token.isPunct(')')
                    || token.isPunct(';') || endsDefault(token, last)))) {
                break;
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

    private static boolean endsDefault(Token token, Token previous) {
        boolean continues = previous.kind() == Kind.OPERATOR || previous.isWord("is") || previous.isWord("not")
                || previous.isWord("and") || previous.isWord("or");
        return token.kind() == Kind.WORD && DEFAULT_STOP_WORDS.contains(token.text()) && !continues;
    }

    /** {@code WITH (key [= value], ...)}: keys lower case, values as text; a bare key means "true". */
    private static Map<String, String> options(TokenCursor c) {
        Map<String, String> options = new LinkedHashMap<>();
        if (c.peekWord("without") && c.peek(1).isWord("oids")) {
            // PostgreSQL 15 still accepts WITHOUT OIDS, as a no-op.
            c.next();
            c.next();
            return options;
        }
        if (!c.acceptWord("with")) {
            return options;
        }
        c.expectPunct('(');
        do {
            Token keyToken = c.peek();
            String key = Lexer.foldCase(c.identifier("an option name"));
            String value = c.acceptOperator("=") ? optionValue(c) : "true";
            if (options.putIfAbsent(key, value) != null) {
                throw c.error(SqlState.INVALID_PARAMETER_VALUE, "parameter \"" + key + "\" specified more than once",
                        keyToken);
            }
        } while (c.acceptPunct(','));
        c.expectPunct(')');
        return options;
    }

    private static String optionValue(TokenCursor c) {
        String sign = c.acceptOperator("-") ? "-" : c.acceptOperator("+") ? "" : null;
        Token value = c.peek();
        if (value.kind() == Kind.NUMBER) {
            c.next();
            return (sign == null ? "" : sign) + value.text();
        }
        if (sign == null && (value.kind() == Kind.STRING || value.kind() == Kind.WORD || value.kind() == Kind.QUOTED)) {
            c.next();
            return value.text();
        }
        throw c.syntaxError(value, "an option value");
    }

    private static void refuseStorageClauses(TokenCursor c) {
        Token next = c.peek();
        for (String clause : List.of("inherits", "partition", "using", "tablespace", "on")) {
            if (next.isWord(clause)) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "CREATE TABLE ... "
                        + clause.toUpperCase(Locale.ROOT) + " is not supported", next);
            }
        }
    }
}
