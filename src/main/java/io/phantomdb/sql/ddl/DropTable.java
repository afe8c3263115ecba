package io.phantomdb.sql.ddl;

import java.util.List;

/**
 * {@code DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}. {@code cascade} is true for CASCADE: the
 * executor then also drops the views that depend on the tables (PostgreSQL); RESTRICT, the default, refuses
 * with 2BP01 instead.
 */
public record DropTable(List<String> names, boolean ifExists, boolean cascade) implements DdlStatement {
    public DropTable {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("DROP TABLE needs a name");
        }
    }

    /** Without CASCADE. */
    public DropTable(List<String> names, boolean ifExists) {
        this(names, ifExists, false);
    }
}
