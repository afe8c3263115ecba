package io.phantomdb.server.http;

import io.phantomdb.sql.Prepared;
import java.util.Locale;

/**
 * The command tag of the completion line, as PostgreSQL's CommandComplete spells it: {@code SELECT n},
 * {@code INSERT 0 n}, {@code UPDATE n}, {@code DELETE n}, and the statement's leading keywords for the rest
 * ({@code CREATE TABLE}, {@code BEGIN}, {@code GRANT}).
 */
final class CommandTags {
    /** Keywords whose tag has a second word (CREATE TABLE, DROP INDEX, ...). */
    private static final java.util.Set<String> TWO_WORDS = java.util.Set.of("CREATE", "DROP", "ALTER", "START");

    private CommandTags() {}

    /** @param prepared the statement if it was preparable (queries, DML, DDL), else null */
    static String tag(String sql, Prepared prepared, long count) {
        if (prepared != null && (prepared.kind() == Prepared.Kind.QUERY || prepared.kind() == Prepared.Kind.EXPLAIN)) {
            return prepared.kind() == Prepared.Kind.EXPLAIN ? "EXPLAIN" : "SELECT " + count;
        }
        if (prepared != null && prepared.kind() == Prepared.Kind.DML) {
            switch (prepared.dml().operation()) {
                case INSERT:
                    return "INSERT 0 " + count;
                case UPDATE:
                    return "UPDATE " + count;
                default:
                    return "DELETE " + count;
            }
        }
        String[] words = sql.strip().split("\\s+", 3);
        String first = words[0].replace(";", "").toUpperCase(Locale.ROOT);
        if (words.length > 1 && TWO_WORDS.contains(first)) {
            return first + " " + words[1].replace(";", "").toUpperCase(Locale.ROOT);
        }
        return first;
    }
}
