package io.phantomdb.sql.ddl;

import io.phantomdb.catalog.ColumnDef;

/**
 * One column of a CREATE TABLE. {@code notNull} is true for NOT NULL and for primary key columns (whether
 * the key was declared on the column or as a table constraint). {@code defaultSql} is the raw text of the
 * DEFAULT expression exactly as written (comments inside it included), or null; it is not parsed here.
 */
public record ColumnSpec(String name, TypeSpec type, boolean notNull, String defaultSql) {
    public ColumnSpec {
        if (name == null || name.isEmpty() || type == null) {
            throw new IllegalArgumentException("column needs a name and a type");
        }
    }

    /** The catalog's column definition for this column. */
    public ColumnDef toColumnDef() {
        return new ColumnDef(name, type.type(), type.precision(), type.scale(), !notNull, defaultSql);
    }

    ColumnSpec withNotNull() {
        return new ColumnSpec(name, type, true, defaultSql);
    }
}
