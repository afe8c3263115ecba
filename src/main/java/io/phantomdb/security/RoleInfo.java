package io.phantomdb.security;

/** A role as the catalogs show it (pg_roles, \du): its oid, name and attributes. */
public record RoleInfo(int oid, String name, boolean superuser, boolean login) {}
