package io.phantomdb.catalog;

/**
 * One column of a table. {@code precision} is the VARCHAR length or DECIMAL precision and {@code scale}
 * the DECIMAL scale, -1 when not declared. {@code defaultSql} is the raw SQL of the DEFAULT expression, or
 * null (the default is then NULL).
 */
public record ColumnDef(String name, DataType type, int precision, int scale, boolean nullable, String defaultSql) {
    public ColumnDef {
        if (name == null || name.isEmpty() || type == null) {
            throw new IllegalArgumentException("column needs a name and a type");
        }
    }
}
