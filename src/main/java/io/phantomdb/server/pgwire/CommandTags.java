package io.phantomdb.server.pgwire;

import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CommandComplete tags exactly as PostgreSQL writes them ({@code SELECT 3}, {@code INSERT 0 2}, {@code UPDATE 1},
 * {@code CREATE TABLE}, {@code BEGIN}, ...). A COMMIT of a failed block answers {@code ROLLBACK}, as PostgreSQL does;
 * a COMMIT that fails never gets a tag (the caller sends its ErrorResponse instead). Stateless. The HTTP completion
 * line and the local shell spell their tags here too, so every interface answers the same tag for a statement.
 */
public final class CommandTags {
    private CommandTags() {}

    /**
     * The tag of {@code statement} that completed with {@code count} (rows changed or returned) in a session whose
     * status was {@code before} when it started.
     */
    static String of(PgStatement statement, long count, SessionState.Status before) {
        return tag(statement.prepared, statement.words, count, before);
    }

    /**
     * The tag of statement {@code sql} ({@code prepared}: its plan if it had one, else null) that completed with
     * {@code count}; {@code before}: the session's status when it started (null: not known, COMMIT answers COMMIT).
     */
    public static String tag(String sql, Prepared prepared, long count, SessionState.Status before) {
        return tag(prepared, leadingWords(sql, 4), count, before);
    }

    private static String tag(Prepared p, List<String> words, long count, SessionState.Status before) {
        if (p != null && p.kind() == Prepared.Kind.EXPLAIN) {
            return "EXPLAIN";
        }
        if (p != null && p.kind() == Prepared.Kind.QUERY) {
            return "SELECT " + count;
        }
        if (p != null && p.kind() == Prepared.Kind.DML) {
            switch (p.dml().operation()) {
                case INSERT: return "INSERT 0 " + count;
                case UPDATE: return "UPDATE " + count;
                default: return "DELETE " + count;
            }
        }
        return fromWords(words, count, before);
    }

    private static String fromWords(List<String> w, long count, SessionState.Status before) {
        if (w.isEmpty()) {
            return "";
        }
        String first = w.get(0);
        String second = w.size() > 1 ? w.get(1) : "";
        switch (first) {
            case "START": return second.equals("TRANSACTION") ? "START TRANSACTION" : "START " + second;
            case "COMMIT": case "END": return before == SessionState.Status.FAILED ? "ROLLBACK" : "COMMIT";
            case "ABORT": case "ROLLBACK": return "ROLLBACK";
            case "SELECT": case "VALUES": case "WITH": case "TABLE": return "SELECT " + count;
            case "INSERT": return "INSERT 0 " + count;
            case "UPDATE": case "DELETE": return first + " " + count;
            case "CREATE": case "DROP": case "ALTER": return first + " " + objectWord(w);
            default: return first;
        }
    }

    /** The object kind after CREATE/DROP/ALTER: UNIQUE INDEX is an INDEX, OR REPLACE VIEW a VIEW, USER a ROLE. */
    private static String objectWord(List<String> w) {
        int i = 1;
        if (i < w.size() && (w.get(i).equals("UNIQUE") || w.get(i).equals("OR"))) {
            i += w.get(i).equals("OR") ? 2 : 1;
        }
        String word = i < w.size() ? w.get(i) : "";
        return word.equals("USER") ? "ROLE" : word;
    }

    /** The first {@code n} words of {@code sql} in upper case, skipping comments, whitespace and parentheses. */
    static List<String> leadingWords(String sql, int n) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < sql.length() && words.size() < n) {
            char c = sql.charAt(i);
            if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                words.add(sql.substring(i, end).toUpperCase(Locale.ROOT));
                i = end;
            } else if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && sql.startsWith("--", i) || c == '/' && sql.startsWith("/*", i)) {
                i = QuerySplitter.skip(sql, i);
            } else {
                break;
            }
        }
        return words;
    }
}
