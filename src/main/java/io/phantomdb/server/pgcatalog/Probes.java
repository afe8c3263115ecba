package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The session probes drivers and tools send: {@code SELECT version()}, {@code current_schema()},
 * {@code current_database()}, {@code current_catalog}, {@code current_user}, {@code session_user},
 * {@code user}, {@code current_role} — alone or several in one select list, each with an optional alias.
 * Anything else in the statement (FROM, WHERE, other expressions) leaves it to the SQL engine.
 */
final class Probes {
    /** Phantom-DB's version string in PostgreSQL's shape; tools parse the "PostgreSQL 15.0" prefix. */
    static final String VERSION = "PostgreSQL " + KnownSettings.SERVER_VERSION + " (Phantom-DB) on Java "
            + Runtime.version().feature() + ", 64-bit";

    private record Probe(String column, Function<PgSessionSettings, String> value) {}

    private Probes() {}

    static Optional<CatalogQuery> recognize(List<Tokens.Token> t) {
        if (t.size() < 2 || !t.get(0).is("select")) {
            return Optional.empty();
        }
        List<Probe> probes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 1;
        while (true) {
            if (i + 1 < t.size() && t.get(i).is("pg_catalog") && t.get(i + 1).is(".")) {
                i += 2;
            }
            if (i >= t.size()) {
                return Optional.empty();
            }
            Probe probe = probe(t.get(i).text());
            if (probe == null || t.get(i).kind() != Tokens.Kind.WORD) {
                return Optional.empty();
            }
            i++;
            boolean call = probe.column().equals("version") || probe.column().equals("current_schema")
                    || probe.column().equals("current_database");
            if (call) {
                if (i + 1 >= t.size() || !t.get(i).is("(") || !t.get(i + 1).is(")")) {
                    return Optional.empty();
                }
                i += 2;
            }
            String name = probe.column();
            if (i + 1 < t.size() && t.get(i).is("as") && t.get(i + 1).isName()) {
                name = t.get(i + 1).text();
                i += 2;
            }
            probes.add(probe);
            names.add(name);
            if (i == t.size()) {
                break;
            }
            if (!t.get(i).is(",")) {
                return Optional.empty();
            }
            i++;
        }
        return Optional.of(answer(probes, names));
    }

    private static CatalogQuery answer(List<Probe> probes, List<String> names) {
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(Answer.text(name));
        }
        return Answer.select(columns, (p, s) -> {
            Object[] row = new Object[probes.size()];
            for (int k = 0; k < row.length; k++) {
                row[k] = probes.get(k).value().apply(s);
            }
            return List.<Object[]>of(row);
        });
    }

    private static Probe probe(String word) {
        switch (word) {
            case "version": return new Probe("version", s -> VERSION);
            case "current_schema": return new Probe("current_schema", s -> CatalogModel.SCHEMA);
            case "current_database": return new Probe("current_database", PgSessionSettings::database);
            case "current_catalog": return new Probe("current_catalog", PgSessionSettings::database);
            case "current_user": return new Probe("current_user", PgSessionSettings::user);
            case "session_user": return new Probe("session_user", PgSessionSettings::user);
            case "user": return new Probe("user", PgSessionSettings::user);
            case "current_role": return new Probe("current_role", PgSessionSettings::user);
            default: return null;
        }
    }
}
