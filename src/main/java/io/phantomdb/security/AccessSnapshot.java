package io.phantomdb.security;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.TableDef;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Roles, object ACLs and the schema ACL at one moment: immutable, swapped whole by {@link Security} after the
 * change it describes is durable (as {@link io.phantomdb.catalog.Catalog} does with its snapshots).
 *
 * @param roles   by name
 * @param objects ACL of each table or view, by object name (possibly stale: see {@link #acl})
 * @param schema  grants on the schema {@code public} (its owner field is unused)
 * @param lastOid the last role oid handed out (oids are never reused)
 */
record AccessSnapshot(Map<String, RoleRecord> roles, Map<String, ObjectAcl> objects, ObjectAcl schema, int lastOid) {
    /** The bootstrap superuser's oid, as PostgreSQL's BOOTSTRAP_SUPERUSERID. */
    static final int BOOTSTRAP_OID = 10;
    /** Oids of roles created by SQL start here (PostgreSQL's FirstNormalObjectId). */
    static final int FIRST_NORMAL_OID = 16384;
    /** PostgreSQL 15's default for the public schema: every role may use it; nobody but its owner may create. */
    static final ObjectAcl DEFAULT_SCHEMA_ACL = new ObjectAcl(0, null, Map.of(Security.PUBLIC, Set.of(Privilege.USAGE)));

    AccessSnapshot {
        roles = Map.copyOf(roles);
        objects = Map.copyOf(objects);
    }

    static AccessSnapshot empty() {
        return new AccessSnapshot(Map.of(), Map.of(), DEFAULT_SCHEMA_ACL, FIRST_NORMAL_OID - 1);
    }

    RoleRecord role(String name) {
        return name == null ? null : roles.get(name);
    }

    boolean superuser(String name) {
        RoleRecord r = role(name);
        return r != null && r.superuser();
    }

    /** The bootstrap superuser's name (owner of objects created by the embedded API), or null. */
    String bootstrapRole() {
        for (RoleRecord r : roles.values()) {
            if (r.oid() == BOOTSTRAP_OID) {
                return r.name();
            }
        }
        return null;
    }

    /**
     * The ACL of the table or view {@code name} as the catalog has it now; null when the object does not exist
     * or was created without one (then only superusers may use it).
     */
    ObjectAcl acl(String name, CatalogSnapshot catalog) {
        ObjectAcl acl = objects.get(name);
        if (acl == null) {
            return null;
        }
        TableDef table = catalog.table(name);
        if (table != null) {
            return acl.tableId() == table.tableId() ? acl : null;
        }
        return catalog.view(name) != null && acl.tableId() == ObjectAcl.VIEW_ID ? acl : null;
    }

    AccessSnapshot withRole(RoleRecord role) {
        Map<String, RoleRecord> next = new HashMap<>(roles);
        next.put(role.name(), role);
        return new AccessSnapshot(next, objects, schema, Math.max(lastOid, role.oid()));
    }

    AccessSnapshot withoutRole(String name) {
        Map<String, RoleRecord> next = new HashMap<>(roles);
        next.remove(name);
        return new AccessSnapshot(next, objects, schema, lastOid);
    }

    AccessSnapshot withAcl(String object, ObjectAcl acl) {
        Map<String, ObjectAcl> next = new HashMap<>(objects);
        if (acl == null) {
            next.remove(object);
        } else {
            next.put(object, acl);
        }
        return new AccessSnapshot(roles, next, schema, lastOid);
    }

    AccessSnapshot withSchema(ObjectAcl acl) {
        return new AccessSnapshot(roles, objects, acl, lastOid);
    }
}
