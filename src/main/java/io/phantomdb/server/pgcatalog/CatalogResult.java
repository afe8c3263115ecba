package io.phantomdb.server.pgcatalog;

import java.util.List;

/**
 * What a claimed statement produced: its rows (each value exactly its column's {@code DataType.javaClass()},
 * or null) and the command tag the wire layer sends in CommandComplete ("SELECT 3", "SET", "SHOW").
 */
public record CatalogResult(List<Object[]> rows, String commandTag) {
    public CatalogResult {
        rows = List.copyOf(rows);
    }

    /** The result of a query: its rows and the tag {@code SELECT <count>}. */
    static CatalogResult select(List<Object[]> rows) {
        return new CatalogResult(rows, "SELECT " + rows.size());
    }
}
