package io.phantomdb.server.pgwire;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-query string into its statements at top-level semicolons, as PostgreSQL's lexer does: a
 * semicolon inside a string literal ({@code '...'}, {@code E'...'} with backslash escapes), a quoted identifier,
 * a dollar-quoted string ({@code $tag$...$tag$}), a line comment or a (nested) block comment does not end a
 * statement. Statements that are empty or only comments are dropped. Stateless.
 */
final class QuerySplitter {
    private QuerySplitter() {}

    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ';') {
                add(statements, sql.substring(start, i));
                start = i + 1;
                i++;
            } else {
                i = skip(sql, i);
            }
        }
        add(statements, sql.substring(start));
        return statements;
    }

    /** True when {@code sql} holds nothing but whitespace and comments. */
    static boolean isBlank(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && sql.startsWith("--", i) || c == '/' && sql.startsWith("/*", i)) {
                i = skip(sql, i);
            } else {
                return false;
            }
        }
        return true;
    }

    private static void add(List<String> statements, String statement) {
        if (!isBlank(statement)) {
            statements.add(statement.strip());
        }
    }

    /** The index after the token starting at {@code i} (a quoted run, a comment, or one character). */
    static int skip(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'') {
            boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                    && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
            return quoted(sql, i, '\'', escapes);
        }
        if (c == '"') {
            return quoted(sql, i, '"', false);
        }
        if (c == '-' && sql.startsWith("--", i)) {
            int end = sql.indexOf('\n', i);
            return end < 0 ? sql.length() : end + 1;
        }
        if (c == '/' && sql.startsWith("/*", i)) {
            return blockComment(sql, i);
        }
        if (c == '$') {
            return dollarQuoted(sql, i);
        }
        return i + 1;
    }

    private static int quoted(String sql, int i, char quote, boolean backslashEscapes) {
        int j = i + 1;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2; // doubled quote
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return sql.length(); // unterminated: the parser reports it
    }

    private static int blockComment(String sql, int i) {
        int depth = 0;
        int j = i;
        while (j < sql.length()) {
            if (sql.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (sql.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return sql.length();
    }

    /** {@code $tag$ ... $tag$} where tag is empty or an identifier; a lone {@code $} (or {@code $1}) is one character. */
    private static int dollarQuoted(String sql, int i) {
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
            return i + 1; // part of an identifier such as a$b
        }
        int j = i + 1;
        while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_'
                || j > i + 1 && Character.isDigit(sql.charAt(j)))) {
            j++;
        }
        if (j >= sql.length() || sql.charAt(j) != '$') {
            return i + 1;
        }
        String tag = sql.substring(i, j + 1);
        int end = sql.indexOf(tag, j + 1);
        return end < 0 ? sql.length() : end + tag.length();
    }
}
