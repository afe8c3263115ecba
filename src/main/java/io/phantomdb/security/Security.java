package io.phantomdb.security;

import io.phantomdb.catalog.Catalog;
import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.txn.mvcc.AsyncRwLock;
import io.phantomdb.txn.mvcc.Timestamps;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's roles and privileges (docs/security.md). The interfaces authenticate through it; SQL sessions of a
 * role check their privileges through it; role and privilege statements change it.
 *
 * <p>Concurrency: readers take the current {@link AccessSnapshot} (a volatile read of an immutable value), so
 * any number of connections check privileges without locking. Changes run one at a time (a bounded queue,
 * {@code phantom.security.statement-queue-max}): each computes the next snapshot from the current one, stores
 * the difference durably in the system partition and only then makes it current - a crash never leaves a
 * grant visible that was not stored, and a refused statement stores nothing.
 */
public final class Security {
    /** The grantee that stands for every role (GRANT ... TO PUBLIC). */
    public static final String PUBLIC = "public";
    /** Length of the generated bootstrap password: 24 characters of 62 are ~143 bits. */
    static final int GENERATED_PASSWORD_LENGTH = 24;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Logger LOG = LoggerFactory.getLogger(Security.class);

    private final PartitionClient partitions;
    private final Catalog catalog;
    private final Timestamps timestamps;
    private final SecuritySettings settings;
    private final AsyncRwLock changes;
    private volatile AccessSnapshot current;

    private Security(PartitionClient partitions, Catalog catalog, Timestamps timestamps, SecuritySettings settings,
            AccessSnapshot initial) {
        this.partitions = partitions;
        this.catalog = catalog;
        this.timestamps = timestamps;
        this.settings = settings;
        this.changes = new AsyncRwLock(settings.statementQueueMax());
        this.current = initial;
    }

    /** Loads the stored roles and grants; the system partition must be running. Call {@link #bootstrap} next. */
    public static Security load(PartitionRegistry registry, PartitionClient partitions, Catalog catalog,
            Timestamps timestamps, SecuritySettings settings) {
        return new Security(partitions, catalog, timestamps, settings, SecurityStore.load(registry));
    }

    /**
     * When no role exists yet (the first start), creates {@code admin-user} as a SUPERUSER LOGIN role with
     * {@code admin-password}, or with a random password printed once to {@code console} when that is empty.
     * Completes with true when it created the role; later starts find it and do nothing.
     */
    public CompletionStage<Boolean> bootstrap(PrintStream console) {
        boolean generated = settings.adminPassword().isEmpty();
        String password = generated ? generatedPassword() : settings.adminPassword();
        return change(before -> {
            if (!before.roles().isEmpty()) {
                return before;
            }
            String verifier = ScramVerifier.create(password, settings.scramIterations()).encoded();
            AccessSnapshot next = before.withRole(new RoleRecord(AccessSnapshot.BOOTSTRAP_OID, settings.adminUser(),
                    true, true, verifier));
            // Keep the normal oid range, and store the public schema's default ACL explicitly.
            return new AccessSnapshot(next.roles(), next.objects(), AccessSnapshot.DEFAULT_SCHEMA_ACL,
                    AccessSnapshot.FIRST_NORMAL_OID - 1);
        }).thenApply(created -> {
            if (created) { // printed only once the role is durable: a lost write must not show a dead password
                if (generated) {
                    console.println("Phantom-DB: created superuser '" + settings.adminUser() + "' with password '"
                            + password + "' \u2014 store it now, it is not shown again");
                    console.flush();
                }
                LOG.info("created the bootstrap superuser '{}' ({} password)", settings.adminUser(),
                        generated ? "generated, printed once to stdout" : "from phantom.security.admin-password");
            }
            return created;
        });
    }

    private static String generatedPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(GENERATED_PASSWORD_LENGTH);
        for (int i = 0; i < GENERATED_PASSWORD_LENGTH; i++) {
            out.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------ authentication

    public SecuritySettings settings() {
        return settings;
    }

    /** How pgwire and HTTP check clients ({@code phantom.security.authentication}). */
    public AuthenticationMethod authenticationMethod() {
        return settings.authentication();
    }

    /** The verifier of a role that may log in and has a password; empty otherwise (unknown, NOLOGIN, no password). */
    public Optional<ScramVerifier> loginVerifier(String role) {
        RoleRecord r = current.role(role);
        if (r == null || !r.login() || r.verifier() == null) {
            return Optional.empty();
        }
        return Optional.of(ScramVerifier.parse(r.verifier()));
    }

    /** True when {@code role} may log in and {@code password} is its password (HTTP Basic, over TLS). */
    public boolean authenticate(String role, String password) {
        return password != null && loginVerifier(role).map(v -> v.matches(password)).orElse(false);
    }

    /** True when {@code role} exists and has LOGIN (all TRUST authentication asks). */
    public boolean canLogin(String role) {
        RoleRecord r = current.role(role);
        return r != null && r.login();
    }

    // ------------------------------------------------------------------------------------ catalogs

    /** Every role, by oid, for pg_roles and \du. */
    public List<RoleInfo> roles() {
        List<RoleInfo> out = new ArrayList<>();
        current.roles().values().forEach(r -> out.add(r.info()));
        out.sort(Comparator.comparingInt(RoleInfo::oid));
        return out;
    }

    public Optional<RoleInfo> role(String name) {
        return Optional.ofNullable(current.role(name)).map(RoleRecord::info);
    }

    public boolean isSuperuser(String role) {
        return current.superuser(role);
    }

    /** The bootstrap superuser (owner of what the embedded API creates); empty before {@link #bootstrap}. */
    public Optional<String> bootstrapRole() {
        return Optional.ofNullable(current.bootstrapRole());
    }

    /** The owner of a table or view; empty when it has none recorded (then only superusers may use it). */
    public Optional<String> owner(String object) {
        ObjectAcl acl = current.acl(object, catalog.current());
        return acl == null ? Optional.empty() : Optional.ofNullable(acl.owner());
    }

    /** Every table grant (not the owners' implicit privileges), ordered by table, role, privilege. */
    public List<Grant> grants() {
        AccessSnapshot snapshot = current;
        CatalogSnapshot tables = catalog.current();
        List<Grant> out = new ArrayList<>();
        snapshot.objects().forEach((object, acl) -> {
            if (snapshot.acl(object, tables) != null) {
                acl.grants().forEach((role, privileges) -> privileges.forEach(p -> out.add(new Grant(role, object, p))));
            }
        });
        out.sort(Comparator.comparing(Grant::object).thenComparing(Grant::role).thenComparing(Grant::privilege));
        return out;
    }

    /** Every grant on the schema {@code public} (USAGE, CREATE), ordered by role, privilege. */
    public List<Grant> schemaGrants() {
        List<Grant> out = new ArrayList<>();
        current.schema().grants().forEach((role, privileges) ->
                privileges.forEach(p -> out.add(new Grant(role, SecurityStore.SCHEMA, p))));
        out.sort(Comparator.comparing(Grant::role).thenComparing(Grant::privilege));
        return out;
    }

    // ------------------------------------------------------------------------------------ checks

    /**
     * True when {@code role} may do {@code privilege} on the table {@code table}: a superuser, or USAGE on the
     * schema and (ownership, or the privilege granted to the role or to PUBLIC).
     */
    public boolean hasTablePrivilege(String role, String table, Privilege privilege) {
        AccessSnapshot snapshot = current;
        if (snapshot.superuser(role)) {
            return true;
        }
        if (snapshot.role(role) == null || !hasSchemaPrivilege(snapshot, role, Privilege.USAGE)) {
            return false;
        }
        ObjectAcl acl = snapshot.acl(table, catalog.current());
        return acl != null && (role.equals(acl.owner()) || acl.of(role).contains(privilege)
                || acl.of(PUBLIC).contains(privilege));
    }

    /** True when {@code role} is a superuser or holds {@code privilege} (USAGE, CREATE) on the schema public. */
    public boolean hasSchemaPrivilege(String role, Privilege privilege) {
        AccessSnapshot snapshot = current;
        return snapshot.superuser(role) || (snapshot.role(role) != null && hasSchemaPrivilege(snapshot, role, privilege));
    }

    private static boolean hasSchemaPrivilege(AccessSnapshot snapshot, String role, Privilege privilege) {
        return snapshot.schema().of(role).contains(privilege) || snapshot.schema().of(PUBLIC).contains(privilege);
    }

    /** Throws 42501 unless {@code role} may do {@code privilege} on every one of {@code tables}. */
    public void checkTables(String role, Collection<String> tables, Privilege privilege) {
        for (String table : tables) {
            if (!hasTablePrivilege(role, table, privilege)) {
                if (!isSuperuser(role) && !hasSchemaPrivilege(role, Privilege.USAGE)) {
                    throw denied("schema", SecurityStore.SCHEMA);
                }
                throw denied("table", table);
            }
        }
    }

    /** Throws 42501 unless {@code role} is a superuser or holds {@code privilege} on the schema public. */
    public void checkSchema(String role, Privilege privilege) {
        if (!hasSchemaPrivilege(role, privilege)) {
            throw denied("schema", SecurityStore.SCHEMA);
        }
    }

    /** True when {@code role} is a superuser, or owns the table or view {@code object} and may use the schema. */
    public boolean owns(String role, String object) {
        return isSuperuser(role) || (role != null && role.equals(owner(object).orElse(null))
                && hasSchemaPrivilege(role, Privilege.USAGE));
    }

    /** Throws 42501 unless {@code role} is a superuser or owns the table or view {@code object}. */
    public void checkOwner(String role, String object, String kind) {
        if (!owns(role, object)) {
            throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be owner of " + kind + " " + object);
        }
    }

    /** Throws 42501 unless {@code role} is a superuser. */
    public void checkSuperuser(String role, String what) {
        if (!isSuperuser(role)) {
            throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: only superusers may " + what);
        }
    }

    static PhantomSqlException denied(String kind, String name) {
        return new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for " + kind + " " + name);
    }

    // ------------------------------------------------------------------------------------ changes

    /**
     * Runs a role or privilege statement as {@code role} (null: the embedded API's implicit superuser).
     * Completes with 0, or fails (changing nothing) with 42501, 42704, 42710, 42P01, ...
     */
    public CompletionStage<Long> execute(String role, AccessStatement statement) {
        return change(before -> new AccessExecutor(before, catalog.current(), role, settings.scramIterations())
                .apply(statement)).thenApply(changed -> 0L);
    }

    /**
     * Records {@code owner} as the owner of the new table or view {@code name} (table id, or -1 for a view),
     * replacing any ACL a former object of that name left. The DDL executor calls it before publishing the
     * catalog change, under its DDL lock.
     */
    public CompletionStage<Void> objectCreated(String name, int tableId, String owner) {
        return change(before -> before.withAcl(name, new ObjectAcl(tableId, owner, Map.of()))).thenApply(c -> null);
    }

    /** The table id a new view's ACL carries. */
    public static int viewId() {
        return ObjectAcl.VIEW_ID;
    }

    /** Forgets owner and grants of dropped tables or views (after the catalog dropped them). */
    public CompletionStage<Void> objectsDropped(Collection<String> names) {
        return change(before -> {
            AccessSnapshot next = before;
            for (String name : names) {
                next = next.withAcl(name, null);
            }
            return next;
        }).thenApply(c -> null);
    }

    /** Computes, stores and publishes one change, one at a time; true when something changed. */
    private CompletionStage<Boolean> change(UnaryOperator<AccessSnapshot> compute) {
        return changes.withExclusive(() -> {
            AccessSnapshot before = current;
            AccessSnapshot next;
            try {
                next = compute.apply(before);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            List<Mutation> mutations = SecurityStore.diff(before, next);
            if (mutations.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            long ts = timestamps.beginCommit();
            return partitions.write(PartitionId.SYSTEM, mutations, ts)
                    .whenComplete((v, e) -> timestamps.endCommit(ts))
                    .thenApply(v -> {
                        current = next;
                        return true;
                    });
        }, "phantom.security.statement-queue-max");
    }
}
