package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A run-time {@link DataType} plus the type modifiers a conversion into it must honour: the precision and
 * scale of DECIMAL(p, s), the length of VARCHAR(n), the fraction digits of TIMESTAMP(p).
 * {@link #UNSPECIFIED} means "no modifier" (plain NUMERIC, TEXT).
 */
record ValueType(DataType type, int precision, int scale) {
    static final int UNSPECIFIED = -1;

    static ValueType plain(DataType type) {
        return new ValueType(type, UNSPECIFIED, UNSPECIFIED);
    }

    /** The run-time type of a Calcite type, with its modifiers. */
    static ValueType of(RelDataType type) {
        DataType dataType = dataTypeOf(type);
        int precision = type.getPrecision() < 0 ? UNSPECIFIED : type.getPrecision();
        int scale = type.getSqlTypeName().allowsScale() ? type.getScale() : UNSPECIFIED;
        if (scale == Integer.MIN_VALUE) {
            scale = UNSPECIFIED;
        }
        return new ValueType(dataType, precision, scale);
    }

    /** See {@link RexCompiler#dataTypeOf}. */
    static DataType dataTypeOf(RelDataType type) {
        SqlTypeName name = type.getSqlTypeName();
        switch (name) {
            case BOOLEAN:
                return DataType.BOOLEAN;
            case TINYINT:
            case SMALLINT:
                return DataType.SMALLINT;
            case INTEGER:
                return DataType.INTEGER;
            case BIGINT:
                return DataType.BIGINT;
            case DECIMAL:
                return DataType.DECIMAL;
            case REAL:
                return DataType.REAL;
            case FLOAT:
            case DOUBLE:
                return DataType.DOUBLE;
            case CHAR:
            case VARCHAR:
                return DataType.VARCHAR;
            case BINARY:
            case VARBINARY:
                return DataType.BYTEA;
            case DATE:
                return DataType.DATE;
            case TIMESTAMP:
                return DataType.TIMESTAMP;
            case NULL:
                // An untyped NULL: its value is always null, so any class satisfies the invariant; PostgreSQL
                // resolves an unknown-typed output column to text.
                return DataType.VARCHAR;
            default:
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "type " + type.getFullTypeString()
                        + " is not supported");
        }
    }

    /** Whether this type limits values further than its {@link DataType} does (a DECIMAL scale, a length). */
    boolean hasModifier() {
        switch (type) {
            case DECIMAL:
                return scale != UNSPECIFIED && precision != UNSPECIFIED
                        && !PhantomTypeSystem.isUnconstrainedDecimal(precision, scale);
            case VARCHAR:
                return precision != UNSPECIFIED;
            case TIMESTAMP:
                return precision != UNSPECIFIED && precision < PhantomTypeSystem.TIMESTAMP_PRECISION;
            default:
                return false;
        }
    }
}
