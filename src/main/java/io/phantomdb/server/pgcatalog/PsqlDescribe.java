package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * psql's {@code \d name} / {@code \d+ name}: the oid lookup by pattern, then the per-oid queries (relation
 * flags, columns, indexes, index details, view definition), and the ones Phantom-DB answers with no rows
 * because it has no such objects (policies, extended statistics, publications, inheritance).
 */
final class PsqlDescribe {
    private PsqlDescribe() {}

    static Optional<CatalogQuery> recognize(QueryText q, ModelSource source) {
        if (q.startsWith("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n")) {
            return Optional.of(lookup(q, source));
        }
        if (q.startsWith("SELECT c.relchecks, c.relkind, c.relhasindex,")) {
            return Optional.of(relationFlags(q.oidAfter("WHERE c.oid"), source));
        }
        if (q.startsWith("SELECT a.attname,") && q.contains("FROM pg_catalog.pg_attribute a WHERE a.attrelid")) {
            return Optional.of(PsqlColumns.columns(q, source));
        }
        if (q.startsWith("SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid,")) {
            return Optional.of(indexes(q.oidAfter("WHERE c.oid"), source));
        }
        if (q.startsWith("SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,")) {
            return Optional.of(indexDetails(q.oidAfter("c.oid"), source));
        }
        if (q.startsWith("SELECT pg_catalog.pg_get_viewdef(")) {
            return Optional.of(viewDefinition(q.oidRightAfter("pg_get_viewdef("), source));
        }
        return empties(q);
    }

    /** Catalogs of objects Phantom-DB does not have: answered with no rows, with psql's column count. */
    private static Optional<CatalogQuery> empties(QueryText q) {
        if (q.contains("FROM pg_catalog.pg_policy pol")) {
            return Optional.of(Answer.empty(Answer.texts("polname", "polpermissive", "array_to_string", "pg_get_expr",
                    "pg_get_expr", "cmd")));
        }
        if (q.contains("FROM pg_catalog.pg_statistic_ext")) {
            return Optional.of(Answer.empty(Answer.texts("oid", "stxrelid", "nsp", "stxname", "columns", "ndist_enabled",
                    "deps_enabled", "mcv_enabled", "stxstattarget")));
        }
        if (q.startsWith("SELECT pubname")) {
            return Optional.of(Answer.empty(Answer.texts("pubname", "?column?", "?column?")));
        }
        if (q.contains("FROM pg_catalog.pg_rewrite r WHERE r.ev_class")) {
            return Optional.of(Answer.empty(Answer.texts("rulename", "btrim")));
        }
        if (q.contains("FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i WHERE c.oid = i.inhparent")) {
            return Optional.of(Answer.empty(Answer.texts("oid")));
        }
        if (q.contains("FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i WHERE c.oid = i.inhrelid")) {
            return Optional.of(Answer.empty(Answer.texts("oid", "relkind", "inhdetachpending", "pg_get_expr")));
        }
        return Optional.empty();
    }

    private static CatalogQuery lookup(QueryText q, ModelSource source) {
        Pattern name = q.psqlPattern("c.relname");
        Pattern schema = q.psqlPattern("n.nspname");
        return Answer.select(List.of(Answer.int4("oid"), Answer.text("nspname"), Answer.text("relname")), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            if (QueryText.matches(schema, CatalogModel.SCHEMA)) {
                for (CatalogModel.Relation r : source.model(s).relations()) {
                    if (QueryText.matches(name, r.name())) {
                        rows.add(new Object[] {r.oid(), CatalogModel.SCHEMA, r.name()});
                    }
                }
            }
            return rows;
        });
    }

    /** The relation with this oid, or 42P01 (it was dropped between psql's lookup and this query). */
    static CatalogModel.Relation relation(CatalogModel model, int oid) {
        CatalogModel.Relation r = oid < 0 ? null : model.relation(oid);
        if (r == null) {
            throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "relation with OID " + oid + " does not exist");
        }
        return r;
    }

    /** The 15 flags psql reads first (relchecks, relkind, relhasindex, ...). */
    private static CatalogQuery relationFlags(int oid, ModelSource source) {
        List<Column> columns = List.of(Answer.int2("relchecks"), Answer.text("relkind"), Answer.bool("relhasindex"),
                Answer.bool("relhasrules"), Answer.bool("relhastriggers"), Answer.bool("relrowsecurity"),
                Answer.bool("relforcerowsecurity"), Answer.bool("relhasoids"), Answer.bool("relispartition"),
                Answer.text("?column?"), Answer.int4("reltablespace"), Answer.text("reloftype"), Answer.text("relpersistence"),
                Answer.text("relreplident"), Answer.text("amname"));
        return Answer.select(columns, (p, s) -> {
            CatalogModel.Relation r = relation(source.model(s), oid);
            boolean hasIndex = r.kind() == 'r' && !CatalogModel.indexes(r.table()).isEmpty();
            String am = r.kind() == 'r' ? "heap" : r.kind() == 'i' ? "btree" : null;
            // relhasrules is false for views too: psql would otherwise list rules Phantom-DB does not have.
            return List.<Object[]>of(new Object[] {(short) 0, String.valueOf(r.kind()), hasIndex, false, false, false, false,
                false, false, "", 0, "", "p", "d", am});
        });
    }

    /** A table's indexes: name, flags, pg_get_indexdef, constraint definition and type (psql's "Indexes:"). */
    private static CatalogQuery indexes(int oid, ModelSource source) {
        List<Column> columns = List.of(Answer.text("relname"), Answer.bool("indisprimary"), Answer.bool("indisunique"),
                Answer.bool("indisclustered"), Answer.bool("indisvalid"), Answer.text("pg_get_indexdef"),
                Answer.text("pg_get_constraintdef"), Answer.text("contype"), Answer.bool("condeferrable"),
                Answer.bool("condeferred"), Answer.bool("indisreplident"), Answer.int4("reltablespace"));
        return Answer.select(columns, (p, s) -> {
            CatalogModel.Relation r = relation(source.model(s), oid);
            List<Object[]> rows = new ArrayList<>();
            if (r.kind() != 'r') {
                return rows;
            }
            for (CatalogModel.Index index : CatalogModel.indexes(r.table())) {
                String contype = index.primary() ? "p" : index.constraint() ? "u" : null;
                rows.add(new Object[] {index.name(), index.primary(), index.unique(), false, true, index.definition(),
                    index.constraintDefinition(), contype, contype == null ? null : false, contype == null ? null : false,
                    false, 0});
            }
            return rows;
        });
    }

    /** \d of an index: its flags, access method and table (psql's footer "primary key, btree, for table ..."). */
    private static CatalogQuery indexDetails(int oid, ModelSource source) {
        List<Column> columns = List.of(Answer.bool("indisunique"), Answer.bool("indisprimary"), Answer.bool("indisclustered"),
                Answer.bool("indisvalid"), Answer.bool("condeferrable"), Answer.bool("condeferred"),
                Answer.bool("indisreplident"), Answer.bool("indnullsnotdistinct"), Answer.text("amname"),
                Answer.text("relname"), Answer.text("pg_get_expr"));
        return Answer.select(columns, (p, s) -> {
            CatalogModel.Relation r = relation(source.model(s), oid);
            if (r.index() == null) {
                return List.of();
            }
            CatalogModel.Index index = r.index();
            return List.<Object[]>of(new Object[] {index.unique(), index.primary(), false, true, false, false, false, false,
                "btree", index.table().name(), null});
        });
    }

    private static CatalogQuery viewDefinition(int oid, ModelSource source) {
        return Answer.select(List.of(Answer.text("pg_get_viewdef")), (p, s) -> {
            CatalogModel.Relation r = relation(source.model(s), oid);
            return List.<Object[]>of(new Object[] {r.view() == null ? null : " " + r.view().querySql() + ";"});
        });
    }

    /** pg_attribute.attstorage as PostgreSQL defaults it: plain for fixed-size types, main for numeric, else extended. */
    static String storage(ColumnDef column) {
        if (column.type() == DataType.DECIMAL) {
            return "m";
        }
        return PgTypes.typlen(column) > 0 ? "p" : "x";
    }
}
