package io.phantomdb.sql.ddl;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses Phantom-DB's catalog statements, which Calcite's core parser does not handle:
 *
 * <pre>
 *   CREATE TABLE ...                       -> {@link CreateTable}   (grammar: {@link TableParser})
 *   CREATE [UNIQUE] INDEX ...              -> {@link CreateIndex}   ({@link IndexParser})
 *   CREATE [OR REPLACE] VIEW ...           -> {@link CreateView}    ({@link ViewParser})
 *   DROP TABLE | INDEX | VIEW ...          -> {@link DropTable}, {@link DropIndex}, {@link DropView}
 *   ANALYZE | ANALYSE ...                  -> {@link Analyze}       ({@link AnalyzeParser})
 *   anything else                          -> Optional.empty(): the caller hands the text to Calcite
 * </pre>
 *
 * Whether a text is ours is decided from its first few tokens alone (so a malformed SELECT is never reported
 * from here): CREATE or DROP followed by TABLE, INDEX or VIEW, possibly after OR REPLACE, UNIQUE or a
 * modifier PostgreSQL allows there (TEMP, UNLOGGED, MATERIALIZED, ...; those are then refused with 0A000).
 * CREATE SCHEMA, CREATE FUNCTION etc. are not ours. A statement starting with ANALYZE is ours. Lexical rules are PostgreSQL's (see {@link Lexer}): names
 * fold to lower case unless quoted, keywords are case-insensitive, comments and a trailing ';' are allowed.
 *
 * <p>Errors are {@link PhantomSqlException}s with PostgreSQL's SQLSTATE and, where a token is to blame, its
 * 1-based character position: 42601 syntax, 0A000 valid PostgreSQL that Phantom-DB does not support, 42704
 * unknown type, 42701 duplicate column, 42703 key column not in the table, 42P17 two primary keys, 22023 an
 * out-of-range type modifier.
 *
 * <p>Stateless and thread-safe: each call builds its own cursor. The parser is hand-written recursive
 * descent (no generator), one class per statement.
 */
public final class DdlParser {
    /** Words PostgreSQL allows between CREATE and TABLE/VIEW that Phantom-DB refuses. */
    private static final List<String> UNSUPPORTED_MODIFIERS = List.of("temp", "temporary", "unlogged", "global",
            "local", "materialized", "recursive", "foreign");

    private DdlParser() {}

    /**
     * The parsed statement, or empty when the text is not a statement this parser owns.
     *
     * @throws PhantomSqlException when the text is ours but malformed or unsupported (codes above)
     */
    public static Optional<DdlStatement> parse(String sql) {
        Objects.requireNonNull(sql, "sql");
        TokenCursor c = new TokenCursor(sql);
        if (c.peekWord("create")) {
            return create(c);
        }
        if (c.peekWord("drop") && isObjectKind(c.peek(1))) {
            c.next();
            return Optional.of(DropParser.parse(c, c.next().text()));
        }
        if (c.peekWord("analyze") || c.peekWord("analyse")) {
            c.next();
            return Optional.of(AnalyzeParser.parse(c));
        }
        if (c.peekWord("drop") && c.peek(1).isWord("materialized") && c.peek(2).isWord("view")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "materialized views are not supported", c.peek(1));
        }
        return Optional.empty();
    }

    /** Classifies by look-ahead first: nothing is consumed or thrown until the statement is known to be ours. */
    private static Optional<DdlStatement> create(TokenCursor c) {
        boolean orReplace = c.peek(1).isWord("or") && c.peek(2).isWord("replace");
        int kindAt = orReplace ? 3 : 1;
        Token kind = c.peek(kindAt);
        boolean unique = kind.isWord("unique") && c.peek(kindAt + 1).isWord("index");
        if (!isObjectKind(kind) && !unique) {
            refuseModifier(c, kindAt);
            return Optional.empty();
        }
        for (int i = 0; i < kindAt; i++) {
            c.next();
        }
        if (unique) {
            c.next();
        }
        Token object = c.next();
        if (object.isWord("view")) {
            return Optional.of(ViewParser.parse(c, orReplace));
        }
        if (orReplace) {
            throw c.syntaxError(object, "VIEW after CREATE OR REPLACE");
        }
        return Optional.of(object.isWord("table") ? TableParser.parse(c) : IndexParser.parse(c, unique));
    }

    /** CREATE [OR REPLACE] TEMP|UNLOGGED|MATERIALIZED|... [TEMP] TABLE|VIEW: ours, and refused with 0A000. */
    private static void refuseModifier(TokenCursor c, int at) {
        Token modifier = c.peek(at);
        boolean isModifier = modifier.kind() == Token.Kind.WORD && UNSUPPORTED_MODIFIERS.contains(modifier.text());
        boolean thenObject = isTableOrView(c.peek(at + 1))
                || (UNSUPPORTED_MODIFIERS.contains(c.peek(at + 1).text()) && isTableOrView(c.peek(at + 2)));
        if (isModifier && thenObject) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "CREATE "
                    + modifier.text().toUpperCase(Locale.ROOT) + " ... is not supported; "
                    + "Phantom-DB has only permanent tables and plain views", c.position(modifier), null);
        }
    }

    private static boolean isObjectKind(Token token) {
        return token.isWord("table") || token.isWord("index") || token.isWord("view");
    }

    private static boolean isTableOrView(Token token) {
        return token.isWord("table") || token.isWord("view");
    }
}
