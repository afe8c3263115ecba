package io.phantomdb.server.pgcatalog;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.ViewDef;
import io.phantomdb.security.RoleInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Phantom-DB's catalog in pg_class terms, built from one catalog snapshot: relations (tables 'r', views 'v',
 * indexes 'i', each with a stable oid) in the one schema {@code public}, the roles, and the owner shown for
 * every object.
 *
 * <p>OIDs: a table's is {@code 16384 + tableId * 256}, its primary-key index the next one, secondary index n
 * {@code + 1 + n} (so oids survive restarts and DDL of other objects, and psql's two-step \d, which looks an
 * oid up and then asks by it, finds the same object). Views have no id; theirs is derived from the name in a
 * range above every table oid. All fit a signed int (oid columns are INTEGER here).
 */
final class CatalogModel {
    static final String SCHEMA = "public";
    static final int NAMESPACE_OID = 2200;
    /** PostgreSQL's first oid for user objects. */
    private static final int FIRST_USER_OID = 16384;
    private static final int OIDS_PER_TABLE = 256;
    private static final int VIEW_OID_BASE = 1_100_000_000;
    private static final int VIEW_OID_SPAN = 1_000_000_000;

    /** A relation: a table, a view or an index ({@code index} set, {@code table} its table). */
    record Relation(int oid, String name, char kind, List<ColumnDef> columns, TableDef table, ViewDef view, Index index) {
        String typeName() {
            return kind == 'r' ? "table" : kind == 'v' ? "view" : "index";
        }
    }

    /** An index, the primary key included (as PostgreSQL shows it: {@code <table>_pkey}). */
    record Index(int oid, String name, TableDef table, List<Integer> columns, List<Boolean> descending, boolean unique,
            boolean primary, boolean constraint) {
        /** pg_get_indexdef: "CREATE UNIQUE INDEX n ON t USING btree (a, b DESC)" (public is on the search path). */
        String definition() {
            return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + ident(name) + " ON " + ident(table.name())
                    + " USING btree (" + columnList(true) + ")";
        }

        /** pg_get_constraintdef for a primary key or unique constraint, else null. */
        String constraintDefinition() {
            return primary ? "PRIMARY KEY (" + columnList(false) + ")" : constraint ? "UNIQUE (" + columnList(false) + ")" : null;
        }

        String columnList(boolean withOrder) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                parts.add(ident(table.columns().get(columns.get(i)).name()) + (withOrder && descending.get(i) ? " DESC" : ""));
            }
            return String.join(", ", parts);
        }
    }

    private final List<Relation> relations = new ArrayList<>();
    private final List<RoleInfo> roles;
    private final String owner;
    private final Function<String, Optional<String>> owners;

    /**
     * @param owners the recorded owner of a table or view by name (empty: none recorded); {@code owner()} is the
     *               fallback, and the database's owner
     */
    CatalogModel(CatalogSnapshot snapshot, List<RoleInfo> roles, String sessionUser, Function<String, Optional<String>> owners) {
        this.owners = owners;
        for (TableDef table : snapshot.tables().values()) {
            int oid = tableOid(table);
            relations.add(new Relation(oid, table.name(), 'r', table.columns(), table, null, null));
            for (Index index : indexes(table)) {
                List<ColumnDef> cols = new ArrayList<>();
                for (int c : index.columns()) {
                    cols.add(table.columns().get(c));
                }
                relations.add(new Relation(index.oid(), index.name(), 'i', cols, table, null, index));
            }
        }
        for (ViewDef view : snapshot.views().values()) {
            int oid = VIEW_OID_BASE + Math.floorMod(view.name().hashCode(), VIEW_OID_SPAN);
            relations.add(new Relation(oid, view.name(), 'v', view.columns(), null, view, null));
        }
        relations.sort(Comparator.comparing(Relation::name));
        // Before the security layer knows any role, the session's own user is the one role there is.
        this.roles = roles.isEmpty() ? List.of(new RoleInfo(10, sessionUser, true, true)) : roles;
        this.owner = this.roles.stream().filter(RoleInfo::superuser).min(Comparator.comparingInt(RoleInfo::oid))
                .map(RoleInfo::name).orElse(sessionUser);
    }

    static int tableOid(TableDef table) {
        return FIRST_USER_OID + table.tableId() * OIDS_PER_TABLE;
    }

    /** The indexes of a table in psql's order: the primary key first, then by name. */
    static List<Index> indexes(TableDef table) {
        List<Index> out = new ArrayList<>();
        int base = tableOid(table);
        if (table.hasPrimaryKey()) {
            List<Boolean> asc = new ArrayList<>();
            table.primaryKey().forEach(c -> asc.add(false));
            out.add(new Index(base + 1, table.name() + "_pkey", table, table.primaryKey(), asc, true, true, true));
        }
        List<Index> secondary = new ArrayList<>();
        for (IndexDef index : table.indexes()) {
            if (index.indexId() >= OIDS_PER_TABLE - 1) {
                throw new IllegalStateException("table " + table.name() + " has more indexes than its oid range holds");
            }
            secondary.add(new Index(base + 1 + index.indexId(), index.name(), table, index.columns(), index.descending(),
                    index.unique(), false, index.unique() && isConstraintName(table, index)));
        }
        secondary.sort(Comparator.comparing(Index::name));
        out.addAll(secondary);
        return out;
    }

    /** UNIQUE constraints of CREATE TABLE get the name {@code <table>_<columns>_key} (DdlExecutor), indexes do not. */
    private static boolean isConstraintName(TableDef table, IndexDef index) {
        List<String> names = new ArrayList<>();
        for (int c : index.columns()) {
            names.add(table.columns().get(c).name());
        }
        return index.name().equals(table.name() + "_" + String.join("_", names) + "_key");
    }

    List<Relation> relations() {
        return relations;
    }

    Relation relation(int oid) {
        for (Relation r : relations) {
            if (r.oid() == oid) {
                return r;
            }
        }
        return null;
    }

    Relation relationNamed(String name) {
        for (Relation r : relations) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    List<RoleInfo> roles() {
        return roles.stream().sorted(Comparator.comparing(RoleInfo::name)).toList();
    }

    /** The owner shown for the database and unowned relations: the first superuser (the bootstrap admin). */
    String owner() {
        return owner;
    }

    /** The owner of a relation (an index: its table's), as the security layer recorded it, else {@link #owner()}. */
    String owner(Relation relation) {
        String name = relation.kind() == 'i' ? relation.table().name() : relation.name();
        return owners.apply(name).orElse(owner);
    }

    /** Words PostgreSQL quotes in generated SQL (a practical subset of its reserved keywords). */
    private static final Set<String> RESERVED = Set.of("all", "and", "any", "as", "asc", "both", "case", "check",
            "collate", "column", "constraint", "create", "default", "desc", "distinct", "do", "else", "end", "false",
            "for", "foreign", "from", "grant", "group", "having", "in", "into", "is", "join", "leading", "limit", "not",
            "null", "offset", "on", "only", "or", "order", "primary", "references", "select", "table", "then", "to",
            "trailing", "true", "union", "unique", "user", "using", "when", "where", "with");
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** quote_ident: the name as PostgreSQL writes it in generated SQL. */
    static String ident(String name) {
        if (PLAIN.matcher(name).matches() && !RESERVED.contains(name)) {
            return name;
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
