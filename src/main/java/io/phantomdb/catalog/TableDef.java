package io.phantomdb.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A table: columns, primary key, secondary indexes and partition count. Immutable; DDL makes a new one.
 *
 * <p>{@code primaryKey} lists column positions; when empty the table has a hidden row id (a BIGINT
 * assigned by the partition on insert) as its key, and rows with equal values are distinct rows.
 * The partition of a row is a hash of its encoded primary key (of its row id for keyless tables).
 */
public record TableDef(int tableId, String name, List<ColumnDef> columns, List<Integer> primaryKey,
        int partitions, List<IndexDef> indexes) {

    public TableDef {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        indexes = List.copyOf(indexes);
        if (tableId <= 0 || partitions <= 0 || columns.isEmpty()) {
            throw new IllegalArgumentException("bad table definition " + name);
        }
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    /** Position of the column, or -1. */
    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    public DataType[] types() {
        DataType[] types = new DataType[columns.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = columns.get(i).type();
        }
        return types;
    }

    public IndexDef index(String indexName) {
        for (IndexDef index : indexes) {
            if (index.name().equals(indexName)) {
                return index;
            }
        }
        return null;
    }

    /** The secondary index with id {@code indexId}; it must exist. */
    public IndexDef indexById(int indexId) {
        for (IndexDef index : indexes) {
            if (index.indexId() == indexId) {
                return index;
            }
        }
        throw new IllegalArgumentException("table " + name + " has no index " + indexId);
    }

    public TableDef withIndex(IndexDef index) {
        List<IndexDef> next = new ArrayList<>(indexes);
        next.add(index);
        return new TableDef(tableId, name, columns, primaryKey, partitions, next);
    }

    public TableDef withoutIndex(String indexName) {
        List<IndexDef> next = new ArrayList<>(indexes);
        next.removeIf(i -> i.name().equals(indexName));
        return new TableDef(tableId, name, columns, primaryKey, partitions, next);
    }

    public int nextIndexId() {
        int max = 0;
        for (IndexDef index : indexes) {
            max = Math.max(max, index.indexId());
        }
        return max + 1;
    }
}
