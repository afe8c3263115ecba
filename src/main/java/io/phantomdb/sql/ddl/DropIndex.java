package io.phantomdb.sql.ddl;

import java.util.List;

/** {@code DROP INDEX [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}; {@code cascade} records CASCADE. */
public record DropIndex(List<String> names, boolean ifExists, boolean cascade) implements DdlStatement {
    public DropIndex {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("DROP INDEX needs a name");
        }
    }

    /** Without CASCADE. */
    public DropIndex(List<String> names, boolean ifExists) {
        this(names, ifExists, false);
    }
}
