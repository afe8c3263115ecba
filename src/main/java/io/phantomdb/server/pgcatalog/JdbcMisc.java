package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.ColumnDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgjdbc's other catalog queries: getSchemas, getCatalogs, getTypeInfo and its type cache, ResultSetMetaData's
 * column lookup by table oid, pg_settings lookups, and the object kinds Phantom-DB has none of (procedures,
 * foreign keys, user-defined types: empty results with pgjdbc's columns).
 */
final class JdbcMisc {
    private JdbcMisc() {}

    static Optional<CatalogQuery> recognize(QueryText q, ModelSource source) {
        if (q.startsWith("SELECT nspname AS \"TABLE_SCHEM\", current_database() AS \"TABLE_CATALOG\" FROM pg_catalog.pg_namespace")) {
            Filters.Filter name = Filters.like(q, "nspname");
            return Optional.of(Answer.select(Answer.texts("TABLE_SCHEM", "TABLE_CATALOG"), Filters.parameterTypes(q),
                    (p, s) -> Filters.test(name, CatalogModel.SCHEMA, p)
                            ? List.<Object[]>of(new Object[] {CatalogModel.SCHEMA, s.database()}) : List.of()));
        }
        if (q.text().equals("SELECT datname AS \"TABLE_CAT\" FROM pg_catalog.pg_database WHERE datallowconn = true ORDER BY datname")) {
            return Optional.of(Answer.select(Answer.texts("TABLE_CAT"), (p, s) -> List.<Object[]>of(new Object[] {s.database()})));
        }
        if (q.startsWith("SELECT t.typname,t.oid FROM pg_catalog.pg_type t")) {
            return Optional.of(Answer.select(List.of(Answer.text("typname"), Answer.int4("oid")), (p, s) -> {
                List<Object[]> rows = new ArrayList<>();
                PgTypes.ALL.forEach(t -> rows.add(new Object[] {t.typname(), t.oid()}));
                return rows;
            }));
        }
        if (q.startsWith("SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid FROM pg_catalog.pg_type")) {
            return Optional.of(typeCache(q));
        }
        if (q.startsWith("SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR")) {
            return Optional.of(resultColumns(q, source));
        }
        Matcher setting = Pattern.compile("SELECT setting FROM pg_catalog\\.pg_settings WHERE name ?= ?'(\\w{1,63})'").matcher(q.text());
        if (setting.matches()) {
            String name = setting.group(1);
            return Optional.of(Answer.select(Answer.texts("setting"), (p, s) -> List.<Object[]>of(new Object[] {s.get(name)})));
        }
        return empties(q);
    }

    /** pgjdbc's TypeInfoCache: every type (or the one asked for by oid) with is_array, typtype, typname, oid. */
    private static CatalogQuery typeCache(QueryText q) {
        boolean byOid = q.contains("WHERE pg_type.oid = $1");
        List<Column> columns = List.of(Answer.bool("is_array"), Answer.text("typtype"), Answer.text("typname"), Answer.int4("oid"));
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> {
            List<Object[]> rows = new ArrayList<>();
            for (PgTypes.PgType t : PgTypes.ALL) {
                if (!byOid || String.valueOf(t.oid()).equals(String.valueOf(p[0]))) {
                    rows.add(new Object[] {false, "b", t.typname(), t.oid()});
                }
            }
            return rows;
        });
    }

    /** ResultSetMetaData: nullability and auto-increment of result columns by (table oid, attnum) pairs. */
    private static CatalogQuery resultColumns(QueryText q, ModelSource source) {
        List<int[]> wanted = new ArrayList<>();
        Matcher m = Pattern.compile("SELECT (\\d{1,10})(?: AS oid)? ?, (\\d{1,5})").matcher(q.text());
        while (m.find()) {
            wanted.add(new int[] {(int) Math.min(Long.parseLong(m.group(1)), Integer.MAX_VALUE), Integer.parseInt(m.group(2))});
        }
        List<Column> columns = List.of(Answer.int4("oid"), Answer.int2("attnum"), Answer.text("attname"), Answer.text("relname"),
                Answer.text("nspname"), Answer.bool("?column?"), Answer.bool("?column?"));
        return Answer.select(columns, (p, s) -> {
            CatalogModel model = source.model(s);
            List<Object[]> rows = new ArrayList<>();
            for (int[] w : wanted) {
                CatalogModel.Relation r = model.relation(w[0]);
                if (r != null && w[1] >= 1 && w[1] <= r.columns().size()) {
                    ColumnDef c = r.columns().get(w[1] - 1);
                    rows.add(new Object[] {w[0], (short) w[1], c.name(), r.name(), CatalogModel.SCHEMA,
                        r.kind() == 'r' && !c.nullable(), false});
                }
            }
            return rows;
        });
    }

    private static Optional<CatalogQuery> empties(QueryText q) {
        if (q.startsWith("SELECT current_database() AS \"PROCEDURE_CAT\",")) {
            List<Column> columns = Answer.texts("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "?column?", "?column?",
                    "?column?", "REMARKS");
            columns = new ArrayList<>(columns);
            columns.add(Answer.int2("PROCEDURE_TYPE"));
            columns.add(Answer.text("SPECIFIC_NAME"));
            return Optional.of(withParameters(q, columns));
        }
        if (q.startsWith("SELECT current_database() AS \"PKTABLE_CAT\",")) {
            List<Column> columns = new ArrayList<>(Answer.texts("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME",
                    "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME"));
            columns.add(Answer.int4("KEY_SEQ"));
            columns.add(Answer.int2("UPDATE_RULE"));
            columns.add(Answer.int2("DELETE_RULE"));
            columns.add(Answer.text("FK_NAME"));
            columns.add(Answer.text("PK_NAME"));
            columns.add(Answer.int2("DEFERRABILITY"));
            return Optional.of(withParameters(q, columns));
        }
        if (q.startsWith("select current_database() as \"TYPE_CAT\", n.nspname as \"TYPE_SCHEM\", t.typname as \"TYPE_NAME\"")) {
            List<Column> columns = new ArrayList<>(Answer.texts("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME"));
            columns.add(Answer.int4("DATA_TYPE"));
            columns.add(Answer.text("REMARKS"));
            columns.add(Answer.int4("BASE_TYPE"));
            return Optional.of(withParameters(q, columns));
        }
        return Optional.empty();
    }

    private static CatalogQuery withParameters(QueryText q, List<Column> columns) {
        return Answer.select(columns, Filters.parameterTypes(q), (p, s) -> List.of());
    }
}
