package io.phantomdb.server.pgcatalog;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small PostgreSQL lexer for the statements this package parses by tokens (SET, SHOW, RESET, probes):
 * words are lower-cased, "quoted identifiers" keep their case, 'strings' (and E'strings') are unescaped,
 * $n parameters and numbers are kept as written; comments and whitespace are dropped.
 */
final class Tokens {
    enum Kind { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL }

    record Token(Kind kind, String text) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(word);
        }

        /** An identifier (plain word or quoted). */
        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    /** Statements longer than this are never settings or probes; they are not tokenized here. */
    static final int TEXT_LENGTH_MAX = 4096;

    private Tokens() {}

    static List<Token> of(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = lineEnd(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
                boolean escapes = c != '\'';
                i = string(sql, escapes ? i + 1 : i, escapes, out);
            } else if (c == '"') {
                i = quoted(sql, i, out);
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = digits(sql, i + 1);
                out.add(new Token(Kind.PARAM, sql.substring(i + 1, j)));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j).toLowerCase(Locale.ROOT)));
                i = j;
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1).is(";")) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static int lineEnd(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int digits(String sql, int i) {
        while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int string(String sql, int start, boolean escapes, List<Token> out) {
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    b.append('\'');
                    i += 2;
                    continue;
                }
                out.add(new Token(Kind.STRING, b.toString()));
                return i + 1;
            }
            if (escapes && c == '\\' && i + 1 < sql.length()) {
                char e = sql.charAt(i + 1);
                b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                i += 2;
                continue;
            }
            b.append(c);
            i++;
        }
        throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "unterminated quoted string");
    }

    private static int quoted(String sql, int start, List<Token> out) {
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '"') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
                    b.append('"');
                    i += 2;
                    continue;
                }
                out.add(new Token(Kind.QUOTED, b.toString()));
                return i + 1;
            }
            b.append(c);
            i++;
        }
        throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "unterminated quoted identifier");
    }
}
