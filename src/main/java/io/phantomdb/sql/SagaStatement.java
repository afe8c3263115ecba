package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.coordinator.SagaStep;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The saga statements, parsed by hand like {@link TransactionStatement} (they are not Calcite SQL); grammar and
 * meaning in docs/sagas.md:
 *
 * <pre>
 *   CREATE [OR REPLACE] SAGA [IF NOT EXISTS] name ( STEP step AS 'sql' [COMPENSATE 'sql'] [, ...] )
 *   DROP SAGA [IF EXISTS] name
 *   START SAGA name [ID value] [WITH ( value [, ...] )]      value: literal | $n
 *   SHOW SAGAS
 * </pre>
 *
 * Names are identifiers (folded to lower case unless "quoted"); statement texts are string literals with
 * {@code ''} for a quote. A text that does not begin with one of these keyword pairs is not a saga statement
 * ({@link #parse} is empty); one that does but is malformed fails with 42601 and the error's position.
 */
sealed interface SagaStatement {

    record Create(String name, List<SagaStep> steps, boolean orReplace, boolean ifNotExists) implements SagaStatement {}

    record Drop(String name, boolean ifExists) implements SagaStatement {}

    /** @param id the saga id, or null for a generated one */
    record Start(String name, Value id, List<Value> arguments) implements SagaStatement {}

    record Show() implements SagaStatement {}

    /** A literal ({@code parameter == 0}) or a reference to the statement's parameter {@code $parameter}. */
    record Value(Object literal, int parameter) {
        Object resolve(Object[] parameters) {
            if (parameter == 0) {
                return literal;
            }
            if (parameter > parameters.length) {
                throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                        "no value for parameter $" + parameter + " (" + parameters.length + " given)");
            }
            return parameters[parameter - 1];
        }
    }

    /** Whether {@code sql} begins like a saga statement (then {@link #parse} claims it, or fails with 42601). */
    static boolean recognizes(String sql) {
        Cursor c = new Cursor(sql);
        return c.acceptWords("create", "saga") || c.acceptWords("create", "or", "replace", "saga")
                || c.acceptWords("drop", "saga") || c.acceptWords("start", "saga") || c.acceptWords("show", "sagas");
    }

    static Optional<SagaStatement> parse(String sql) {
        Cursor c = new Cursor(sql);
        if (c.acceptWords("create", "saga") || c.acceptWords("create", "or", "replace", "saga")) {
            return Optional.of(create(c, c.tokens.get(1).text.equals("or")));
        } else if (c.acceptWords("drop", "saga")) {
            boolean ifExists = c.acceptWords("if", "exists");
            String name = c.name("a saga name");
            c.expectEnd();
            return Optional.of(new Drop(name, ifExists));
        } else if (c.acceptWords("start", "saga")) {
            return Optional.of(start(c));
        } else if (c.acceptWords("show", "sagas")) {
            c.expectEnd();
            return Optional.of(new Show());
        }
        return Optional.empty();
    }

    private static Create create(Cursor c, boolean orReplace) {
        boolean ifNotExists = c.acceptWords("if", "not", "exists");
        if (orReplace && ifNotExists) {
            throw c.error("a saga name (OR REPLACE and IF NOT EXISTS do not go together)");
        }
        String name = c.name("a saga name");
        c.expect("(");
        List<SagaStep> steps = new ArrayList<>();
        Set<String> stepNames = new HashSet<>();
        do {
            Token at = c.peek();
            c.expectWord("step");
            String step = c.name("a step name");
            if (!stepNames.add(step)) {
                throw new PhantomSqlException(SqlState.INVALID_OBJECT_DEFINITION,
                        "step name \"" + step + "\" appears twice in saga \"" + name + "\"", at.start + 1, null);
            }
            c.expectWord("as");
            String sql = c.string("the step's statement, in single quotes");
            String compensation = c.acceptWords("compensate") ? c.string("the compensating statement, in single quotes")
                    : null;
            steps.add(new SagaStep(step, sql, compensation));
        } while (c.accept(","));
        c.expect(")");
        c.expectEnd();
        return new Create(name, List.copyOf(steps), orReplace, ifNotExists);
    }

    private static Start start(Cursor c) {
        String name = c.name("a saga name");
        Value id = c.acceptWords("id") ? c.value() : null;
        List<Value> arguments = new ArrayList<>();
        if (c.acceptWords("with")) {
            c.expect("(");
            if (!c.accept(")")) {
                do {
                    arguments.add(c.value());
                } while (c.accept(","));
                c.expect(")");
            }
        }
        c.expectEnd();
        return new Start(name, id, List.copyOf(arguments));
    }

    /** The canonical text of a definition (what phantom_sagas stores; {@link #parse} reads it back). */
    static String render(String name, List<SagaStep> steps) {
        StringBuilder out = new StringBuilder("CREATE SAGA ").append(identifier(name)).append(" (");
        for (int i = 0; i < steps.size(); i++) {
            SagaStep step = steps.get(i);
            out.append(i > 0 ? ", " : "").append("STEP ").append(identifier(step.name())).append(" AS ")
                    .append(quote(step.sql()));
            if (step.compensates()) {
                out.append(" COMPENSATE ").append(quote(step.compensation()));
            }
        }
        return out.append(')').toString();
    }

    private static String identifier(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String quote(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /**
     * The statements of a step's text, split at semicolons outside literals, quoted identifiers and comments;
     * empty ones (a trailing semicolon) are dropped.
     */
    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(text, i);
                i = end < 0 ? text.length() : end;
            } else if (text.startsWith("--", i)) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else {
                if (c == ';') {
                    addStatement(out, text.substring(from, i));
                    from = i + 1;
                }
                i++;
            }
        }
        addStatement(out, text.substring(from));
        return out;
    }

    private static void addStatement(List<String> out, String statement) {
        if (!statement.isBlank()) {
            out.add(statement.strip());
        }
    }

    /** The index after the quoted text starting at {@code i} (doubled quotes stay inside), or -1 if unterminated. */
    private static int closingQuote(String text, int i) {
        char quote = text.charAt(i);
        int j = i + 1;
        while (j < text.length()) {
            if (text.charAt(j) == quote) {
                if (j + 1 < text.length() && text.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ lexing

    enum Kind { WORD, QUOTED, STRING, NUMBER, PARAMETER, SYMBOL, END, BAD }

    /** @param text WORD: lower case; QUOTED and STRING: unescaped content; otherwise the source text */
    record Token(Kind kind, String text, int start) {}

    /** Tokens of the whole statement with a read position; errors carry 1-based positions. */
    final class Cursor {
        final List<Token> tokens;
        int at;

        Cursor(String sql) {
            this.tokens = lex(sql);
        }

        Token peek() {
            return tokens.get(at);
        }

        /** Consumes {@code words} if the next tokens are exactly these unquoted words. */
        boolean acceptWords(String... words) {
            for (int i = 0; i < words.length; i++) {
                Token t = tokens.get(Math.min(at + i, tokens.size() - 1));
                if (t.kind != Kind.WORD || !t.text.equals(words[i])) {
                    return false;
                }
            }
            at += words.length;
            return true;
        }

        void expectWord(String word) {
            if (!acceptWords(word)) {
                throw error(word.toUpperCase(Locale.ROOT));
            }
        }

        boolean accept(String symbol) {
            if (peek().kind == Kind.SYMBOL && peek().text.equals(symbol)) {
                at++;
                return true;
            }
            return false;
        }

        void expect(String symbol) {
            if (!accept(symbol)) {
                throw error("\"" + symbol + "\"");
            }
        }

        String name(String what) {
            Token t = peek();
            if (t.kind != Kind.WORD && t.kind != Kind.QUOTED || t.text.isEmpty()) {
                throw error(what);
            }
            at++;
            return t.text;
        }

        String string(String what) {
            Token t = peek();
            if (t.kind != Kind.STRING) {
                throw error(what);
            }
            if (t.text.isBlank()) {
                throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "syntax error: a statement text is empty",
                        t.start + 1, null);
            }
            at++;
            return t.text;
        }

        /** A literal (number, 'string', TRUE, FALSE, NULL, optionally signed number) or $n. */
        Value value() {
            Token t = peek();
            boolean negative = false;
            if (t.kind == Kind.SYMBOL && (t.text.equals("-") || t.text.equals("+"))) {
                negative = t.text.equals("-");
                at++;
                t = peek();
                if (t.kind != Kind.NUMBER) {
                    throw error("a number after the sign");
                }
            }
            at++;
            switch (t.kind) {
                case NUMBER:
                    try {
                        return new Value(number(negative ? "-" + t.text : t.text), 0);
                    } catch (NumberFormatException e) {
                        at--;
                        throw error("a number");
                    }
                case STRING:
                    return new Value(t.text, 0);
                case PARAMETER:
                    return new Value(null, parameterNumber(t));
                case WORD:
                    if (t.text.equals("null")) {
                        return new Value(null, 0);
                    } else if (t.text.equals("true") || t.text.equals("false")) {
                        return new Value(Boolean.valueOf(t.text), 0);
                    }
                    break;
                default:
                    break;
            }
            at--;
            throw error("a value (a number, a 'string', TRUE, FALSE, NULL or $n)");
        }

        void expectEnd() {
            if (peek().kind != Kind.END) {
                throw error("end of statement");
            }
        }

        PhantomSqlException error(String expected) {
            Token t = peek();
            String found = t.kind == Kind.END ? "end of statement" : t.kind == Kind.BAD ? t.text : "\"" + t.text + "\"";
            return new PhantomSqlException(SqlState.SYNTAX_ERROR, "syntax error at " + found + ": expected " + expected,
                    t.start + 1, null);
        }

        private int parameterNumber(Token t) {
            try {
                int n = Integer.parseInt(t.text.substring(1));
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            at--;
            throw error("a parameter number from $1");
        }
    }

    /** Integer literals become Integer when they fit (as JDBC binds them), else Long; others BigDecimal. */
    private static Object number(String text) {
        if (text.matches("-?\\d+")) {
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                return new BigDecimal(text);
            }
            // (Object) casts: a conditional of Integer and Long would unbox both and box the result as a Long.
            return value == (int) value ? (Object) Integer.valueOf((int) value) : (Object) Long.valueOf(value);
        }
        return new BigDecimal(text);
    }

    private static List<Token> lex(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl;
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i);
                if (end < 0) {
                    out.add(new Token(Kind.BAD, "an unterminated quoted text", i));
                    break;
                }
                String body = sql.substring(i + 1, end - 1).replace("" + c + c, "" + c);
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, body, i));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, end).toLowerCase(Locale.ROOT), i));
                i = end;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int end = i;
                while (end < n && (Character.isDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, end), i));
                i = end;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                out.add(new Token(Kind.PARAMETER, sql.substring(i, end), i));
                i = end;
            } else if (c == ';' && sql.substring(i + 1).isBlank()) {
                i = n; // one trailing semicolon ends the statement
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                i++;
            }
        }
        out.add(new Token(Kind.END, "", n));
        return out;
    }
}
