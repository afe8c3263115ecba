package io.phantomdb.sql.ddl;

/**
 * A parsed catalog statement (CREATE/DROP of a table, index or view) or ANALYZE, as returned by
 * {@link DdlParser#parse}.
 * Names are already normalized by PostgreSQL's rules (unquoted folded to lower case, quoted kept exactly).
 * Parsing checks syntax and everything decidable from the statement alone (duplicate columns, primary key
 * columns that exist, two primary keys); checks against the catalog (does the table exist?) are the
 * executor's.
 */
public sealed interface DdlStatement
        permits CreateTable, DropTable, CreateIndex, DropIndex, CreateView, DropView, Analyze {
}
