package io.phantomdb.security;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of a role or privilege statement, by PostgreSQL's lexical rules as far as these statements need
 * them: words (ASCII letters folded to lower case), "quoted" identifiers ({@code ""} is a quote), 'strings'
 * ({@code ''} is a quote), commas, a final semicolon, {@code --} and {@code /* *}{@code /} comments.
 * Anything else is a syntax error, reported by {@link AccessParser} only once the statement is known to be one
 * of ours.
 */
final class AccessTokens {
    enum Kind { WORD, QUOTED, STRING, COMMA, SEMICOLON, OTHER, EOF }

    record Token(Kind kind, String text, int position) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equals(word);
        }

        /** A role, table or schema name: a word or a quoted identifier. */
        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    /** PostgreSQL caps statement text far higher; role statements are short, so a long one is a mistake. */
    static final int TOKENS_MAX = 10_000;

    private AccessTokens() {}

    static List<Token> split(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && out.size() < TOKENS_MAX) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    out.add(new Token(Kind.OTHER, "/*", i));
                    break;
                }
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                out.add(new Token(Kind.WORD, fold(sql.substring(start, i)), start));
            } else if (c == '"' || c == '\'') {
                int start = i;
                StringBuilder text = new StringBuilder();
                i = quoted(sql, i, c, text);
                out.add(i < 0 ? new Token(Kind.OTHER, String.valueOf(c), start)
                        : new Token(c == '"' ? Kind.QUOTED : Kind.STRING, text.toString(), start));
                if (i < 0) {
                    break;
                }
            } else {
                Kind kind = c == ',' ? Kind.COMMA : c == ';' ? Kind.SEMICOLON : Kind.OTHER;
                out.add(new Token(kind, String.valueOf(c), i));
                i++;
            }
        }
        out.add(new Token(Kind.EOF, "", n));
        return out;
    }

    /** Reads a quoted token starting at {@code start}; returns the index after it, or -1 when unterminated. */
    private static int quoted(String sql, int start, char quote, StringBuilder text) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    text.append(quote);
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            text.append(c);
            i++;
        }
        return -1;
    }

    /** PostgreSQL folds only ASCII letters of unquoted identifiers. */
    static String fold(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    static PhantomSqlException syntax(Token at) {
        // A string may be a password: never echo one into an error message (or the log that records it).
        String near = at.kind() == Kind.EOF ? "end of input" : at.kind() == Kind.STRING ? "a string literal" : "\"" + at.text() + "\"";
        return new PhantomSqlException(SqlState.SYNTAX_ERROR, "syntax error at or near " + near, at.position() + 1, null);
    }
}
