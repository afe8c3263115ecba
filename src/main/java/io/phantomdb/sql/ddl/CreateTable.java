package io.phantomdb.sql.ddl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (column | table constraint, ...) [WITH (key = value, ...)]}.
 *
 * @param primaryKey        the primary key's column names in key order; empty when the table has none
 * @param uniqueConstraints each UNIQUE constraint's column names (column-level UNIQUE gives a one-column
 *                          entry); a constraint equal to the primary key or to an earlier one is dropped, as
 *                          PostgreSQL does; constraint names ({@code CONSTRAINT c}) are not kept
 * @param options           the WITH options, keys in lower case, values as written (numbers and words as
 *                          text, string literals without quotes, a key without a value as "true"), in order
 */
public record CreateTable(String name, boolean ifNotExists, List<ColumnSpec> columns, List<String> primaryKey,
        List<List<String>> uniqueConstraints, Map<String, String> options) implements DdlStatement {

    public CreateTable {
        if (name == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a name and columns");
        }
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        List<List<String>> uniques = new ArrayList<>();
        for (List<String> unique : uniqueConstraints) {
            uniques.add(List.copyOf(unique));
        }
        uniqueConstraints = List.copyOf(uniques);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
