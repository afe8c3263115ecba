package io.phantomdb.sql.expr;

import java.util.Arrays;

/**
 * A compiled LIKE pattern: {@code %} matches any run of characters, {@code _} exactly one character (code
 * point), the escape character makes the next character literal. The default escape is the backslash, as in
 * PostgreSQL; {@code ESCAPE ''} disables escaping. ILIKE folds case.
 *
 * <p>Matching is the classic wildcard algorithm that backtracks only to the last {@code %}: O(text x pattern)
 * at worst and no regular-expression engine, so hostile patterns like {@code %a%a%a%a%b} cannot explode.
 */
final class LikePattern {
    private static final int ANY_ONE = -1;
    private static final int ANY_RUN = -2;

    /** Literal code points (case-folded for ILIKE), or ANY_ONE / ANY_RUN. */
    private final int[] tokens;
    private final boolean caseInsensitive;

    private LikePattern(int[] tokens, boolean caseInsensitive) {
        this.tokens = tokens;
        this.caseInsensitive = caseInsensitive;
    }

    /**
     * @param escape the ESCAPE operand, or null when the LIKE has none (then backslash)
     */
    static LikePattern compile(String pattern, String escape, boolean caseInsensitive) {
        int escapeChar = escapeCodePoint(escape);
        int[] tokens = new int[pattern.codePointCount(0, pattern.length())];
        int count = 0;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == escapeChar) {
                if (i >= pattern.length()) {
                    throw ExprErrors.invalidArgument("LIKE pattern must not end with escape character");
                }
                int literal = pattern.codePointAt(i);
                i += Character.charCount(literal);
                tokens[count++] = caseInsensitive ? fold(literal) : literal;
            } else if (cp == '%') {
                if (count == 0 || tokens[count - 1] != ANY_RUN) {
                    tokens[count++] = ANY_RUN; // "%%" means the same as "%"
                }
            } else if (cp == '_') {
                tokens[count++] = ANY_ONE;
            } else {
                tokens[count++] = caseInsensitive ? fold(cp) : cp;
            }
        }
        return new LikePattern(Arrays.copyOf(tokens, count), caseInsensitive);
    }

    private static int escapeCodePoint(String escape) {
        if (escape == null) {
            return '\\';
        }
        if (escape.isEmpty()) {
            return Integer.MIN_VALUE; // matches no code point: escaping disabled
        }
        if (escape.codePointCount(0, escape.length()) != 1) {
            throw ExprErrors.invalidArgument("invalid escape string: ESCAPE must be empty or one character");
        }
        return escape.codePointAt(0);
    }

    private static int fold(int codePoint) {
        return Character.toLowerCase(Character.toUpperCase(codePoint));
    }

    boolean matches(String text) {
        int t = 0;
        int p = 0;
        int runToken = -1; // index of the last ANY_RUN seen
        int runText = 0;   // text position that ANY_RUN's match currently ends at
        while (t < text.length()) {
            if (p < tokens.length) {
                int token = tokens[p];
                if (token == ANY_RUN) {
                    runToken = p++;
                    runText = t;
                    continue;
                }
                int cp = text.codePointAt(t);
                if (token == ANY_ONE || token == (caseInsensitive ? fold(cp) : cp)) {
                    t += Character.charCount(cp);
                    p++;
                    continue;
                }
            }
            if (runToken < 0) {
                return false;
            }
            // Let the last % absorb one more character and retry the rest of the pattern from there.
            runText += Character.charCount(text.codePointAt(runText));
            t = runText;
            p = runToken + 1;
        }
        while (p < tokens.length && tokens[p] == ANY_RUN) {
            p++;
        }
        return p == tokens.length;
    }
}
