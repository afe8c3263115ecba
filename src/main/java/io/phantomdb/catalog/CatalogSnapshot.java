package io.phantomdb.catalog;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable state of the catalog. {@code version} increases with every DDL statement, so that cached
 * plans built on an older state are recognised and rebuilt. Names are exact (already case-folded).
 */
public record CatalogSnapshot(long version, Map<String, TableDef> tables, Map<String, ViewDef> views, int lastTableId) {
    public CatalogSnapshot {
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
        views = Collections.unmodifiableMap(new TreeMap<>(views));
    }

    public static final CatalogSnapshot EMPTY = new CatalogSnapshot(0, Map.of(), Map.of(), 0);

    public TableDef table(String name) {
        return tables.get(name);
    }

    public ViewDef view(String name) {
        return views.get(name);
    }

    /** The table that owns the index, or null. Index names are unique across the schema (as in PostgreSQL). */
    public TableDef tableOfIndex(String indexName) {
        for (TableDef table : tables.values()) {
            if (table.index(indexName) != null) {
                return table;
            }
        }
        return null;
    }

    public CatalogSnapshot withTable(TableDef table) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.put(table.name(), table);
        return new CatalogSnapshot(version + 1, next, views, Math.max(lastTableId, table.tableId()));
    }

    public CatalogSnapshot withoutTable(String name) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.remove(name);
        return new CatalogSnapshot(version + 1, next, views, lastTableId);
    }

    public CatalogSnapshot withView(ViewDef view) {
        Map<String, ViewDef> next = new TreeMap<>(views);
        next.put(view.name(), view);
        return new CatalogSnapshot(version + 1, tables, next, lastTableId);
    }

    public CatalogSnapshot withoutView(String name) {
        Map<String, ViewDef> next = new TreeMap<>(views);
        next.remove(name);
        return new CatalogSnapshot(version + 1, tables, next, lastTableId);
    }
}
