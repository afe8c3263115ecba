package io.phantomdb.exec.write;

import io.phantomdb.exec.scan.TableScans.Locator;

/**
 * One row a statement inserts ({@code before == null}), deletes ({@code after == null}) or updates (both).
 * Rows hold the table's columns, of the columns' types. {@code locator} names the stored row for tables
 * without a primary key (null otherwise, and for inserts).
 */
public record RowChange(Object[] before, Object[] after, Locator locator) {
    public RowChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a change needs a before or an after image");
        }
    }

    public static RowChange insert(Object[] row) {
        return new RowChange(null, row, null);
    }
}
