package io.phantomdb.server.pgcatalog;

import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.DataType;
import java.util.List;

/**
 * Phantom-DB's column types as PostgreSQL names them: type OIDs (pg_type.oid, fixed by PostgreSQL and known to
 * every driver), short names (pg_type.typname), {@code format_type} names ("character varying(20)") and type
 * modifiers (atttypmod). The one place this mapping lives; the wire codecs may use it too.
 *
 * <p>VARCHAR without a length is shown as {@code text} (OID 25): the catalog keeps no difference between TEXT
 * and unbounded VARCHAR, and TEXT is the common spelling. CHAR(n) is stored as VARCHAR(n) and shown as such.
 */
public final class PgTypes {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIMESTAMP = 1114;
    public static final int NUMERIC = 1700;

    /** Added to lengths and precisions in atttypmod, as PostgreSQL does (VARHDRSZ). */
    private static final int TYPMOD_HEADER = 4;

    /** One PostgreSQL type Phantom-DB can store: its oid, typname and the DataType holding its values. */
    public record PgType(int oid, String typname, DataType dataType, short typlen) {}

    /** Every type a Phantom-DB column can have, ordered by oid (answers pg_type listings). */
    public static final List<PgType> ALL = List.of(
            new PgType(BOOL, "bool", DataType.BOOLEAN, (short) 1),
            new PgType(BYTEA, "bytea", DataType.BYTEA, (short) -1),
            new PgType(INT8, "int8", DataType.BIGINT, (short) 8),
            new PgType(INT2, "int2", DataType.SMALLINT, (short) 2),
            new PgType(INT4, "int4", DataType.INTEGER, (short) 4),
            new PgType(TEXT, "text", DataType.VARCHAR, (short) -1),
            new PgType(FLOAT4, "float4", DataType.REAL, (short) 4),
            new PgType(FLOAT8, "float8", DataType.DOUBLE, (short) 8),
            new PgType(VARCHAR, "varchar", DataType.VARCHAR, (short) -1),
            new PgType(DATE, "date", DataType.DATE, (short) 4),
            new PgType(TIMESTAMP, "timestamp", DataType.TIMESTAMP, (short) 8),
            new PgType(NUMERIC, "numeric", DataType.DECIMAL, (short) -1));

    private PgTypes() {}

    /** The OID of values of {@code type} when no column says more (VARCHAR is {@code varchar}, 1043). */
    public static int oid(DataType type) {
        switch (type) {
            case SMALLINT: return INT2;
            case INTEGER: return INT4;
            case BIGINT: return INT8;
            case DECIMAL: return NUMERIC;
            case REAL: return FLOAT4;
            case DOUBLE: return FLOAT8;
            case VARCHAR: return VARCHAR;
            case BOOLEAN: return BOOL;
            case DATE: return DATE;
            case TIMESTAMP: return TIMESTAMP;
            case BYTEA: return BYTEA;
            default: throw new IllegalArgumentException("no PostgreSQL type for " + type);
        }
    }

    /** The OID of a column's type: {@code text} for a VARCHAR without a length. */
    public static int oid(ColumnDef column) {
        if (column.type() == DataType.VARCHAR && column.precision() < 0) {
            return TEXT;
        }
        return oid(column.type());
    }

    /** The type with this OID, or null when Phantom-DB has none. */
    public static PgType byOid(int oid) {
        for (PgType type : ALL) {
            if (type.oid() == oid) {
                return type;
            }
        }
        return null;
    }

    /** pg_type.typname of a column's type ("int4", "varchar"). */
    public static String typname(ColumnDef column) {
        return byOid(oid(column)).typname();
    }

    /** pg_type.typlen: the fixed size in bytes, -1 for variable-length types. */
    public static short typlen(ColumnDef column) {
        return byOid(oid(column)).typlen();
    }

    /** pg_attribute.atttypmod: length + 4 for varchar(n), ((p << 16) | s) + 4 for numeric(p,s), else -1. */
    public static int typmod(ColumnDef column) {
        if (column.type() == DataType.VARCHAR && column.precision() >= 0) {
            return column.precision() + TYPMOD_HEADER;
        }
        if (column.type() == DataType.DECIMAL && column.precision() > 0) {
            return ((column.precision() << 16) | Math.max(column.scale(), 0)) + TYPMOD_HEADER;
        }
        return -1;
    }

    /** What {@code format_type(atttypid, atttypmod)} shows: "integer", "character varying(20)", "numeric(10,2)". */
    public static String formatType(ColumnDef column) {
        if (column.type() == DataType.VARCHAR && column.precision() >= 0) {
            return "character varying(" + column.precision() + ")";
        }
        if (column.type() == DataType.DECIMAL && column.precision() > 0) {
            return "numeric(" + column.precision() + "," + Math.max(column.scale(), 0) + ")";
        }
        return sqlName(column.type());
    }

    /** PostgreSQL's name of a type without modifiers, as format_type and error messages spell it ("double precision"). */
    public static String sqlName(DataType type) {
        switch (type) {
            case SMALLINT: return "smallint";
            case INTEGER: return "integer";
            case BIGINT: return "bigint";
            case DECIMAL: return "numeric";
            case REAL: return "real";
            case DOUBLE: return "double precision";
            case BOOLEAN: return "boolean";
            case DATE: return "date";
            case TIMESTAMP: return "timestamp without time zone";
            case BYTEA: return "bytea";
            case VARCHAR: return "text";
            default: throw new IllegalArgumentException("no PostgreSQL type for " + type);
        }
    }
}
