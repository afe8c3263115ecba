package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.ColumnDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgjdbc's DatabaseMetaData queries about relations: getTables, getColumns, getPrimaryKeys, getIndexInfo.
 * Schema, name and column filters (LIKE or =, as parameters or literals) and getTables' type list are honoured.
 */
final class JdbcTables {
    private JdbcTables() {}

    static Optional<CatalogQuery> recognize(QueryText q, ModelSource source) {
        if (q.startsWith("SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\", CASE n.nspname ~ '^pg_'")) {
            return Optional.of(tables(q, source));
        }
        if (q.startsWith("SELECT * FROM (SELECT current_database() AS current_database, n.nspname,c.relname,a.attname,a.atttypid,")) {
            return Optional.of(columns(q, source));
        }
        if (q.startsWith("SELECT result.TABLE_CAT AS \"TABLE_CAT\",") && q.contains("con.contype = 'p'")) {
            return Optional.of(primaryKeys(q, source));
        }
        if (q.startsWith("SELECT tmp.TABLE_CAT AS \"TABLE_CAT\",") && q.contains("tmp.NON_UNIQUE AS \"NON_UNIQUE\"")) {
            return Optional.of(indexInfo(q, source));
        }
        return Optional.empty();
    }

    /** getTables: the relation kinds named in the query's type clauses (all kinds when it has none). */
    private static CatalogQuery tables(QueryText q, ModelSource source) {
        Filters.Filter schema = Filters.like(q, "n.nspname");
        Filters.Filter name = Filters.like(q, "c.relname");
        String kinds = userKinds(q);
        List<Column> columns = Answer.texts("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT",
                "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION");
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            if (!Filters.test(schema, CatalogModel.SCHEMA, p)) {
                return rows;
            }
            for (CatalogModel.Relation r : source.model(s).relations()) {
                if (kinds.indexOf(r.kind()) >= 0 && Filters.test(name, r.name(), p)) {
                    rows.add(new Object[] {s.database(), CatalogModel.SCHEMA, r.name(), r.typeName().toUpperCase(java.util.Locale.ROOT),
                        null, "", "", "", "", ""});
                }
            }
            rows.sort(Comparator.comparing((Object[] row) -> (String) row[3]).thenComparing(row -> (String) row[2]));
            return rows;
        });
    }

    /** The kinds of user relations pgjdbc's type clauses ask for ("c.relkind = 'r' AND n.nspname !~ '^pg_'" is TABLE). */
    private static String userKinds(QueryText q) {
        int clauses = q.text().indexOf("AND (false");
        if (clauses < 0) {
            return "rvi";
        }
        StringBuilder kinds = new StringBuilder();
        Matcher m = Pattern.compile("c\\.relkind = '(\\w)' AND n\\.nspname (!~ '\\^pg_'|<> 'pg_catalog')")
                .matcher(q.text().substring(clauses));
        while (m.find()) {
            kinds.append(m.group(1));
        }
        return kinds.toString();
    }

    private static CatalogQuery columns(QueryText q, ModelSource source) {
        Filters.Filter schema = Filters.like(q, "n.nspname");
        Filters.Filter table = Filters.like(q, "c.relname");
        Filters.Filter column = Filters.like(q, "attname");
        List<Column> columns = List.of(Answer.text("current_database"), Answer.text("nspname"), Answer.text("relname"),
                Answer.text("attname"), Answer.int4("atttypid"), Answer.bool("attnotnull"), Answer.int4("atttypmod"),
                Answer.int2("attlen"), Answer.int4("typtypmod"), Answer.int8("attnum"), Answer.text("attidentity"),
                Answer.text("attgenerated"), Answer.text("adsrc"), Answer.text("description"), Answer.int4("typbasetype"),
                Answer.text("typtype"));
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            if (!Filters.test(schema, CatalogModel.SCHEMA, p)) {
                return rows;
            }
            for (CatalogModel.Relation r : source.model(s).relations()) {
                if (r.kind() == 'i' || !Filters.test(table, r.name(), p)) {
                    continue;
                }
                for (int i = 0; i < r.columns().size(); i++) {
                    ColumnDef c = r.columns().get(i);
                    if (Filters.test(column, c.name(), p)) {
                        rows.add(new Object[] {s.database(), CatalogModel.SCHEMA, r.name(), c.name(), PgTypes.oid(c),
                            r.kind() == 'r' && !c.nullable(), PgTypes.typmod(c), PgTypes.typlen(c), -1, (long) (i + 1), null,
                            null, r.kind() == 'r' ? c.defaultSql() : null, null, 0, "b"});
                    }
                }
            }
            return rows;
        });
    }

    private static CatalogQuery primaryKeys(QueryText q, ModelSource source) {
        Filters.Filter schema = Filters.equal(q, "n.nspname");
        Filters.Filter table = Filters.equal(q, "ct.relname");
        List<Column> columns = List.of(Answer.text("TABLE_CAT"), Answer.text("TABLE_SCHEM"), Answer.text("TABLE_NAME"),
                Answer.text("COLUMN_NAME"), Answer.int4("KEY_SEQ"), Answer.text("PK_NAME"));
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            if (!Filters.test(schema, CatalogModel.SCHEMA, p)) {
                return rows;
            }
            for (CatalogModel.Relation r : source.model(s).relations()) {
                if (r.kind() != 'r' || !Filters.test(table, r.name(), p)) {
                    continue;
                }
                List<Integer> key = r.table().primaryKey();
                for (int i = 0; i < key.size(); i++) {
                    rows.add(new Object[] {s.database(), CatalogModel.SCHEMA, r.name(), r.columns().get(key.get(i)).name(), i + 1,
                        r.name() + "_pkey"});
                }
            }
            return rows;
        });
    }

    private static CatalogQuery indexInfo(QueryText q, ModelSource source) {
        Filters.Filter schema = Filters.equal(q, "n.nspname");
        Filters.Filter table = Filters.equal(q, "ct.relname");
        boolean uniqueOnly = q.contains("AND i.indisunique");
        List<Column> columns = List.of(Answer.text("TABLE_CAT"), Answer.text("TABLE_SCHEM"), Answer.text("TABLE_NAME"),
                Answer.bool("NON_UNIQUE"), Answer.text("INDEX_QUALIFIER"), Answer.text("INDEX_NAME"), Answer.int4("TYPE"),
                Answer.int4("ORDINAL_POSITION"), Answer.text("COLUMN_NAME"), Answer.text("ASC_OR_DESC"),
                Answer.float4("CARDINALITY"), Answer.int4("PAGES"), Answer.text("FILTER_CONDITION"), Answer.text("REMARKS"));
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            if (!Filters.test(schema, CatalogModel.SCHEMA, p)) {
                return rows;
            }
            for (CatalogModel.Relation r : source.model(s).relations()) {
                if (r.kind() != 'i' || !Filters.test(table, r.table().name(), p) || (uniqueOnly && !r.index().unique())) {
                    continue;
                }
                CatalogModel.Index index = r.index();
                for (int i = 0; i < index.columns().size(); i++) {
                    rows.add(new Object[] {s.database(), CatalogModel.SCHEMA, r.table().name(), !index.unique(), null,
                        index.name(), 3, i + 1, r.columns().get(i).name(), index.descending().get(i) ? "D" : "A", 0f, 0,
                        null, null});
                }
            }
            // pgjdbc's ORDER BY "NON_UNIQUE", "TYPE", "INDEX_NAME", "ORDINAL_POSITION" (false sorts first).
            rows.sort(Comparator.comparing((Object[] row) -> (Boolean) row[3]).thenComparing(row -> (String) row[5])
                    .thenComparing(row -> (Integer) row[7]));
            return rows;
        });
    }
}
