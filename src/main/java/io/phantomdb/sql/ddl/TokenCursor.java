package io.phantomdb.sql.ddl;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.ddl.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsers' view of a statement: tokens with look-ahead (lexed lazily, so classifying a long INSERT costs
 * a few tokens), matching helpers, and the construction of errors that carry the 1-based character position
 * PostgreSQL reports (counted in code points, not UTF-16 units).
 */
final class TokenCursor {
    private final String sql;
    private final Lexer lexer;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    TokenCursor(String sql) {
        this.sql = sql;
        this.lexer = new Lexer(sql);
    }

    String sql() {
        return sql;
    }

    Token peek() {
        return peek(0);
    }

    /** The token {@code ahead} places after the current one; EOF or ERROR repeats once reached. */
    Token peek(int ahead) {
        while (tokens.size() <= index + ahead) {
            Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
            boolean ended = last != null && (last.kind() == Kind.EOF || last.kind() == Kind.ERROR);
            tokens.add(ended ? last : lexer.next());
        }
        return tokens.get(index + ahead);
    }

    /** Consumes and returns the current token; never moves past EOF, and reports a lexer error. */
    Token next() {
        Token token = peek();
        if (token.kind() == Kind.ERROR) {
            throw syntaxError(token, null);
        }
        if (token.kind() != Kind.EOF) {
            index++;
        }
        return token;
    }

    boolean peekWord(String keyword) {
        return peek().isWord(keyword);
    }

    boolean acceptWord(String keyword) {
        if (peekWord(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    void expectWord(String keyword) {
        if (!acceptWord(keyword)) {
            throw syntaxError(peek(), keyword.toUpperCase(Locale.ROOT));
        }
    }

    boolean peekPunct(char c) {
        return peek().isPunct(c);
    }

    boolean acceptPunct(char c) {
        if (peekPunct(c)) {
            index++;
            return true;
        }
        return false;
    }

    void expectPunct(char c) {
        if (!acceptPunct(c)) {
            throw syntaxError(peek(), "\"" + c + "\"");
        }
    }

    boolean acceptOperator(String operator) {
        if (peek().kind() == Kind.OPERATOR && peek().text().equals(operator)) {
            index++;
            return true;
        }
        return false;
    }

    /** Consumes {@code IF NOT EXISTS} if present. */
    boolean acceptIfNotExists() {
        if (peekWord("if") && peek(1).isWord("not")) {
            index++;
            expectWord("not");
            expectWord("exists");
            return true;
        }
        return false;
    }

    /** Consumes {@code IF EXISTS} if present. */
    boolean acceptIfExists() {
        if (peekWord("if") && peek(1).isWord("exists")) {
            index += 2;
            return true;
        }
        return false;
    }

    /**
     * A name (PostgreSQL's ColId): a quoted identifier, or an unquoted word that is not a reserved keyword.
     *
     * @param what what the name is, for the error message (e.g. "a column name")
     */
    String identifier(String what) {
        Token token = peek();
        if (token.kind() == Kind.QUOTED || (token.kind() == Kind.WORD && !Keywords.isReserved(token.text()))) {
            index++;
            return token.text();
        }
        throw syntaxError(token, what);
    }

    /** A table, index or view name; schema-qualified names are rejected (there is one schema). */
    String objectName(String what) {
        String name = identifier(what);
        if (peekPunct('.')) {
            throw error(SqlState.FEATURE_NOT_SUPPORTED,
                    "schema-qualified names are not supported (Phantom-DB has one schema): " + name + ".…", peek());
        }
        return name;
    }

    /** After a statement: optional semicolons, then the end of the text. */
    void expectEnd() {
        while (acceptPunct(';')) {
            // A trailing ";" (or several) ends the statement, as in psql.
        }
        if (peek().kind() != Kind.EOF) {
            throw syntaxError(peek(), "end of statement");
        }
    }

    /** PostgreSQL's "syntax error at or near" message; {@code expected} (may be null) is appended as a hint. */
    PhantomSqlException syntaxError(Token at, String expected) {
        if (at.kind() == Kind.ERROR) {
            return error(SqlState.SYNTAX_ERROR, at.text() + " at or near \"" + excerpt(at) + "\"", at);
        }
        String where = at.kind() == Kind.EOF ? "syntax error at end of input"
                : "syntax error at or near \"" + excerpt(at) + "\"";
        return error(SqlState.SYNTAX_ERROR, expected == null ? where : where + " (expected " + expected + ")", at);
    }

    PhantomSqlException error(SqlState state, String message, Token at) {
        return new PhantomSqlException(state, message, position(at), null);
    }

    /** 1-based position of the token in code points, as PostgreSQL's error cursor. */
    int position(Token token) {
        return sql.codePointCount(0, Math.min(token.start(), sql.length())) + 1;
    }

    private String excerpt(Token token) {
        String text = sql.substring(token.start(), token.end());
        int limit = 40;
        return text.codePointCount(0, text.length()) <= limit ? text
                : text.substring(0, text.offsetByCodePoints(0, limit)) + "…";
    }
}
