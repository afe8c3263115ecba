package io.phantomdb.security;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.AccessStatement.AlterRole;
import io.phantomdb.security.AccessStatement.CreateRole;
import io.phantomdb.security.AccessStatement.DropRole;
import io.phantomdb.security.AccessStatement.RoleOptions;
import io.phantomdb.security.AccessStatement.SchemaGrant;
import io.phantomdb.security.AccessStatement.TableGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes the {@link AccessSnapshot} a role or privilege statement leads to, checking everything first: the
 * caller stores the result only when this returns, so a refused statement changes nothing. Pure (no I/O) apart
 * from deriving SCRAM verifiers.
 *
 * <p>Who may do what: role DDL needs a superuser, except that any role may change its own password (as in
 * PostgreSQL); GRANT/REVOKE on a table needs its owner or a superuser; on the schema, a superuser.
 */
final class AccessExecutor {
    private final AccessSnapshot before;
    private final CatalogSnapshot catalog;
    private final String actor;
    private final boolean actorIsSuperuser;
    private final int scramIterations;

    /** {@code actor}: the session's role; null is the embedded API's implicit superuser. */
    AccessExecutor(AccessSnapshot before, CatalogSnapshot catalog, String actor, int scramIterations) {
        this.before = before;
        this.catalog = catalog;
        this.actor = actor;
        this.actorIsSuperuser = actor == null || before.superuser(actor);
        this.scramIterations = scramIterations;
    }

    AccessSnapshot apply(AccessStatement statement) {
        if (statement instanceof CreateRole s) {
            return create(s);
        }
        if (statement instanceof AlterRole s) {
            return alter(s);
        }
        if (statement instanceof DropRole s) {
            return drop(s);
        }
        if (statement instanceof TableGrant s) {
            return grantOnTables(s);
        }
        if (statement instanceof SchemaGrant s) {
            return grantOnSchema(s);
        }
        throw new IllegalArgumentException("unknown access statement " + statement);
    }

    // ------------------------------------------------------------------------------------ roles

    private AccessSnapshot create(CreateRole s) {
        requireSuperuser("create role");
        checkName(s.name());
        if (before.role(s.name()) != null) {
            throw new PhantomSqlException(SqlState.DUPLICATE_OBJECT, "role \"" + s.name() + "\" already exists");
        }
        RoleOptions o = s.options();
        boolean login = o.login() != null ? o.login() : s.user();
        boolean superuser = o.superuser() != null && o.superuser();
        String verifier = o.passwordGiven() ? verifier(o.password()) : null;
        return before.withRole(new RoleRecord(before.lastOid() + 1, s.name(), superuser, login, verifier));
    }

    private AccessSnapshot alter(AlterRole s) {
        RoleRecord role = existing(s.name());
        RoleOptions o = s.options();
        boolean ownPasswordOnly = s.name().equals(actor) && o.login() == null && o.superuser() == null;
        if (!ownPasswordOnly) {
            requireSuperuser("alter role");
        }
        boolean superuser = o.superuser() != null ? o.superuser() : role.superuser();
        if (role.oid() == AccessSnapshot.BOOTSTRAP_OID && !superuser) {
            throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "the bootstrap superuser \"" + role.name()
                    + "\" must keep the SUPERUSER attribute");
        }
        boolean login = o.login() != null ? o.login() : role.login();
        String verifier = o.passwordGiven() ? verifier(o.password()) : role.verifier();
        return before.withRole(role.with(superuser, login, verifier));
    }

    private AccessSnapshot drop(DropRole s) {
        requireSuperuser("drop role");
        AccessSnapshot next = before;
        for (String name : s.names()) {
            RoleRecord role = next.role(name);
            if (role == null) {
                if (s.ifExists()) {
                    continue;
                }
                throw undefinedRole(name);
            }
            if (name.equals(actor)) {
                throw new PhantomSqlException(SqlState.OBJECT_IN_USE, "current user cannot be dropped");
            }
            if (role.oid() == AccessSnapshot.BOOTSTRAP_OID) {
                throw new PhantomSqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop role \"" + name
                        + "\" because it is required by the database system");
            }
            List<String> owned = ownedBy(next, name);
            if (!owned.isEmpty()) {
                throw new PhantomSqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "role \"" + name
                        + "\" cannot be dropped because some objects depend on it: owner of " + String.join(", ", owned));
            }
            next = withoutGrantsTo(next.withoutRole(name), name);
        }
        return next;
    }

    private List<String> ownedBy(AccessSnapshot snapshot, String role) {
        List<String> owned = new ArrayList<>();
        snapshot.objects().forEach((object, acl) -> {
            if (role.equals(acl.owner()) && snapshot.acl(object, catalog) != null) {
                owned.add(object);
            }
        });
        owned.sort(null);
        return owned;
    }

    /** A dropped role's grants go with it (PostgreSQL refuses until they are revoked: docs/security.md). */
    private static AccessSnapshot withoutGrantsTo(AccessSnapshot snapshot, String role) {
        AccessSnapshot next = snapshot;
        for (Map.Entry<String, ObjectAcl> e : snapshot.objects().entrySet()) {
            if (!e.getValue().of(role).isEmpty()) {
                next = next.withAcl(e.getKey(), e.getValue().without(role));
            }
        }
        return next.withSchema(next.schema().without(role));
    }

    private String verifier(String password) {
        if (password == null) {
            return null;
        }
        if (password.isEmpty()) {
            // PostgreSQL: "empty string is not a valid password, clearing password" - no one can log in with it.
            return null;
        }
        if (password.startsWith("SCRAM-SHA-256$")) { // already a verifier (pg_dumpall output): stored as given
            try {
                return ScramVerifier.parse(password).encoded();
            } catch (IllegalArgumentException e) {
                // not a well-formed verifier: it is the password itself
            }
        }
        try {
            return ScramVerifier.create(password, scramIterations).encoded();
        } catch (IllegalArgumentException e) { // SASLprep (RFC 4013) refuses control and unassigned characters
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                    "the password contains characters SCRAM-SHA-256 cannot use (RFC 4013): choose another");
        }
    }

    // ------------------------------------------------------------------------------------ grants

    private AccessSnapshot grantOnTables(TableGrant s) {
        List<String> tables = s.allTablesInSchema() ? allTables() : s.tables();
        List<String> grantees = grantees(s.grantees());
        AccessSnapshot next = before;
        for (String name : tables) {
            TableDef table = catalog.table(name);
            if (table == null) {
                if (catalog.view(name) != null) {
                    throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "privileges on views are not supported: \""
                            + name + "\" is a view; grant on the tables it reads (docs/security.md)");
                }
                throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
            }
            ObjectAcl acl = next.acl(name, catalog);
            if (!actorIsSuperuser && (acl == null || !actor.equals(acl.owner()))) {
                throw Security.denied("table", name);
            }
            if (acl == null) { // a table created before roles existed: the grant gives it an ACL, owned by nobody
                acl = new ObjectAcl(table.tableId(), null, Map.of());
            }
            for (String grantee : grantees) {
                acl = acl.change(grantee, s.privileges(), s.grant());
            }
            next = next.withAcl(name, acl);
        }
        return next;
    }

    private List<String> allTables() {
        List<String> names = new ArrayList<>(catalog.tables().keySet());
        names.sort(null);
        return names;
    }

    private AccessSnapshot grantOnSchema(SchemaGrant s) {
        AccessParser.requirePublic(s.schema());
        for (Privilege p : s.privileges()) {
            if (p.onTable()) {
                throw new PhantomSqlException(SqlState.INVALID_GRANT_OPERATION, "invalid privilege type " + p + " for schema");
            }
        }
        if (!actorIsSuperuser) {
            throw Security.denied("schema", s.schema());
        }
        ObjectAcl acl = before.schema();
        for (String grantee : grantees(s.grantees())) {
            acl = acl.change(grantee, s.privileges(), s.grant());
        }
        return before.withSchema(acl);
    }

    private List<String> grantees(List<String> names) {
        for (String name : names) {
            if (!name.equals(Security.PUBLIC)) {
                existing(name);
            }
        }
        return names;
    }

    // ------------------------------------------------------------------------------------ helpers

    private RoleRecord existing(String name) {
        RoleRecord role = before.role(name);
        if (role == null) {
            throw undefinedRole(name);
        }
        return role;
    }

    private static PhantomSqlException undefinedRole(String name) {
        return new PhantomSqlException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
    }

    private void requireSuperuser(String what) {
        if (!actorIsSuperuser) {
            throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied to " + what
                    + ": only superusers may (docs/security.md)");
        }
    }

    static void checkName(String name) {
        if (name.equals(Security.PUBLIC) || name.startsWith("pg_")) {
            throw new PhantomSqlException(SqlState.RESERVED_NAME, "role name \"" + name + "\" is reserved");
        }
        if (name.isEmpty() || name.length() > SecuritySettings.ROLE_NAME_LENGTH_MAX) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "a role name must have 1 to "
                    + SecuritySettings.ROLE_NAME_LENGTH_MAX + " characters");
        }
    }
}
