package io.phantomdb.catalog;

import java.util.List;

/**
 * A view: its query text, expanded at planning time, and the columns it had when created (names and
 * types are fixed at CREATE VIEW, as in PostgreSQL, so a view's shape does not drift when tables change).
 */
public record ViewDef(String name, String querySql, List<ColumnDef> columns) {
    public ViewDef {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("view " + name + " has no columns");
        }
    }
}
