package io.phantomdb.sql.ddl;

/**
 * One column of a CREATE INDEX. NULLs sort as in PostgreSQL: last when ascending, first when descending
 * (the parser rejects the other two NULLS FIRST/LAST combinations).
 */
public record IndexColumn(String name, boolean descending) {
    public IndexColumn {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("index column needs a name");
        }
    }
}
