package io.phantomdb.sql.ddl;

/**
 * One lexical token of a statement. {@code start} and {@code end} are UTF-16 offsets into the statement
 * text ({@code end} exclusive), so the raw text of any token range can be cut out of the original.
 *
 * @param text for {@link Kind#WORD} the word folded to lower case (PostgreSQL folds unquoted names); for
 *     {@link Kind#QUOTED} the identifier with {@code ""} unescaped; for {@link Kind#STRING} the literal's
 *     content ({@code ''} unescaped; E'' and dollar-quoted literals kept raw); for {@link Kind#ERROR} the
 *     lexer's error message; otherwise the source text
 */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        /** An unquoted identifier or keyword. */
        WORD,
        /** A "quoted" identifier. */
        QUOTED,
        STRING,
        NUMBER,
        /** A run of PostgreSQL operator characters, e.g. {@code +}, {@code ::}, {@code <=}. */
        OPERATOR,
        /** One of {@code ( ) [ ] , ; .} or any other single character. */
        PUNCT,
        /** The text cannot be tokenized here (e.g. an unterminated string); nothing follows it. */
        ERROR,
        EOF
    }

    /** Whether this is the unquoted keyword {@code keyword} (given in lower case). */
    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equals(keyword);
    }

    boolean isPunct(char c) {
        return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }
}
