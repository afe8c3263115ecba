package io.phantomdb.server.pgcatalog;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The text of a client's catalog query, normalized so that recognizers can match it: whitespace runs outside
 * quotes become one space, the ends are trimmed and trailing semicolons dropped. Helpers pull out the parts
 * that vary between calls: psql's name patterns, oid literals, select-list aliases, LIKE arguments.
 */
final class QueryText {
    private static final String LITERAL = "'((?:[^']|'')*)'";

    private final String text;

    QueryText(String sql) {
        this.text = normalize(sql);
    }

    String text() {
        return text;
    }

    boolean startsWith(String prefix) {
        return text.startsWith(prefix);
    }

    boolean contains(String part) {
        return text.contains(part);
    }

    static String normalize(String sql) {
        StringBuilder b = new StringBuilder(sql.length());
        char quote = 0;
        boolean space = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && b.length() > 0) {
                b.append(' ');
            }
            space = false;
            b.append(c);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            }
        }
        String s = b.toString();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    /**
     * psql's pattern on {@code column} ({@code column OPERATOR(pg_catalog.~) '^(x.*)$' COLLATE pg_catalog.default},
     * or the older {@code column ~ '...'}) as a Java regex; null when the query has none.
     */
    Pattern psqlPattern(String column) {
        Matcher m = Pattern.compile(Pattern.quote(column) + " (?:OPERATOR\\(pg_catalog\\.~\\)|~) " + LITERAL).matcher(text);
        if (!m.find()) {
            return null;
        }
        String regex = m.group(1).replace("''", "'");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "invalid regular expression " + regex + ": "
                    + e.getDescription());
        }
    }

    /** The oid in {@code <expression> = '16385'} (psql quotes oids), or -1. */
    int oidAfter(String expression) {
        Matcher m = Pattern.compile(Pattern.quote(expression) + " ?= ?'?(\\d{1,10})'?").matcher(text);
        return m.find() ? parseOid(m.group(1)) : -1;
    }

    /** The oid right after {@code prefix}, quoted or not ({@code pg_get_viewdef('16410'::pg_catalog.oid}), or -1. */
    int oidRightAfter(String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "'?(\\d{1,10})'?").matcher(text);
        return m.find() ? parseOid(m.group(1)) : -1;
    }

    private static int parseOid(String digits) {
        long oid = Long.parseLong(digits);
        return oid > Integer.MAX_VALUE ? -1 : (int) oid;
    }

    /** The aliases {@code as "Name"} / {@code AS "Name"} of the select list (before the first FROM), in order. */
    List<String> aliases() {
        int from = text.indexOf(" FROM ");
        String select = from < 0 ? text : text.substring(0, from);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?i) as \"([^\"]+)\"").matcher(select);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The characters listed in {@code c.relkind IN ('r','p','')}; null when absent. */
    String relkinds() {
        Matcher m = Pattern.compile("c\\.relkind IN \\(([^)]*)\\)").matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.group(1).replaceAll("[^A-Za-z]", "");
    }

    /**
     * The top-level select-list items between {@code SELECT } and {@code until} (commas inside parentheses and
     * quotes do not split), or null when the query does not have that shape.
     */
    List<String> selectItems(String until) {
        int end = text.indexOf(until);
        if (!text.startsWith("SELECT ") || end < 0) {
            return null;
        }
        String list = text.substring("SELECT ".length(), end);
        List<String> items = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        items.add(list.substring(start).trim());
        return items;
    }

    /** The first words of the statement, for error messages. */
    String head() {
        String[] words = text.split(" ");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(words.length, 8); i++) {
            b.append(i > 0 ? " " : "").append(words[i]);
        }
        return words.length > 8 ? b + " ..." : b.toString();
    }

    /** Whether {@code name} matches psql's pattern (null pattern: everything). */
    static boolean matches(Pattern pattern, String name) {
        return pattern == null || pattern.matcher(name).matches();
    }
}
