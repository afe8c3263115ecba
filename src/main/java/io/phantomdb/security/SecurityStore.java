package io.phantomdb.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.codec.KeyCodec;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of an {@link AccessSnapshot} in the system partition, beside the catalog (which skips these
 * kinds): one JSON value per key, every key two components as the catalog's (docs/formats/security.md):
 * <pre>
 *   ("role", name)            RoleRecord   {oid, name, superuser, login, verifier}
 *   ("acl", object name)      ObjectAcl    {tableId, owner, grants: {role: [privilege...]}}
 *   ("schema-acl", "public")  ObjectAcl    grants on the schema
 *   ("role-meta", "last-oid") int          the last role oid handed out
 * </pre>
 * Stateless; writes are ordered by {@link Security}.
 */
final class SecurityStore {
    static final String ROLE = "role";
    static final String ACL = "acl";
    static final String SCHEMA_ACL = "schema-acl";
    static final String META = "role-meta";
    static final String LAST_OID = "last-oid";
    static final String SCHEMA = "public";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecurityStore() {}

    /** Reads the stored roles and grants; the system partition must be running on this node. */
    static AccessSnapshot load(PartitionRegistry registry) {
        Engine engine = registry.engine(PartitionId.SYSTEM)
                .orElseThrow(() -> new IllegalStateException("the system partition is not running"));
        Map<String, RoleRecord> roles = new HashMap<>();
        Map<String, ObjectAcl> objects = new HashMap<>();
        ObjectAcl schema = AccessSnapshot.DEFAULT_SCHEMA_ACL;
        int lastOid = AccessSnapshot.FIRST_NORMAL_OID - 1;
        try (KvIterator it = engine.scan(null, null, Long.MAX_VALUE, false)) {
            while (it.next()) {
                List<Object> key = KeyCodec.decode(it.key(), new boolean[2]);
                Object kind = key.get(0);
                if (ROLE.equals(kind)) {
                    RoleRecord role = JSON.readValue(it.value(), RoleRecord.class);
                    roles.put(role.name(), role);
                } else if (ACL.equals(kind)) {
                    objects.put((String) key.get(1), JSON.readValue(it.value(), ObjectAcl.class));
                } else if (SCHEMA_ACL.equals(kind) && SCHEMA.equals(key.get(1))) {
                    schema = JSON.readValue(it.value(), ObjectAcl.class);
                } else if (META.equals(kind) && LAST_OID.equals(key.get(1))) {
                    lastOid = JSON.readValue(it.value(), Integer.class);
                }
            }
        } catch (IOException e) {
            throw new PhantomSqlException(SqlState.DATA_CORRUPTED, "roles and privileges cannot be read: " + e.getMessage(), e);
        }
        for (RoleRecord r : roles.values()) {
            lastOid = Math.max(lastOid, r.oid());
        }
        return new AccessSnapshot(roles, objects, schema, lastOid);
    }

    /** The mutations that turn the stored {@code before} into {@code after}. */
    static List<Mutation> diff(AccessSnapshot before, AccessSnapshot after) {
        List<Mutation> out = new java.util.ArrayList<>();
        before.roles().keySet().stream().filter(n -> !after.roles().containsKey(n))
                .forEach(n -> out.add(new Mutation.Delete(KeyCodec.encode(ROLE, n))));
        after.roles().forEach((n, r) -> {
            if (!r.equals(before.roles().get(n))) {
                out.add(new Mutation.Put(KeyCodec.encode(ROLE, n), json(r)));
            }
        });
        before.objects().keySet().stream().filter(n -> !after.objects().containsKey(n))
                .forEach(n -> out.add(new Mutation.Delete(KeyCodec.encode(ACL, n))));
        after.objects().forEach((n, acl) -> {
            if (!acl.equals(before.objects().get(n))) {
                out.add(new Mutation.Put(KeyCodec.encode(ACL, n), json(acl)));
            }
        });
        if (!after.schema().equals(before.schema())) {
            out.add(new Mutation.Put(KeyCodec.encode(SCHEMA_ACL, SCHEMA), json(after.schema())));
        }
        if (after.lastOid() != before.lastOid()) {
            out.add(new Mutation.Put(KeyCodec.encode(META, LAST_OID), json(after.lastOid())));
        }
        return out;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("security record not serializable: " + value.getClass(), e);
        }
    }
}
