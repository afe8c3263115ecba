package io.phantomdb.server.pgwire;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.server.pgcatalog.PgTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * PostgreSQL's binary format (format code 1, the typsend/typreceive functions) for Phantom-DB's types, all big
 * endian: int2/int4/int8, float4/float8 as IEEE 754 bits, bool as one byte, text as UTF-8, bytea raw, date as
 * int32 days and timestamp as int64 microseconds since 2000-01-01, and numeric as base-10000 digits
 * ({@code ndigits, weight, sign, dscale, digits[]}, each int16). Malformed input fails with 22P03. Stateless.
 */
public final class BinaryFormat {
    private BinaryFormat() {}

    /** PostgreSQL's epoch for date and timestamp binary values. */
    static final LocalDate POSTGRES_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    static final LocalDateTime POSTGRES_EPOCH = POSTGRES_EPOCH_DATE.atStartOfDay();
    /** numeric sign words (src/backend/utils/adt/numeric.c). */
    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NBASE_DIGITS = 4;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    /** The binary form of {@code value} (non-null, exactly {@code type.javaClass()}). */
    public static byte[] encode(Object value, DataType type) {
        switch (type) {
            case BOOLEAN: return new byte[] {(byte) (((Boolean) value) ? 1 : 0)};
            case SMALLINT: return ByteBuffer.allocate(2).putShort((Short) value).array();
            case INTEGER: return ByteBuffer.allocate(4).putInt((Integer) value).array();
            case BIGINT: return ByteBuffer.allocate(8).putLong((Long) value).array();
            case REAL: return ByteBuffer.allocate(4).putFloat((Float) value).array();
            case DOUBLE: return ByteBuffer.allocate(8).putDouble((Double) value).array();
            case DECIMAL: return numeric((BigDecimal) value);
            case DATE: return ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(POSTGRES_EPOCH_DATE, (LocalDate) value)).array();
            case TIMESTAMP: return ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(POSTGRES_EPOCH, (LocalDateTime) value)).array();
            case BYTEA: return ((byte[]) value).clone();
            default: return value.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Decodes a binary parameter sent as type {@code oid}; returns the Java value of that type (Short for int2,
     * String for text/varchar, ...). Unknown OIDs fail with 0A000.
     */
    public static Object decode(byte[] data, int oid) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            switch (oid) {
                case PgTypes.BOOL: return exact(data, 1, "boolean") && data[0] != 0;
                case PgTypes.INT2: exact(data, 2, "smallint"); return in.getShort();
                case PgTypes.INT4: exact(data, 4, "integer"); return in.getInt();
                case PgTypes.INT8: exact(data, 8, "bigint"); return in.getLong();
                case PgTypes.FLOAT4: exact(data, 4, "real"); return in.getFloat();
                case PgTypes.FLOAT8: exact(data, 8, "double precision"); return in.getDouble();
                case PgTypes.NUMERIC: return numeric(in);
                case PgTypes.DATE: exact(data, 4, "date"); return POSTGRES_EPOCH_DATE.plusDays(in.getInt());
                case PgTypes.TIMESTAMP: exact(data, 8, "timestamp"); return POSTGRES_EPOCH.plus(in.getLong(), ChronoUnit.MICROS);
                case PgTypes.BYTEA: return data.clone();
                case PgTypes.TEXT: case PgTypes.VARCHAR: return new String(data, StandardCharsets.UTF_8);
                default:
                    throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                            "binary format is not supported for parameters of type oid " + oid + "; send it as text");
            }
        } catch (java.nio.BufferUnderflowException | ArithmeticException | java.time.DateTimeException e) {
            throw malformed("value of type oid " + oid);
        }
    }

    private static boolean exact(byte[] data, int length, String typeName) {
        if (data.length != length) {
            throw malformed(typeName + " (" + data.length + " bytes, expected " + length + ")");
        }
        return true;
    }

    private static PhantomSqlException malformed(String what) {
        return new PhantomSqlException(SqlState.INVALID_BINARY_REPRESENTATION, "incorrect binary data format in " + what);
    }

    /** numeric_send: base-10000 digit groups of the absolute value, the first group's weight, sign and scale. */
    static byte[] numeric(BigDecimal value) {
        BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
        int dscale = v.scale();
        // Pad the fraction to whole 4-digit groups so the unscaled value is an integer count of 10^-4k units.
        int fractionGroups = (dscale + NBASE_DIGITS - 1) / NBASE_DIGITS;
        BigInteger units = v.abs().setScale(fractionGroups * NBASE_DIGITS, RoundingMode.UNNECESSARY).unscaledValue();
        java.util.ArrayDeque<Short> groups = new java.util.ArrayDeque<>();
        while (units.signum() > 0) {
            BigInteger[] qr = units.divideAndRemainder(NBASE);
            groups.addFirst(qr[1].shortValue());
            units = qr[0];
        }
        int weight = groups.size() - fractionGroups - 1;
        while (!groups.isEmpty() && groups.peekLast() == 0) { // trailing zero groups carry no information
            groups.removeLast();
        }
        while (!groups.isEmpty() && groups.peekFirst() == 0) {
            groups.removeFirst();
            weight--;
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * groups.size());
        out.putShort((short) groups.size()).putShort((short) weight)
                .putShort((short) (v.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS)).putShort((short) dscale);
        for (short g : groups) {
            out.putShort(g);
        }
        return out.array();
    }

    private static BigDecimal numeric(ByteBuffer in) {
        int ndigits = in.getShort();
        int weight = in.getShort();
        int sign = in.getShort() & 0xFFFF;
        int dscale = in.getShort();
        if (ndigits < 0 || dscale < 0 || in.remaining() != 2 * ndigits) {
            throw malformed("numeric");
        }
        if (sign == NUMERIC_NAN) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "numeric NaN is not supported");
        }
        if (sign != NUMERIC_POS && sign != NUMERIC_NEG) {
            throw malformed("numeric (sign " + Integer.toHexString(sign) + ")");
        }
        BigInteger units = BigInteger.ZERO;
        for (int i = 0; i < ndigits; i++) {
            int digit = in.getShort();
            if (digit < 0 || digit >= 10_000) {
                throw malformed("numeric (digit " + digit + ")");
            }
            units = units.multiply(NBASE).add(BigInteger.valueOf(digit));
        }
        // units holds the groups as one integer whose last group has weight (weight - ndigits + 1).
        BigDecimal result = new BigDecimal(units).scaleByPowerOfTen(NBASE_DIGITS * (weight - ndigits + 1));
        if (sign == NUMERIC_NEG) {
            result = result.negate();
        }
        return result.setScale(dscale, RoundingMode.HALF_UP);
    }
}
