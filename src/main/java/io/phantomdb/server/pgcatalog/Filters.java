package io.phantomdb.server.pgcatalog;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name filters of pgjdbc's metadata queries: {@code <column> LIKE <arg>} and {@code <column> = <arg>},
 * where the argument is a {@code $n} parameter (extended protocol) or a quoted literal (simple protocol).
 * {@link #parameterTypes} declares every {@code $n} of the query as text.
 */
final class Filters {
    private static final String ARG = "(\\$(\\d{1,3})|E?'((?:[^']|'')*)')";

    /** One filter: a constant, or parameter number {@code parameter} (1-based); like = LIKE pattern, else equality. */
    record Filter(String constant, int parameter, boolean like) {
        boolean test(String value, Object[] parameters) {
            String arg = parameter > 0 ? (String) parameters[parameter - 1] : constant;
            if (arg == null) {
                return true;
            }
            return like ? likePattern(arg).matcher(value).matches() : arg.equals(value);
        }
    }

    private Filters() {}

    /** The {@code LIKE} filter on {@code column} (e.g. "c.relname"), or null when the query has none. */
    static Filter like(QueryText q, String column) {
        return on(q, column, "LIKE");
    }

    /** The {@code =} filter on {@code column} with an argument, or null when the query has none. */
    static Filter equal(QueryText q, String column) {
        return on(q, column, "=");
    }

    private static Filter on(QueryText q, String column, String operator) {
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(column) + " (" + operator + ") " + ARG).matcher(q.text());
        if (!m.find()) {
            return null;
        }
        boolean like = m.group(1).equals("LIKE");
        if (m.group(3) != null) {
            return new Filter(null, Integer.parseInt(m.group(3)), like);
        }
        return new Filter(m.group(4).replace("''", "'"), 0, like);
    }

    static boolean test(Filter filter, String value, Object[] parameters) {
        return filter == null || filter.test(value, parameters);
    }

    /** One VARCHAR per distinct $n in the query; the numbers must run 1..n. */
    static List<DataType> parameterTypes(QueryText q) {
        Matcher m = Pattern.compile("\\$(\\d{1,3})").matcher(q.text().replaceAll("'(?:[^']|'')*'", "''"));
        int max = 0;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        List<DataType> types = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            types.add(DataType.VARCHAR);
        }
        return types;
    }

    /** SQL LIKE (escape character backslash) as a Java regex. */
    static Pattern likePattern(String like) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\') {
                if (i + 1 >= like.length()) {
                    throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "LIKE pattern must not end with escape character");
                }
                b.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                b.append(".*");
            } else if (c == '_') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }
}
