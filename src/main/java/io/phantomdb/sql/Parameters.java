package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's numbered parameters ({@code $1}, {@code $2}, ...) for a parser that knows only positional
 * {@code ?}: each {@code $n} outside literals, quoted identifiers and comments becomes a {@code ?}, and
 * {@link #positions} says which {@code $n} each {@code ?} stands for (a number may appear several times, in
 * any order). Plain {@code ?} parameters are accepted too, numbered in order; mixing both is an error.
 *
 * <p>The same pass quotes the few words that Calcite's grammar reserves but PostgreSQL lets users name columns
 * with ({@link #CALCITE_ONLY_RESERVED}): {@code value} becomes {@code "value"}, which under PostgreSQL's
 * identifier rules (unquoted names fold to lower case) names the same column.
 */
public record Parameters(String sql, int[] positions, int count) {

    /**
     * Words reserved in Calcite but not in PostgreSQL, and never a keyword in the SQL we accept: quoting them
     * lets {@code CREATE TABLE t (id INT, value INT)} be followed by {@code UPDATE t SET value = 1}.
     * ({@code year}, {@code date} and the like stay: they are keywords in EXTRACT and typed literals.)
     */
    static final java.util.Set<String> CALCITE_ONLY_RESERVED = java.util.Set.of("value");

    public static Parameters rewrite(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<Integer> positions = new ArrayList<>();
        boolean dollar = false;
        boolean question = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int skip = skipQuotedOrComment(text, i);
            if (skip > i) {
                out.append(text, i, skip);
                i = skip;
            } else if (c == '$' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)) && !identifierBefore(text, i)) {
                int end = i + 1;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                int n = parseNumber(text.substring(i + 1, end), i);
                positions.add(n - 1);
                out.append('?');
                dollar = true;
                i = end;
            } else if (wordStart(text, i)) {
                int end = i + 1;
                while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'
                        || text.charAt(end) == '$')) {
                    end++;
                }
                String word = text.substring(i, end);
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                out.append(CALCITE_ONLY_RESERVED.contains(lower) ? '"' + lower + '"' : word);
                i = end;
            } else {
                if (c == '?') {
                    positions.add(positions.size());
                    question = true;
                }
                out.append(c);
                i++;
            }
        }
        if (dollar && question) {
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "do not mix $n and ? parameters in one statement");
        }
        int count = 0;
        for (int p : positions) {
            count = Math.max(count, p + 1);
        }
        return new Parameters(out.toString(), positions.stream().mapToInt(Integer::intValue).toArray(), count);
    }

    /** No parameters (DDL). */
    public static final Parameters NONE = new Parameters("", new int[0], 0);

    /** The values in {@code ?} order, from the values in {@code $n} order. */
    public Object[] arrange(Object[] values) {
        if (values.length != count) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "statement has " + count
                    + " parameter(s), " + values.length + " value(s) given");
        }
        Object[] out = new Object[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = values[positions[i]];
        }
        return out;
    }

    private static int parseNumber(String digits, int at) {
        try {
            int n = Integer.parseInt(digits);
            if (n >= 1 && n <= 65_535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "parameter number out of range: $" + digits, at + 1, null);
    }

    /** A word (identifier or keyword) starts at {@code i}. */
    private static boolean wordStart(String text, int i) {
        char c = text.charAt(i);
        return (Character.isLetter(c) || c == '_') && !identifierBefore(text, i);
    }

    /** {@code a$1} is an identifier character sequence, not a parameter. */
    private static boolean identifierBefore(String text, int i) {
        return i > 0 && (Character.isLetterOrDigit(text.charAt(i - 1)) || text.charAt(i - 1) == '_');
    }

    /** The index after a string literal, quoted identifier or comment starting at {@code i}, or {@code i}. */
    private static int skipQuotedOrComment(String text, int i) {
        char c = text.charAt(i);
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < text.length()) {
                if (text.charAt(j) == c) {
                    if (j + 1 < text.length() && text.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return text.length();
        }
        if (text.startsWith("--", i)) {
            int nl = text.indexOf('\n', i);
            return nl < 0 ? text.length() : nl;
        }
        if (text.startsWith("/*", i)) {
            int end = text.indexOf("*/", i + 2);
            return end < 0 ? text.length() : end + 2;
        }
        return i;
    }
}
