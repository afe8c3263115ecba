package io.phantomdb.security;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Owner and grants of one table or view, stored under {@code ("acl", name)} (docs/formats/security.md), like
 * PostgreSQL's relowner and relacl. {@code tableId} ties the record to one incarnation of the name: a record
 * whose table id is not the catalog's (left over after a crash between DROP TABLE and the ACL delete) is
 * ignored. Views have {@link #VIEW_ID}. Immutable.
 *
 * @param grants role (or {@link Security#PUBLIC}) -> its privileges on the object
 */
record ObjectAcl(int tableId, String owner, Map<String, Set<Privilege>> grants) {
    static final int VIEW_ID = -1;

    ObjectAcl {
        Map<String, Set<Privilege>> copy = new HashMap<>();
        if (grants != null) {
            grants.forEach((role, privileges) -> {
                if (!privileges.isEmpty()) {
                    copy.put(role, Set.copyOf(privileges));
                }
            });
        }
        grants = Map.copyOf(copy);
    }

    Set<Privilege> of(String role) {
        return grants.getOrDefault(role, Set.of());
    }

    /** This ACL with {@code privileges} added to ({@code grant}) or taken from {@code role}'s. */
    ObjectAcl change(String role, Set<Privilege> privileges, boolean grant) {
        Map<String, Set<Privilege>> next = new HashMap<>(grants);
        Set<Privilege> held = EnumSet.noneOf(Privilege.class);
        held.addAll(of(role));
        if (grant) {
            held.addAll(privileges);
        } else {
            held.removeAll(privileges);
        }
        next.put(role, held);
        return new ObjectAcl(tableId, owner, next);
    }

    /** This ACL without any grant to {@code role} (DROP ROLE). */
    ObjectAcl without(String role) {
        Map<String, Set<Privilege>> next = new HashMap<>(grants);
        next.remove(role);
        return new ObjectAcl(tableId, owner, next);
    }
}
