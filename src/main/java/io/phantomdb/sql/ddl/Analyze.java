package io.phantomdb.sql.ddl;

import java.util.List;

/**
 * {@code ANALYZE [VERBOSE] [table [, ...]]}: collect the planner's statistics of the named tables, or of every
 * table when {@code tables} is empty. Not a catalog change (the catalog version stays); routed with the DDL
 * because it is a utility statement that Calcite does not parse.
 */
public record Analyze(List<String> tables) implements DdlStatement {
    public Analyze {
        tables = List.copyOf(tables);
    }
}
