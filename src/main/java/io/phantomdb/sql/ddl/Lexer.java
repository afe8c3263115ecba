package io.phantomdb.sql.ddl;

import io.phantomdb.sql.ddl.Token.Kind;

/**
 * Splits SQL text into {@link Token}s on demand, following PostgreSQL's lexical rules closely enough to find
 * token boundaries in any statement: unquoted words (ASCII letters folded to lower case, as PostgreSQL does in
 * UTF-8 databases), "quoted" identifiers, 'string' / E'string' / $tag$string$tag$ literals, numbers,
 * operators, {@code --} and nested {@code /* *}{@code /} comments. A malformed token becomes an
 * {@link Kind#ERROR} token instead of an exception, so that text that is not DDL is never rejected here.
 */
final class Lexer {
    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?:";

    private final String sql;
    private int position;

    Lexer(String sql) {
        this.sql = sql;
    }

    /** The next token; {@link Kind#EOF} at the end (repeatedly). */
    Token next() {
        Token error = skipSpaceAndComments();
        if (error != null) {
            return error;
        }
        int start = position;
        if (start >= sql.length()) {
            return new Token(Kind.EOF, "", start, start);
        }
        char c = sql.charAt(start);
        if ((c == 'e' || c == 'E') && start + 1 < sql.length() && sql.charAt(start + 1) == '\'') {
            position++;
            return string(start, true);
        }
        if (isWordStart(c)) {
            return word(start);
        }
        if (c == '"') {
            return quoted(start);
        }
        if (c == '\'') {
            return string(start, false);
        }
        if (c == '$' && start + 1 < sql.length() && !Character.isDigit(sql.charAt(start + 1))) {
            return dollarString(start);
        }
        boolean fraction = c == '.' && start + 1 < sql.length() && Character.isDigit(sql.charAt(start + 1));
        if (Character.isDigit(c) || fraction) {
            return number(start);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            return operator(start);
        }
        position += Character.charCount(sql.codePointAt(start));
        return new Token(Kind.PUNCT, sql.substring(start, position), start, position);
    }

    private Token skipSpaceAndComments() {
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            } else if (sql.startsWith("--", position)) {
                int newline = sql.indexOf('\n', position);
                position = newline < 0 ? sql.length() : newline + 1;
            } else if (sql.startsWith("/*", position)) {
                Token error = blockComment();
                if (error != null) {
                    return error;
                }
            } else {
                return null;
            }
        }
        return null;
    }

    /** PostgreSQL block comments nest: {@code /* a /* b *}{@code / c *}{@code /} is one comment. */
    private Token blockComment() {
        int start = position;
        int depth = 0;
        while (position < sql.length()) {
            if (sql.startsWith("/*", position)) {
                depth++;
                position += 2;
            } else if (sql.startsWith("*/", position)) {
                depth--;
                position += 2;
                if (depth == 0) {
                    return null;
                }
            } else {
                position++;
            }
        }
        return error("unterminated /* comment", start);
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    private Token word(int start) {
        while (position < sql.length() && isWordPart(sql.charAt(position))) {
            position++;
        }
        return new Token(Kind.WORD, foldCase(sql.substring(start, position)), start, position);
    }

    /** ASCII-only folding, independent of the JVM's default locale (no Turkish dotless i). */
    static String foldCase(String word) {
        StringBuilder folded = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    private Token quoted(int start) {
        StringBuilder name = new StringBuilder();
        position = start + 1;
        while (position < sql.length()) {
            char c = sql.charAt(position++);
            if (c != '"') {
                name.append(c);
            } else if (position < sql.length() && sql.charAt(position) == '"') {
                name.append('"');
                position++;
            } else if (name.length() == 0) {
                return error("zero-length delimited identifier", start);
            } else {
                return new Token(Kind.QUOTED, name.toString(), start, position);
            }
        }
        return error("unterminated quoted identifier", start);
    }

    /** 'text' with '' for a quote; E'text' also lets a backslash escape the next character. */
    private Token string(int start, boolean backslashEscapes) {
        StringBuilder content = new StringBuilder();
        position++;
        while (position < sql.length()) {
            char c = sql.charAt(position++);
            if (backslashEscapes && c == '\\' && position < sql.length()) {
                content.append(c).append(sql.charAt(position++));
            } else if (c != '\'') {
                content.append(c);
            } else if (position < sql.length() && sql.charAt(position) == '\'') {
                content.append(backslashEscapes ? "''" : "'");
                position++;
            } else {
                return new Token(Kind.STRING, content.toString(), start, position);
            }
        }
        return error("unterminated quoted string", start);
    }

    /** $tag$...$tag$ (tag possibly empty); a '$' that does not open one is a lone punctuation token. */
    private Token dollarString(int start) {
        int tagEnd = start + 1;
        while (tagEnd < sql.length() && sql.charAt(tagEnd) != '$' && isWordPart(sql.charAt(tagEnd))) {
            tagEnd++;
        }
        if (tagEnd >= sql.length() || sql.charAt(tagEnd) != '$') {
            position = start + 1;
            return new Token(Kind.PUNCT, "$", start, position);
        }
        String tag = sql.substring(start, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            return error("unterminated dollar-quoted string", start);
        }
        position = close + tag.length();
        return new Token(Kind.STRING, sql.substring(tagEnd + 1, close), start, position);
    }

    private Token number(int start) {
        boolean seenDot = false;
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (c == '.' && !seenDot) {
                seenDot = true;
            } else if (!Character.isDigit(c)) {
                break;
            }
            position++;
        }
        if (position < sql.length() && (sql.charAt(position) == 'e' || sql.charAt(position) == 'E')) {
            int exponent = position + 1;
            if (exponent < sql.length() && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
                exponent++;
            }
            if (exponent < sql.length() && Character.isDigit(sql.charAt(exponent))) {
                position = exponent;
                while (position < sql.length() && Character.isDigit(sql.charAt(position))) {
                    position++;
                }
            }
        }
        return new Token(Kind.NUMBER, sql.substring(start, position), start, position);
    }

    /** A run of operator characters, stopping before a comment start (as PostgreSQL's lexer does). */
    private Token operator(int start) {
        position++;
        while (position < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(position)) >= 0
                && !sql.startsWith("--", position) && !sql.startsWith("/*", position)) {
            position++;
        }
        return new Token(Kind.OPERATOR, sql.substring(start, position), start, position);
    }

    private Token error(String message, int start) {
        position = sql.length();
        return new Token(Kind.ERROR, message, start, sql.length());
    }
}
