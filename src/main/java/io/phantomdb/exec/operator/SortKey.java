package io.phantomdb.exec.operator;

/**
 * One ORDER BY key: the input column, its direction and where its NULLs go. The NULL placement is explicit (not
 * derived from the direction) because the SQL layer resolves PostgreSQL's default (ASC NULLS LAST, DESC NULLS
 * FIRST) and any explicit NULLS FIRST/LAST before it builds the plan.
 */
public record SortKey(int column, boolean descending, boolean nullsFirst) {
    public SortKey {
        if (column < 0) {
            throw new IllegalArgumentException("sort column must be >= 0: " + column);
        }
    }

    /** ASC with PostgreSQL's default NULLS LAST. */
    public static SortKey ascending(int column) {
        return new SortKey(column, false, false);
    }

    /** DESC with PostgreSQL's default NULLS FIRST. */
    public static SortKey descending(int column) {
        return new SortKey(column, true, true);
    }
}
