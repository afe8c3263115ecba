package io.phantomdb.sql.ddl;

import java.util.List;

/**
 * {@code DROP VIEW [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}; {@code cascade} records CASCADE (drop the
 * views built on these views too).
 */
public record DropView(List<String> names, boolean ifExists, boolean cascade) implements DdlStatement {
    public DropView {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("DROP VIEW needs a name");
        }
    }

    /** Without CASCADE. */
    public DropView(List<String> names, boolean ifExists) {
        this(names, ifExists, false);
    }
}
