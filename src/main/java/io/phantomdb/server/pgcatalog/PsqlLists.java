package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.RoleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * psql's listing commands: \d \dt \di \dv \ds \dm \dE (with + and patterns), \dn, \du / \dg, \l, and the
 * object kinds Phantom-DB has none of (\df, \dT: empty lists). Columns follow the query's own aliases.
 */
final class PsqlLists {
    private PsqlLists() {}

    static Optional<CatalogQuery> recognize(QueryText q, ModelSource source) {
        if (q.startsWith("SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN 'table'")) {
            return Optional.of(relations(q, source));
        }
        if (q.startsWith("SELECT n.nspname AS \"Name\", pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"")) {
            return Optional.of(schemas(q));
        }
        if (q.startsWith("SELECT r.rolname, r.rolsuper, r.rolinherit,") && q.contains("FROM pg_catalog.pg_roles r")) {
            return Optional.of(roles(q, source));
        }
        if (q.startsWith("SELECT d.datname as \"Name\",") && q.contains("FROM pg_catalog.pg_database d")) {
            return Optional.of(databases(q, source));
        }
        if (q.startsWith("SELECT n.nspname as \"Schema\",") && (q.contains("FROM pg_catalog.pg_proc p")
                || q.contains("FROM pg_catalog.pg_type t"))) {
            return Optional.of(Answer.empty(Answer.texts(q.aliases().toArray(new String[0]))));
        }
        return Optional.empty();
    }

    /** \d and friends: every relation of the listed kinds matching the name pattern, by schema and name. */
    private static CatalogQuery relations(QueryText q, ModelSource source) {
        String kinds = q.relkinds();
        Pattern name = q.psqlPattern("c.relname");
        Pattern schema = q.psqlPattern("n.nspname");
        List<String> aliases = q.aliases();
        for (String alias : aliases) {
            relationValue(alias, null, null);
        }
        return Answer.select(Answer.texts(aliases.toArray(new String[0])), (p, s) -> {
            CatalogModel model = source.model(s);
            List<Object[]> rows = new ArrayList<>();
            if (!QueryText.matches(schema, CatalogModel.SCHEMA)) {
                return rows;
            }
            for (CatalogModel.Relation r : model.relations()) {
                if ((kinds == null || kinds.indexOf(r.kind()) >= 0) && QueryText.matches(name, r.name())) {
                    Object[] row = new Object[aliases.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = relationValue(aliases.get(i), r, model);
                    }
                    rows.add(row);
                }
            }
            return rows;
        });
    }

    /** One column of a relation listing by its alias; with a null relation, only checks that the alias is known. */
    private static String relationValue(String alias, CatalogModel.Relation r, CatalogModel model) {
        switch (alias) {
            case "Schema": return CatalogModel.SCHEMA;
            case "Name": return r == null ? null : r.name();
            case "Type": return r == null ? null : r.typeName();
            case "Owner": return model == null ? null : model.owner(r);
            case "Table": return r == null || r.index() == null ? null : r.table().name();
            case "Persistence": return "permanent";
            case "Access method": return r == null || r.kind() == 'v' ? null : r.kind() == 'i' ? "btree" : "heap";
            case "Size": // sizes live in partitions spread over the cluster; not computed for a listing
            case "Description":
                return null;
            default:
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "psql listing column \"" + alias
                        + "\" is not supported by Phantom-DB");
        }
    }

    /** \dn: the one schema. */
    private static CatalogQuery schemas(QueryText q) {
        Pattern name = q.psqlPattern("n.nspname");
        List<String> aliases = q.aliases();
        return Answer.select(Answer.texts(aliases.toArray(new String[0])), (p, s) -> {
            if (!QueryText.matches(name, CatalogModel.SCHEMA)) {
                return List.of();
            }
            Object[] row = new Object[aliases.size()];
            row[0] = CatalogModel.SCHEMA;
            row[1] = "pg_database_owner";
            return List.<Object[]>of(row);
        });
    }

    /** \du / \dg: the roles. Superusers are shown with every attribute PostgreSQL gives them except replication. */
    private static CatalogQuery roles(QueryText q, ModelSource source) {
        Pattern name = q.psqlPattern("r.rolname");
        boolean verbose = q.contains("AS description");
        List<Column> columns = new ArrayList<>(List.of(Answer.text("rolname"), Answer.bool("rolsuper"),
                Answer.bool("rolinherit"), Answer.bool("rolcreaterole"), Answer.bool("rolcreatedb"), Answer.bool("rolcanlogin"),
                Answer.int4("rolconnlimit"), Answer.text("rolvaliduntil"), Answer.text("memberof"),
                Answer.bool("rolreplication"), Answer.bool("rolbypassrls")));
        if (verbose) {
            columns.add(Answer.text("description"));
        }
        return Answer.select(columns, (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            for (RoleInfo role : source.model(s).roles()) {
                if (QueryText.matches(name, role.name()) && !role.name().startsWith("pg_")) {
                    Object[] row = {role.name(), role.superuser(), true, role.superuser(), role.superuser(), role.login(),
                        -1, null, "{}", false, role.superuser(), null};
                    rows.add(verbose ? row : java.util.Arrays.copyOf(row, 11));
                }
            }
            return rows;
        });
    }

    /** \l: the one database, under the name the session connected with. */
    private static CatalogQuery databases(QueryText q, ModelSource source) {
        Pattern name = q.psqlPattern("d.datname");
        List<String> aliases = q.aliases();
        return Answer.select(Answer.texts(aliases.toArray(new String[0])), (p, s) -> {
            if (!QueryText.matches(name, s.database())) {
                return List.of();
            }
            CatalogModel model = source.model(s);
            Object[] row = new Object[aliases.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = databaseValue(aliases.get(i), s.database(), model.owner());
            }
            return List.<Object[]>of(row);
        });
    }

    private static String databaseValue(String alias, String database, String owner) {
        switch (alias) {
            case "Name": return database;
            case "Owner": return owner;
            case "Encoding": return "UTF8";
            case "Collate":
            case "Ctype":
                return "C";
            case "Locale Provider": return "libc";
            case "Tablespace": return "pg_default";
            default: return null;
        }
    }
}
