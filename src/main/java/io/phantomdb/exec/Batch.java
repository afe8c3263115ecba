package io.phantomdb.exec;

import java.util.List;

/**
 * The element that flows through a query's stream stages: a run of rows, never a single row, so that the
 * per-element cost of a stage (a demand signal, a function call) is paid once per batch.
 *
 * <p>A row is an {@code Object[]} in column order whose values follow {@link io.phantomdb.catalog.DataType}'s
 * class invariant. Ownership: a stage may not mutate the rows of a batch it received (another stage may
 * still hold them); it builds new arrays instead. A batch is never empty.
 */
public record Batch(List<Object[]> rows) {
    public Batch {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a batch is never empty");
        }
    }

    public static Batch of(List<Object[]> rows) {
        return new Batch(List.copyOf(rows));
    }

    public int size() {
        return rows.size();
    }
}
