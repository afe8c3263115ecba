package io.phantomdb.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * A privilege that GRANT gives and REVOKE takes back. The first four are table privileges; USAGE and CREATE
 * are privileges on the schema {@code public} (the only schema). The names are stored (docs/formats/security.md):
 * never rename a constant.
 */
public enum Privilege {
    SELECT, INSERT, UPDATE, DELETE, USAGE, CREATE;

    /** What {@code GRANT ALL ON TABLE} gives, in PostgreSQL's order. */
    public static final Set<Privilege> TABLE = EnumSet.of(SELECT, INSERT, UPDATE, DELETE);
    /** What {@code GRANT ALL ON SCHEMA} gives. */
    public static final Set<Privilege> SCHEMA = EnumSet.of(USAGE, CREATE);

    public boolean onTable() {
        return TABLE.contains(this);
    }
}
