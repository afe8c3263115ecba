package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.server.pgcatalog.PgTypes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the type codecs write what PostgreSQL 15 writes and read what drivers send. Method: text output compared
 * with PostgreSQL's own output for the same values (taken from psql), binary numeric compared with
 * numeric_send's bytes, and round trips text -> value -> text and value -> binary -> value for every type.
 */
class FormatsTest {
    @Test
    void textOutputMatchesPostgres() {
        assertEquals("t", TextFormat.encode(true, DataType.BOOLEAN));
        assertEquals("f", TextFormat.encode(false, DataType.BOOLEAN));
        assertEquals("\\x00ff10", TextFormat.encode(new byte[] {0, (byte) 0xff, 0x10}, DataType.BYTEA));
        assertEquals("2024-02-29 13:14:15.5", TextFormat.encode(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 500_000_000), DataType.TIMESTAMP));
        assertEquals("2024-02-29 13:14:15", TextFormat.encode(LocalDateTime.of(2024, 2, 29, 13, 14, 15), DataType.TIMESTAMP));
        assertEquals("2024-02-29 00:00:00.000001", TextFormat.encode(LocalDateTime.of(2024, 2, 29, 0, 0, 0, 1000), DataType.TIMESTAMP));
        assertEquals("0099-01-02", TextFormat.encode(LocalDate.of(99, 1, 2), DataType.DATE));
        assertEquals("0.0001000", TextFormat.encode(new BigDecimal("0.0001000"), DataType.DECIMAL));
        assertEquals("1200", TextFormat.encode(new BigDecimal("1.2E+3"), DataType.DECIMAL));
    }

    /** PostgreSQL 15 (extra_float_digits = 1): SELECT x::float8 / x::float4. */
    @Test
    void floatsPrintShortestRoundTripAsPostgres() {
        assertEquals("1", TextFormat.encode(1.0, DataType.DOUBLE));
        assertEquals("0.1", TextFormat.encode(0.1, DataType.DOUBLE));
        assertEquals("3.141592653589793", TextFormat.encode(Math.PI, DataType.DOUBLE));
        assertEquals("100000000000000", TextFormat.encode(1e14, DataType.DOUBLE));
        assertEquals("1e+15", TextFormat.encode(1e15, DataType.DOUBLE));
        assertEquals("1.2345678901234568e+17", TextFormat.encode(123456789012345678.0, DataType.DOUBLE));
        assertEquals("0.0001", TextFormat.encode(0.0001, DataType.DOUBLE));
        assertEquals("1e-05", TextFormat.encode(0.00001, DataType.DOUBLE));
        assertEquals("-2.5e-300", TextFormat.encode(-2.5e-300, DataType.DOUBLE));
        assertEquals("NaN", TextFormat.encode(Double.NaN, DataType.DOUBLE));
        assertEquals("-Infinity", TextFormat.encode(Double.NEGATIVE_INFINITY, DataType.DOUBLE));
        assertEquals("-0", TextFormat.encode(-0.0, DataType.DOUBLE));
        assertEquals("100000", TextFormat.encode(100000f, DataType.REAL));
        assertEquals("1e+06", TextFormat.encode(1e6f, DataType.REAL));
        assertEquals("0.1", TextFormat.encode(0.1f, DataType.REAL));
        assertEquals("1.5", TextFormat.encode(1.5f, DataType.REAL));
    }

    @Test
    void textInputAcceptsWhatDriversSend() {
        assertEquals(Boolean.TRUE, TextFormat.decode("on", DataType.BOOLEAN));
        assertEquals(Boolean.FALSE, TextFormat.decode(" f ", DataType.BOOLEAN));
        assertEquals((short) -5, TextFormat.decode("-5", DataType.SMALLINT));
        assertEquals(42, TextFormat.decode(" 42", DataType.INTEGER));
        assertEquals(Long.MIN_VALUE, TextFormat.decode("-9223372036854775808", DataType.BIGINT));
        assertEquals(new BigDecimal("1.50"), TextFormat.decode("1.50", DataType.DECIMAL));
        assertEquals(Double.POSITIVE_INFINITY, TextFormat.decode("Infinity", DataType.DOUBLE));
        // pgjdbc's setDate / setTimestamp send the JVM zone's offset; a timestamp without time zone ignores it
        assertEquals(LocalDate.of(2024, 1, 15), TextFormat.decode("2024-01-15 +01", DataType.DATE));
        assertEquals(LocalDateTime.of(2024, 1, 15, 10, 11, 12, 123_456_000),
                TextFormat.decode("2024-01-15 10:11:12.123456+01", DataType.TIMESTAMP));
        assertArrayEquals(new byte[] {1, (byte) 0xab}, (byte[]) TextFormat.decode("\\x01AB", DataType.BYTEA));
        assertArrayEquals(new byte[] {'a', 0, '\\'}, (byte[]) TextFormat.decode("a\\000\\\\", DataType.BYTEA));
    }

    @Test
    void badTextIs22P02AndOutOfRangeIs22003() {
        assertEquals("22P02", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("abc", DataType.INTEGER)).state().code());
        assertEquals("22P02", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("1.5", DataType.BIGINT)).state().code());
        assertEquals("22P02", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("maybe", DataType.BOOLEAN)).state().code());
        assertEquals("22P02", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("2024-13", DataType.DATE)).state().code());
        assertEquals("22P02", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("x1", DataType.DECIMAL)).state().code());
        assertEquals("22003", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("40000", DataType.SMALLINT)).state().code());
        assertEquals("22008", assertThrows(PhantomSqlException.class, () -> TextFormat.decode("2023-02-29", DataType.DATE)).state().code());
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> TextFormat.decode("abc", DataType.INTEGER));
        assertEquals("invalid input syntax for type integer: \"abc\"", e.getMessage());
    }

    /** numeric_send bytes for a few values (ndigits, weight, sign, dscale, base-10000 digits). */
    @Test
    void binaryNumericIsPostgresBase10000() {
        assertEquals("0002000000000002" + "04d2" + "0d48", hex(BinaryFormat.numeric(new BigDecimal("1234.34")))); // 1234 | 3400
        assertEquals("0001fffe40000005" + "03e8", hex(BinaryFormat.numeric(new BigDecimal("-0.00001")))); // 0.0000|1000
        assertEquals("0000000000000003", hex(BinaryFormat.numeric(new BigDecimal("0.000"))));
        assertEquals("0001000100000000" + "0001", hex(BinaryFormat.numeric(new BigDecimal("10000"))));
    }

    @Test
    void binaryRoundTripsEveryType() {
        List<Object[]> cases = List.of(
                new Object[] {DataType.BOOLEAN, PgTypes.BOOL, true},
                new Object[] {DataType.SMALLINT, PgTypes.INT2, (short) -300},
                new Object[] {DataType.INTEGER, PgTypes.INT4, Integer.MAX_VALUE},
                new Object[] {DataType.BIGINT, PgTypes.INT8, -1L},
                new Object[] {DataType.REAL, PgTypes.FLOAT4, 2.5f},
                new Object[] {DataType.DOUBLE, PgTypes.FLOAT8, -1e-300},
                new Object[] {DataType.DECIMAL, PgTypes.NUMERIC, new BigDecimal("-98765432109876543210.0123456789")},
                new Object[] {DataType.DECIMAL, PgTypes.NUMERIC, new BigDecimal("0.50")},
                new Object[] {DataType.VARCHAR, PgTypes.VARCHAR, "žluťoučký"},
                new Object[] {DataType.DATE, PgTypes.DATE, LocalDate.of(1970, 1, 1)},
                new Object[] {DataType.TIMESTAMP, PgTypes.TIMESTAMP, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000)});
        for (Object[] c : cases) {
            DataType type = (DataType) c[0];
            Object back = BinaryFormat.decode(BinaryFormat.encode(c[2], type), (Integer) c[1]);
            assertEquals(c[2], back, type.name());
            assertEquals(c[2], TextFormat.decode(TextFormat.encode(c[2], type), type), type + " text");
        }
        assertArrayEquals(new byte[] {3, 4}, (byte[]) BinaryFormat.decode(BinaryFormat.encode(new byte[] {3, 4}, DataType.BYTEA), PgTypes.BYTEA));
        assertEquals("22P03", assertThrows(PhantomSqlException.class, () -> BinaryFormat.decode(new byte[3], PgTypes.INT4)).state().code());
    }

    /** Drivers declare other types than the engine infers: int4 for a bigint column, text for a number. */
    @Test
    void parametersConvertToTheInferredType() {
        byte[] int4 = BinaryFormat.encode(7, DataType.INTEGER);
        assertEquals(7L, ParameterDecoder.decode(int4, 1, PgTypes.INT4, DataType.BIGINT));
        assertEquals((short) 7, ParameterDecoder.decode(int4, 1, PgTypes.INT4, DataType.SMALLINT));
        assertEquals(new BigDecimal("7"), ParameterDecoder.decode(int4, 1, PgTypes.INT4, DataType.DECIMAL));
        assertEquals(7, ParameterDecoder.decode("7".getBytes(), 0, PgTypes.VARCHAR, DataType.INTEGER));
        assertEquals(7, ParameterDecoder.decode(int4, 1, 0, DataType.INTEGER), "unknown (0): the inferred type's format");
        assertEquals(null, ParameterDecoder.decode(null, 1, PgTypes.INT4, DataType.INTEGER));
        byte[] big = BinaryFormat.encode(1L << 40, DataType.BIGINT);
        assertEquals("22003", assertThrows(PhantomSqlException.class,
                () -> ParameterDecoder.decode(big, 1, PgTypes.INT8, DataType.INTEGER)).state().code());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
