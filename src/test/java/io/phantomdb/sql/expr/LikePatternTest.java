package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Goal: the hand-written LIKE matcher agrees with the obvious (but slower, backtracking) regular-expression
 * translation for every pattern, including runs of % and _, escapes and case folding.
 *
 * <p>Method: jqwik generates texts and patterns over a tiny alphabet (so matches are frequent) and compares
 * {@link LikePattern#matches} with {@code Pattern.matches} on the translated pattern.
 */
class LikePatternTest {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars('a', 'b', 'A', '%', '_', '\\').ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', 'B', '%', '_', '\\').ofMaxLength(6)
                .filter(p -> !endsWithLoneEscape(p));
    }

    @Property(tries = 3000)
    void matchesLikeTheRegexTranslation(@ForAll("texts") String text, @ForAll("patterns") String pattern) {
        assertEquals(Pattern.compile(toRegex(pattern), Pattern.DOTALL).matcher(text).matches(),
                LikePattern.compile(pattern, null, false).matches(text), () -> "'" + text + "' LIKE '" + pattern + "'");
        assertEquals(Pattern.compile(toRegex(pattern), Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(text).matches(),
                LikePattern.compile(pattern, null, true).matches(text), () -> "'" + text + "' ILIKE '" + pattern + "'");
    }

    private static boolean endsWithLoneEscape(String pattern) {
        int escapes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            escapes++;
        }
        return escapes % 2 == 1;
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
