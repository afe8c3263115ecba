package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SET / RESET / SHOW of session settings, and {@code SELECT set_config(...)} / {@code current_setting(...)}.
 * Leaves alone what the SQL layer owns: transaction control (SET TRANSACTION, SET SESSION CHARACTERISTICS,
 * [default_]transaction_isolation), roles (SET ROLE, SET SESSION AUTHORIZATION) and SET CONSTRAINTS.
 */
final class SettingStatements {
    /** Words after SET/SHOW/RESET [SESSION|LOCAL] that belong to another layer. */
    private static final Set<String> NOT_OURS = Set.of("transaction", "transaction_isolation",
            "default_transaction_isolation", "characteristics", "role", "authorization", "constraints");

    private SettingStatements() {}

    static Optional<CatalogQuery> recognize(List<Tokens.Token> t) {
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Tokens.Token first = t.get(0);
        if (first.is("set")) {
            return set(t);
        }
        if (first.is("reset")) {
            return reset(t);
        }
        if (first.is("show")) {
            return show(t);
        }
        if (first.is("select")) {
            return functions(t);
        }
        return Optional.empty();
    }

    private static Optional<CatalogQuery> set(List<Tokens.Token> t) {
        int i = 1;
        if (i < t.size() && (t.get(i).is("session") || t.get(i).is("local")) && i + 1 < t.size()
                && !t.get(i + 1).is("=") && !t.get(i + 1).is("to")) {
            i++;
        }
        if (i >= t.size() || NOT_OURS.contains(t.get(i).text())) {
            return Optional.empty();
        }
        String name;
        if (t.get(i).is("time") && i + 1 < t.size() && t.get(i + 1).is("zone")) {
            name = "TimeZone";
            i += 2;
        } else if (t.get(i).is("schema") || t.get(i).is("names")) {
            name = t.get(i).is("schema") ? "search_path" : "client_encoding";
            i++;
        } else {
            name = t.get(i++).text();
            if (i < t.size() && (t.get(i).is("to") || t.get(i).is("="))) {
                i++;
            } else {
                throw syntax("SET " + name + " needs TO or = and a value");
            }
        }
        String value = value(t, i, name);
        return Optional.of(new Answer(List.of(), List.of(), (p, s) -> {
            if (value == null) {
                s.reset(name);
            } else {
                s.set(name, value);
            }
            return new CatalogResult(List.of(), "SET");
        }));
    }

    /** The value list of SET (comma-separated, joined by ", " as PostgreSQL shows lists); null for DEFAULT/LOCAL. */
    private static String value(List<Tokens.Token> t, int i, String name) {
        if (i >= t.size()) {
            throw syntax("SET " + name + " needs a value");
        }
        if (i == t.size() - 1 && (t.get(i).is("default") || (t.get(i).is("local") && name.equals("TimeZone")))) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        boolean expectValue = true;
        for (int j = i; j < t.size(); j++) {
            Tokens.Token tok = t.get(j);
            if (expectValue) {
                if (tok.kind() == Tokens.Kind.SYMBOL && tok.is("-") && j + 1 < t.size()
                        && t.get(j + 1).kind() == Tokens.Kind.NUMBER) {
                    parts.add("-" + t.get(++j).text());
                } else if (tok.kind() == Tokens.Kind.SYMBOL || tok.kind() == Tokens.Kind.PARAM) {
                    throw syntax("unexpected \"" + tok.text() + "\" in the value of " + name);
                } else if (tok.kind() == Tokens.Kind.QUOTED) {
                    parts.add("\"" + tok.text() + "\"");
                } else {
                    parts.add(tok.text());
                }
            } else if (!tok.is(",")) {
                throw syntax("unexpected \"" + tok.text() + "\" in the value of " + name);
            }
            expectValue = !expectValue;
        }
        if (expectValue) {
            throw syntax("SET " + name + " ends with a comma");
        }
        return String.join(", ", parts);
    }

    private static Optional<CatalogQuery> reset(List<Tokens.Token> t) {
        if (t.size() == 2 && t.get(1).is("all")) {
            return Optional.of(new Answer(List.of(), List.of(), (p, s) -> {
                s.resetAll();
                return new CatalogResult(List.of(), "RESET");
            }));
        }
        String name;
        if (t.size() == 3 && t.get(1).is("time") && t.get(2).is("zone")) {
            name = "TimeZone";
        } else if (t.size() == 2 && t.get(1).isName() && !NOT_OURS.contains(t.get(1).text())) {
            name = t.get(1).text();
        } else {
            return Optional.empty();
        }
        return Optional.of(new Answer(List.of(), List.of(), (p, s) -> {
            s.reset(name);
            return new CatalogResult(List.of(), "RESET");
        }));
    }

    private static Optional<CatalogQuery> show(List<Tokens.Token> t) {
        if (t.size() == 2 && t.get(1).is("all")) {
            List<Column> columns = Answer.texts("name", "setting", "description");
            return Optional.of(new Answer(columns, List.of(), (p, s) -> new CatalogResult(s.all(), "SHOW")));
        }
        String name;
        if (t.size() == 3 && t.get(1).is("time") && t.get(2).is("zone")) {
            name = "TimeZone";
        } else if (t.size() == 2 && t.get(1).isName() && !NOT_OURS.contains(t.get(1).text())) {
            name = t.get(1).text();
        } else {
            return Optional.empty();
        }
        String header = KnownSettings.known(name) ? KnownSettings.lookup(name).name() : name;
        return Optional.of(new Answer(List.of(Answer.text(header)), List.of(),
                (p, s) -> new CatalogResult(List.<Object[]>of(new Object[] {s.get(name)}), "SHOW")));
    }

    /** SELECT [pg_catalog.]set_config(name, value, is_local) | current_setting(name) [AS alias]. */
    private static Optional<CatalogQuery> functions(List<Tokens.Token> t) {
        int i = 1;
        if (i + 1 < t.size() && t.get(i).is("pg_catalog") && t.get(i + 1).is(".")) {
            i += 2;
        }
        if (i >= t.size() || !(t.get(i).is("set_config") || t.get(i).is("current_setting"))) {
            return Optional.empty();
        }
        String function = t.get(i).text();
        int arity = function.equals("set_config") ? 3 : 1;
        List<Tokens.Token> args = new ArrayList<>();
        int j = arguments(t, i + 1, args);
        if (j < 0 || args.size() != arity) {
            return Optional.empty();
        }
        String alias = function;
        if (j + 1 < t.size() && t.get(j).is("as") && t.get(j + 1).isName()) {
            alias = t.get(j + 1).text();
            j += 2;
        } else if (j < t.size() && t.get(j).isName()) {
            alias = t.get(j++).text();
        }
        if (j != t.size()) {
            return Optional.empty();
        }
        return Optional.of(call(function, args, alias));
    }

    /** Parses "(a, b, c)" from {@code t[i]}; returns the index after ")" or -1. Args are literals or $n. */
    private static int arguments(List<Tokens.Token> t, int i, List<Tokens.Token> args) {
        if (i >= t.size() || !t.get(i).is("(")) {
            return -1;
        }
        i++;
        while (i < t.size()) {
            Tokens.Token a = t.get(i);
            if (a.kind() != Tokens.Kind.STRING && a.kind() != Tokens.Kind.PARAM && !a.is("true") && !a.is("false")) {
                return -1;
            }
            args.add(a);
            i++;
            if (i < t.size() && t.get(i).is(")")) {
                return i + 1;
            }
            if (i >= t.size() || !t.get(i).is(",")) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static CatalogQuery call(String function, List<Tokens.Token> args, String alias) {
        List<DataType> params = new ArrayList<>();
        for (Tokens.Token a : args) {
            if (a.kind() == Tokens.Kind.PARAM) {
                if (Integer.parseInt(a.text()) != params.size() + 1) {
                    throw syntax("parameters of " + function + " must be $1, $2, ... in order");
                }
                params.add(a == args.get(args.size() - 1) && args.size() == 3 ? DataType.BOOLEAN : DataType.VARCHAR);
            }
        }
        return Answer.select(List.of(Answer.text(alias)), params, (p, s) -> {
            String name = argument(args.get(0), p);
            if (function.equals("current_setting")) {
                return List.<Object[]>of(new Object[] {s.get(name)});
            }
            String value = argument(args.get(1), p);
            if (Boolean.parseBoolean(argument(args.get(2), p))) {
                // is_local = true lasts until the transaction ends; this layer does not see transactions.
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                        "set_config(..., true) (transaction-local settings) is not supported; use false");
            }
            return List.<Object[]>of(new Object[] {s.set(name, value)});
        });
    }

    private static String argument(Tokens.Token a, Object[] parameters) {
        if (a.kind() == Tokens.Kind.PARAM) {
            Object v = parameters[Integer.parseInt(a.text()) - 1];
            if (v == null) {
                throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "set_config/current_setting arguments may not be NULL");
            }
            return String.valueOf(v);
        }
        return a.text();
    }

    private static PhantomSqlException syntax(String message) {
        return new PhantomSqlException(SqlState.SYNTAX_ERROR, message);
    }
}
