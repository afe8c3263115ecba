package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * psql's column query of {@code \d name} (pg_attribute of one relation). Its select list differs with the
 * relation kind, \d+ and the server version, so each item is recognized on its own and the result has exactly
 * the items asked for; an item not known here fails with 0A000 rather than being guessed.
 */
final class PsqlColumns {
    /** What one select-list item yields for one column of the relation. */
    private interface Item {
        Object value(ColumnDef column, CatalogModel.Relation relation, int position);
    }

    private record Known(String prefix, Column column, Item item) {}

    private static final List<Known> KNOWN = List.of(
            new Known("a.attname", Answer.text("attname"), (c, r, i) -> c.name()),
            new Known("pg_catalog.format_type(a.atttypid, a.atttypmod)", Answer.text("format_type"),
                    (c, r, i) -> PgTypes.formatType(c)),
            new Known("(SELECT pg_catalog.pg_get_expr(d.adbin", Answer.text("pg_get_expr"),
                    (c, r, i) -> r.kind() == 'r' ? c.defaultSql() : null),
            new Known("a.attnotnull", Answer.bool("attnotnull"), (c, r, i) -> r.kind() != 'v' && !c.nullable()),
            new Known("(SELECT c.collname FROM", Answer.text("attcollation"), (c, r, i) -> null),
            new Known("a.attidentity", Answer.text("attidentity"), (c, r, i) -> ""),
            new Known("a.attgenerated", Answer.text("attgenerated"), (c, r, i) -> ""),
            new Known("a.attstorage", Answer.text("attstorage"), (c, r, i) -> PsqlDescribe.storage(c)),
            new Known("a.attcompression", Answer.text("attcompression"), (c, r, i) -> ""),
            new Known("CASE WHEN a.attstattarget=-1", Answer.int4("attstattarget"), (c, r, i) -> null),
            new Known("pg_catalog.col_description(", Answer.text("col_description"), (c, r, i) -> null),
            new Known("CASE WHEN a.attnum <= (SELECT i.indnkeyatts", Answer.text("is_key"), (c, r, i) -> "yes"),
            new Known("pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE)", Answer.text("indexdef"),
                    (c, r, i) -> CatalogModel.ident(c.name())));

    private PsqlColumns() {}

    static CatalogQuery columns(QueryText q, ModelSource source) {
        List<String> items = q.selectItems(" FROM pg_catalog.pg_attribute a WHERE");
        int oid = q.oidAfter("a.attrelid");
        List<Known> chosen = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (String text : items) {
            Known known = find(text, q);
            chosen.add(known);
            columns.add(known.column());
        }
        return Answer.select(columns, (p, s) -> {
            CatalogModel.Relation r = PsqlDescribe.relation(source.model(s), oid);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < r.columns().size(); i++) {
                Object[] row = new Object[chosen.size()];
                for (int k = 0; k < row.length; k++) {
                    row[k] = chosen.get(k).item().value(r.columns().get(i), r, i + 1);
                }
                rows.add(row);
            }
            return rows;
        });
    }

    private static Known find(String item, QueryText q) {
        for (Known known : KNOWN) {
            if (item.startsWith(known.prefix())) {
                return known;
            }
        }
        throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "catalog query not supported by Phantom-DB: "
                + q.head() + " (column " + item + ")");
    }
}
