package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.mvcc.IsolationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Transaction-control statements, parsed by hand (they are not Calcite SQL): PostgreSQL's grammar for BEGIN,
 * START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE, ROLLBACK TO, SET TRANSACTION, SET SESSION
 * CHARACTERISTICS, SET [default_]transaction_isolation and SHOW [default_]transaction_isolation (see
 * docs/transactions.md).
 */
sealed interface TransactionStatement {
    /** BEGIN / START TRANSACTION with its modes (null = not given). */
    record Begin(IsolationLevel level, Boolean readOnly) implements TransactionStatement {}

    record Commit() implements TransactionStatement {}

    record Rollback() implements TransactionStatement {}

    record Savepoint(String name) implements TransactionStatement {}

    record Release(String name) implements TransactionStatement {}

    record RollbackTo(String name) implements TransactionStatement {}

    /** SET TRANSACTION (the current transaction) or, with {@code session}, the session's default. */
    record SetModes(boolean session, IsolationLevel level, Boolean readOnly) implements TransactionStatement {}

    /** SHOW transaction_isolation (current) or default_transaction_isolation. */
    record Show(boolean sessionDefault) implements TransactionStatement {}

    /** The statement if it is one of these, empty otherwise; a malformed one fails with 42601. */
    static Optional<TransactionStatement> parse(String sql) {
        List<String> t = tokens(sql);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String first = t.get(0);
        switch (first) {
            case "begin":
                return Optional.of(begin(t, skipNoise(t, 1)));
            case "start":
                expect(t, 1, "transaction");
                return Optional.of(begin(t, 2));
            case "commit":
            case "end":
                return Optional.of(end(t, skipNoise(t, 1), new Commit()));
            case "abort":
                return Optional.of(end(t, skipNoise(t, 1), new Rollback()));
            case "rollback":
                return Optional.of(rollback(t));
            case "savepoint":
                return Optional.of(new Savepoint(name(t, 1)));
            case "release":
                return Optional.of(new Release(name(t, t.size() > 1 && t.get(1).equals("savepoint") ? 2 : 1)));
            case "set":
                return set(t);
            case "show":
                return show(t);
            default:
                return Optional.empty();
        }
    }

    private static TransactionStatement rollback(List<String> t) {
        int i = skipNoise(t, 1);
        if (i < t.size() && t.get(i).equals("to")) {
            i++;
            if (i < t.size() && t.get(i).equals("savepoint")) {
                i++;
            }
            return new RollbackTo(name(t, i));
        }
        return end(t, i, new Rollback());
    }

    private static Optional<TransactionStatement> set(List<String> t) {
        if (t.size() > 1 && t.get(1).equals("transaction")) {
            Modes m = modes(t, 2);
            return Optional.of(new SetModes(false, m.level, m.readOnly));
        }
        if (t.size() > 4 && t.get(1).equals("session") && t.get(2).equals("characteristics") && t.get(3).equals("as")
                && t.get(4).equals("transaction")) {
            Modes m = modes(t, 5);
            return Optional.of(new SetModes(true, m.level, m.readOnly));
        }
        int i = t.size() > 1 && (t.get(1).equals("session") || t.get(1).equals("local")) ? 2 : 1;
        if (i < t.size() && (t.get(i).equals("transaction_isolation") || t.get(i).equals("default_transaction_isolation"))) {
            boolean session = t.get(i).equals("default_transaction_isolation");
            i++;
            if (i < t.size() && (t.get(i).equals("to") || t.get(i).equals("="))) {
                i++;
            }
            if (i >= t.size()) {
                throw syntax("a value for " + t.get(i - 1));
            }
            StringBuilder value = new StringBuilder();
            for (int j = i; j < t.size(); j++) {
                value.append(j > i ? " " : "").append(unquote(t.get(j)));
            }
            return Optional.of(new SetModes(session, level(value.toString()), null));
        }
        return Optional.empty();
    }

    private static Optional<TransactionStatement> show(List<String> t) {
        if (t.size() == 2 && (t.get(1).equals("transaction_isolation") || t.get(1).equals("default_transaction_isolation"))) {
            return Optional.of(new Show(t.get(1).startsWith("default")));
        }
        if (t.size() == 4 && t.get(1).equals("transaction") && t.get(2).equals("isolation") && t.get(3).equals("level")) {
            return Optional.of(new Show(false));
        }
        return Optional.empty();
    }

    private static TransactionStatement begin(List<String> t, int from) {
        Modes m = modes(t, from);
        return new Begin(m.level, m.readOnly);
    }

    private static TransactionStatement end(List<String> t, int at, TransactionStatement statement) {
        if (at < t.size()) {
            throw syntax("end of statement after " + t.get(at - 1).toUpperCase(Locale.ROOT));
        }
        return statement;
    }

    /** Transaction modes: ISOLATION LEVEL x, READ ONLY, READ WRITE, [NOT] DEFERRABLE, comma-separated. */
    private static Modes modes(List<String> t, int from) {
        Modes m = new Modes();
        int i = from;
        while (i < t.size()) {
            String w = t.get(i);
            if (w.equals(",")) {
                i++;
            } else if (w.equals("isolation") && i + 1 < t.size() && t.get(i + 1).equals("level")) {
                int words = i + 2 < t.size() && t.get(i + 2).equals("serializable") ? 1 : 2;
                if (i + 2 + words > t.size()) {
                    throw syntax("an isolation level");
                }
                m.level = level(String.join(" ", t.subList(i + 2, i + 2 + words)));
                i += 2 + words;
            } else if (w.equals("read") && i + 1 < t.size() && (t.get(i + 1).equals("only") || t.get(i + 1).equals("write"))) {
                m.readOnly = t.get(i + 1).equals("only");
                i += 2;
            } else if (w.equals("deferrable")) {
                i++;
            } else if (w.equals("not") && i + 1 < t.size() && t.get(i + 1).equals("deferrable")) {
                i += 2;
            } else {
                throw syntax("a transaction mode, not \"" + w + "\"");
            }
        }
        return m;
    }

    final class Modes {
        IsolationLevel level;
        Boolean readOnly;
    }

    private static IsolationLevel level(String text) {
        IsolationLevel level = IsolationLevel.parse(text);
        if (level == null) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "unknown isolation level \"" + text.trim() + "\"");
        }
        return level;
    }

    private static int skipNoise(List<String> t, int i) {
        return i < t.size() && (t.get(i).equals("work") || t.get(i).equals("transaction")) ? i + 1 : i;
    }

    private static void expect(List<String> t, int i, String word) {
        if (i >= t.size() || !t.get(i).equals(word)) {
            throw syntax(word.toUpperCase(Locale.ROOT));
        }
    }

    private static String name(List<String> t, int i) {
        if (i != t.size() - 1) {
            throw syntax("one savepoint name");
        }
        String n = t.get(i);
        return n.startsWith("\"") ? n.substring(1, n.length() - 1) : n;
    }

    private static String unquote(String token) {
        return token.startsWith("'") && token.endsWith("'") && token.length() >= 2 ? token.substring(1, token.length() - 1) : token;
    }

    private static PhantomSqlException syntax(String expected) {
        return new PhantomSqlException(SqlState.SYNTAX_ERROR, "syntax error: expected " + expected);
    }

    /**
     * Words in lower case (quoted identifiers keep their case and quotes), quoted strings with their quotes,
     * commas and '=' as tokens; a trailing semicolon is dropped.
     */
    private static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == ',' || c == '=') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    return List.of(); // not ours; the SQL parser reports the unterminated quote
                }
                out.add(s.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && ",='\"".indexOf(s.charAt(end)) < 0) {
                    end++;
                }
                out.add(s.substring(i, end).toLowerCase(Locale.ROOT));
                i = end;
            }
        }
        return out;
    }
}
