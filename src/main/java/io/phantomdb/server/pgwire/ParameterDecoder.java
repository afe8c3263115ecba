package io.phantomdb.server.pgwire;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.server.pgcatalog.PgTypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Turns a Bind parameter (bytes, format code, the type OID the client declared in Parse or 0) into a value of the
 * type the engine inferred for it ({@code Prepared.parameterTypes}). Clients often declare another type than the
 * engine infers (pgjdbc's setInt declares int4 where the column is bigint, setString declares varchar): the value is
 * decoded as declared and then converted, with range checks (22003) and 22P02 for text that is not a value of the
 * target type. Stateless.
 */
public final class ParameterDecoder {
    private ParameterDecoder() {}

    /** The value of one parameter, or null for a NULL ({@code data == null}). */
    public static Object decode(byte[] data, int format, int declaredOid, DataType target) {
        if (data == null) {
            return null;
        }
        if (format == 0) {
            return TextFormat.decode(new String(data, StandardCharsets.UTF_8), target);
        }
        int oid = declaredOid != 0 ? declaredOid : PgTypes.oid(target);
        return convert(BinaryFormat.decode(data, oid), target);
    }

    /** {@code value} as exactly {@code target.javaClass()}. */
    static Object convert(Object value, DataType target) {
        if (value == null || target.javaClass().isInstance(value)) {
            return value;
        }
        if (value instanceof String s) {
            return TextFormat.decode(s, target);
        }
        if (value instanceof Number n && target.isNumeric()) {
            return number(n, target);
        }
        if (value instanceof LocalDate d && target == DataType.TIMESTAMP) {
            return d.atStartOfDay();
        }
        if (value instanceof LocalDateTime t && target == DataType.DATE) {
            return t.toLocalDate();
        }
        if (target == DataType.VARCHAR && !(value instanceof byte[])) {
            return value instanceof Boolean b ? (b ? "true" : "false") : TextFormat.encode(value, typeOf(value));
        }
        throw new PhantomSqlException(SqlState.DATATYPE_MISMATCH, "parameter of type " + TextFormat.typeName(typeOf(value))
                + " cannot be used as " + TextFormat.typeName(target));
    }

    private static Object number(Number n, DataType target) {
        switch (target) {
            case REAL: return n.floatValue();
            case DOUBLE: return n.doubleValue();
            case DECIMAL: return decimal(n);
            default:
                BigDecimal exact = decimal(n).setScale(0, RoundingMode.HALF_EVEN); // PostgreSQL rounds to integers
                long min = target == DataType.SMALLINT ? Short.MIN_VALUE : target == DataType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = target == DataType.SMALLINT ? Short.MAX_VALUE : target == DataType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
                    throw new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, TextFormat.typeName(target) + " out of range");
                }
                long v = exact.longValue();
                return target == DataType.SMALLINT ? (Object) (short) v : target == DataType.INTEGER ? (Object) (int) v : (Object) v;
        }
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Float || n instanceof Double) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "cannot convert " + d + " to an exact number");
            }
            return new BigDecimal(n.toString());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static DataType typeOf(Object value) {
        for (DataType t : DataType.values()) {
            if (t.javaClass().isInstance(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no SQL type for " + value.getClass());
    }
}
