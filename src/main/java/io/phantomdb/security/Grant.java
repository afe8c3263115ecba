package io.phantomdb.security;

/**
 * One granted privilege, as the catalogs show it (information_schema.table_privileges, relacl): {@code role}
 * (or {@link Security#PUBLIC} for every role) may do {@code privilege} on {@code object}, a table name or, for
 * USAGE/CREATE, the schema {@code public}.
 */
public record Grant(String role, String object, Privilege privilege) {}
