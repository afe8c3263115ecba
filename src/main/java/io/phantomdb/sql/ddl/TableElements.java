package io.phantomdb.sql.ddl;

import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the columns and constraints of one CREATE TABLE while it is parsed, and checks them as PostgreSQL
 * does once the list is complete (a table constraint may name a column defined after it): duplicate column
 * names (42701), key columns that do not exist (42703) or appear twice in one key (42701), more than one
 * primary key (42P17).
 */
final class TableElements {

    /** A column name as written in a key, with its token for the error position. */
    record KeyColumn(String name, Token token) {}

    private final String table;
    private final TokenCursor cursor;
    private final Map<String, ColumnSpec> columns = new LinkedHashMap<>();
    private List<KeyColumn> primaryKey = List.of();
    private final List<List<KeyColumn>> uniques = new ArrayList<>();

    TableElements(String table, TokenCursor cursor) {
        this.table = table;
        this.cursor = cursor;
    }

    void addColumn(ColumnSpec column, Token nameToken) {
        if (columns.putIfAbsent(column.name(), column) != null) {
            throw cursor.error(SqlState.DUPLICATE_COLUMN, "column \"" + column.name() + "\" specified more than once",
                    nameToken);
        }
    }

    /** @param at the PRIMARY token, for the error position of a second primary key */
    void setPrimaryKey(List<KeyColumn> key, Token at) {
        if (!primaryKey.isEmpty()) {
            throw cursor.error(SqlState.INVALID_OBJECT_DEFINITION,
                    "multiple primary keys for table \"" + table + "\" are not allowed", at);
        }
        checkDistinct(key, "primary key");
        primaryKey = List.copyOf(key);
    }

    void addUnique(List<KeyColumn> key) {
        checkDistinct(key, "unique");
        uniques.add(List.copyOf(key));
    }

    /** The statement, after the checks that need every column. */
    CreateTable build(boolean ifNotExists, Map<String, String> options, Token tableToken) {
        if (columns.isEmpty()) {
            throw cursor.error(SqlState.FEATURE_NOT_SUPPORTED, "a table must have at least one column", tableToken);
        }
        List<String> key = names(primaryKey);
        List<ColumnSpec> specs = new ArrayList<>();
        for (ColumnSpec column : columns.values()) {
            // PRIMARY KEY implies NOT NULL, also when declared as a table constraint.
            specs.add(key.contains(column.name()) ? column.withNotNull() : column);
        }
        List<List<String>> uniqueNames = new ArrayList<>();
        for (List<KeyColumn> unique : uniques) {
            List<String> names = names(unique);
            // PostgreSQL drops a UNIQUE constraint that repeats the primary key or another UNIQUE constraint.
            if (!names.equals(key) && !uniqueNames.contains(names)) {
                uniqueNames.add(names);
            }
        }
        return new CreateTable(table, ifNotExists, specs, key, uniqueNames, options);
    }

    private void checkDistinct(List<KeyColumn> key, String kind) {
        Set<String> seen = new HashSet<>();
        for (KeyColumn column : key) {
            if (!seen.add(column.name())) {
                throw cursor.error(SqlState.DUPLICATE_COLUMN,
                        "column \"" + column.name() + "\" appears twice in " + kind + " constraint", column.token());
            }
        }
    }

    private List<String> names(List<KeyColumn> key) {
        List<String> names = new ArrayList<>();
        for (KeyColumn column : key) {
            if (!columns.containsKey(column.name())) {
                throw cursor.error(SqlState.UNDEFINED_COLUMN,
                        "column \"" + column.name() + "\" named in key does not exist", column.token());
            }
            names.add(column.name());
        }
        return names;
    }
}
