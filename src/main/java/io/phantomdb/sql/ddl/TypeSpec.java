package io.phantomdb.sql.ddl;

import io.phantomdb.catalog.DataType;

/**
 * A column type as declared. {@code precision} is the VARCHAR length or the DECIMAL precision, -1 when
 * absent; {@code scale} is the DECIMAL scale, -1 when absent (PostgreSQL: {@code NUMERIC(p)} means scale 0,
 * the parser then records 0). Every other type has -1 for both.
 *
 * <p>CHAR(n)/CHARACTER(n) are stored as VARCHAR(n) with precision n (CHAR without a length: 1, as in
 * PostgreSQL). Unlike PostgreSQL's blank-padded {@code character}, values are not padded to n and trailing
 * spaces are significant in comparisons.
 */
public record TypeSpec(DataType type, int precision, int scale) {
    public TypeSpec {
        if (type == null || precision < -1 || scale < -1) {
            throw new IllegalArgumentException("bad type spec " + type + "(" + precision + ", " + scale + ")");
        }
    }

    /** A type without modifiers. */
    public static TypeSpec of(DataType type) {
        return new TypeSpec(type, -1, -1);
    }
}
