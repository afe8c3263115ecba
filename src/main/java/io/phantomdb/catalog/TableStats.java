package io.phantomdb.catalog;

import java.util.List;

/**
 * What ANALYZE learned about one table, for the planner's cost model (docs/decisions.md D19). Persisted next
 * to the catalog by {@link StatisticsStore}; immutable.
 *
 * @param tableId the table analyzed (a table dropped and re-created under the same name has another id, so
 *     statistics of the old one are never applied to the new one)
 * @param rows    rows counted by the scan
 * @param columns one entry per column, in column order
 * @param indexes key-prefix statistics of the primary key (index id 0) and of the secondary indexes that
 *     have two or more columns
 */
public record TableStats(int tableId, long rows, List<Column> columns, List<Index> indexes) {
    public TableStats {
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        if (rows < 0) {
            throw new IllegalArgumentException("negative row count " + rows);
        }
    }

    /**
     * @param distinct     estimated number of distinct non-null values (exact up to ANALYZE's sample limit)
     * @param nullFraction fraction of the rows where the column is NULL, in [0, 1]
     */
    public record Column(double distinct, double nullFraction) {}

    /**
     * @param indexId        0 for the primary key
     * @param columns        the key's columns when analyzed (an index dropped and re-created may reuse the id)
     * @param prefixDistinct element {@code i}: distinct values of the first {@code i + 1} key columns, over the
     *     rows where none of them is NULL
     */
    public record Index(int indexId, List<Integer> columns, List<Double> prefixDistinct) {
        public Index {
            columns = List.copyOf(columns);
            prefixDistinct = List.copyOf(prefixDistinct);
        }
    }

    /** Whether these statistics describe {@code table} (same table id and column count). */
    public boolean describes(TableDef table) {
        return table.tableId() == tableId && table.columns().size() == columns.size();
    }

    /** The prefix statistics of the key {@code indexId} over exactly {@code keyColumns}, or null. */
    public Index index(int indexId, List<Integer> keyColumns) {
        for (Index index : indexes) {
            if (index.indexId() == indexId && index.columns().equals(keyColumns)) {
                return index;
            }
        }
        return null;
    }
}
