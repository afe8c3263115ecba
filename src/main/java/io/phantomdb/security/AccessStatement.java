package io.phantomdb.security;

import java.util.List;
import java.util.Set;

/**
 * A parsed role or privilege statement ({@link AccessParser#parse}); run by {@link Security#execute}. Names
 * are normalized as identifiers (unquoted folded to lower case, quoted exact).
 */
public sealed interface AccessStatement {

    /**
     * Role attributes named in CREATE/ALTER ROLE; null fields were not named. {@code passwordGiven} with a
     * null {@code password} is {@code PASSWORD NULL} (remove the password).
     */
    record RoleOptions(Boolean login, Boolean superuser, boolean passwordGiven, String password) {
        @Override
        public String toString() { // never print a password
            return "RoleOptions[login=" + login + ", superuser=" + superuser + ", password=" + (passwordGiven ? "***" : "-") + "]";
        }
    }

    /** CREATE ROLE / CREATE USER ({@code user}: LOGIN unless NOLOGIN is named). */
    record CreateRole(String name, boolean user, RoleOptions options) implements AccessStatement {}

    /** ALTER ROLE / ALTER USER. */
    record AlterRole(String name, RoleOptions options) implements AccessStatement {}

    /** DROP ROLE / DROP USER. */
    record DropRole(List<String> names, boolean ifExists) implements AccessStatement {}

    /**
     * GRANT / REVOKE of table privileges on {@code tables}, or on every table when {@code allTablesInSchema}.
     * Grantees are role names or {@link Security#PUBLIC}.
     */
    record TableGrant(boolean grant, Set<Privilege> privileges, List<String> tables, boolean allTablesInSchema,
            List<String> grantees) implements AccessStatement {}

    /** GRANT / REVOKE of USAGE and CREATE on a schema (only {@code public} exists). */
    record SchemaGrant(boolean grant, Set<Privilege> privileges, String schema, List<String> grantees)
            implements AccessStatement {}
}
