package io.phantomdb.sql.ddl;

import java.util.List;

/**
 * {@code CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(column, ...)] AS query}. {@code querySql} is the raw
 * text of the query (from its first token to its last, trailing semicolons removed); it is parsed by the
 * query parser, not here. IF NOT EXISTS is an extension (SQLite has it, PostgreSQL does not) and cannot be
 * combined with OR REPLACE.
 *
 * @param columnNames the explicit column names, empty if none were given
 */
public record CreateView(String name, boolean ifNotExists, boolean orReplace, List<String> columnNames,
        String querySql) implements DdlStatement {
    public CreateView {
        columnNames = List.copyOf(columnNames);
        if (name == null || querySql == null || querySql.isBlank()) {
            throw new IllegalArgumentException("a view needs a name and a query");
        }
    }
}
