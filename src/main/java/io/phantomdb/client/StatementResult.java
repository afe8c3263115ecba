package io.phantomdb.client;

import io.phantomdb.Column;
import io.phantomdb.Row;
import java.util.List;

/**
 * A whole statement's outcome, as a shell shows it: its result columns (empty for statements without rows), its
 * rows up to the limit the caller gave, and PostgreSQL's command tag ({@code SELECT 3}, {@code INSERT 0 1},
 * {@code BEGIN}); {@code cut} when more rows existed than the limit (the rest were not read: the server's scan was
 * cancelled, and no tag arrived).
 */
public record StatementResult(List<Column> columns, List<Row> rows, String tag, boolean cut) {
    public StatementResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
