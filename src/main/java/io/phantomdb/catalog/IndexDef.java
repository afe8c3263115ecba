package io.phantomdb.catalog;

import java.util.List;

/**
 * A secondary index of a table: its entries live in the row's partition (DESIGN.md "Partitions") under
 * keys {@code (tableId, indexId, indexed values..., primary key values...)}, so an entry always names
 * its row and one partition's index is updated in the same WAL record as its rows.
 *
 * @param indexId    1..n within the table (0 is the primary index, the rows themselves)
 * @param columns    positions of the indexed columns in the table
 * @param descending per indexed column, whether it sorts descending
 */
public record IndexDef(int indexId, String name, List<Integer> columns, List<Boolean> descending, boolean unique) {
    public IndexDef {
        if (indexId <= 0 || columns.isEmpty() || columns.size() != descending.size()) {
            throw new IllegalArgumentException("bad index definition " + name);
        }
        columns = List.copyOf(columns);
        descending = List.copyOf(descending);
    }

    /** Whether {@code row} has a NULL in an indexed column (such entries never conflict in a UNIQUE index). */
    public boolean hasNullIn(Object[] row) {
        for (int column : columns) {
            if (row[column] == null) {
                return true;
            }
        }
        return false;
    }
}
