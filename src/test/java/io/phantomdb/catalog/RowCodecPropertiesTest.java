package io.phantomdb.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Goal: {@link RowCodec} is lossless for every row the DataType invariant allows, and never turns damaged
 * bytes into a wrong row silently: every truncation (and every extension) of a row value is DATA_CORRUPTED,
 * and any other damage is either DATA_CORRUPTED or decodes to a well-typed row that encodes back to exactly
 * the damaged bytes (the encoding is canonical, so the decoder accepts no second spelling of a row).
 *
 * <p>Method: jqwik properties over random rows: 0..24 columns of random types, about a quarter NULL, values
 * mixing random ones with edge cases (MIN/MAX, 0, -0.0, NaN with a payload, infinities, decimals with a
 * 3000-digit mantissa or scale Integer.MIN/MAX_VALUE, "", "\u0000", supplementary code points, empty byte[],
 * dates and timestamps at the ends of their ranges). Equality is exact: float bits, BigDecimal scale, byte[]
 * contents, and the Java class of every value.
 */
class RowCodecPropertiesTest {

    /** A schema and a row for it. */
    record Case(DataType[] types, Object[] row) {
        @Override
        public String toString() {
            return Arrays.toString(types) + " " + show(row);
        }
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("cases") Case c) {
        Object[] decoded = RowCodec.decode(RowCodec.encode(c.row(), c.types()), c.types());
        assertSameRow(c.row(), decoded, c.types());
    }

    @Property(tries = 300)
    void everyTruncationIsCorruption(@ForAll("cases") Case c) {
        byte[] bytes = RowCodec.encode(c.row(), c.types());
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> RowCodec.decode(prefix, c.types()),
                    "prefix of length " + length + " decoded");
            assertEquals(SqlState.DATA_CORRUPTED, e.state());
        }
    }

    @Property(tries = 500)
    void trailingBytesAreCorruption(@ForAll("cases") Case c, @ForAll byte extra) {
        byte[] bytes = RowCodec.encode(c.row(), c.types());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        longer[bytes.length] = extra;
        assertCorrupt(longer, c.types());
    }

    @Property(tries = 3000)
    void damagedBytesAreCorruptionOrACanonicalRow(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1000)
            int where, @ForAll byte xor, @ForAll boolean replace) {
        byte[] bytes = RowCodec.encode(c.row(), c.types());
        int at = where % bytes.length;
        bytes[at] = replace ? xor : (byte) (bytes[at] ^ (xor == 0 ? 1 : xor));
        checkDecodesCanonicallyOrIsCorrupt(bytes, c.types());
    }

    @Property(tries = 2000)
    void randomBytesAreCorruptionOrACanonicalRow(@ForAll("schemas") DataType[] types,
            @ForAll("garbage") byte[] bytes) {
        checkDecodesCanonicallyOrIsCorrupt(bytes, types);
    }

    @Property(tries = 1000)
    void rowsWrittenBeforeAddColumnReadWithNullsInTheNewColumns(@ForAll("cases") Case c,
            @ForAll @IntRange(min = 0, max = 24) int keep) {
        int written = Math.min(keep, c.types().length);
        byte[] bytes = RowCodec.encode(Arrays.copyOf(c.row(), written), Arrays.copyOf(c.types(), written));
        Object[] expected = Arrays.copyOf(c.row(), c.types().length);
        Arrays.fill(expected, written, expected.length, null);
        assertSameRow(expected, RowCodec.decode(bytes, c.types()), c.types());
    }

    // ---------------------------------------------------------------- checks

    /** Either DATA_CORRUPTED, or a row of the right classes whose encoding is the input (canonical form). */
    private static void checkDecodesCanonicallyOrIsCorrupt(byte[] bytes, DataType[] types) {
        Object[] row;
        try {
            row = RowCodec.decode(bytes, types);
        } catch (PhantomSqlException e) {
            assertEquals(SqlState.DATA_CORRUPTED, e.state());
            return;
        }
        assertEquals(types.length, row.length);
        for (int i = 0; i < row.length; i++) {
            assertTrue(row[i] == null || row[i].getClass() == types[i].javaClass(), "column " + i + ": " + row[i]);
        }
        int written = bytes[1]; // the column count; one varint byte, as schemas have < 128 columns
        byte[] again = RowCodec.encode(Arrays.copyOf(row, written), Arrays.copyOf(types, written));
        assertArrayEquals(bytes, again, "decoded a non-canonical encoding: " + show(row));
    }

    private static void assertCorrupt(byte[] bytes, DataType[] types) {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> RowCodec.decode(bytes, types));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
    }

    private static void assertSameRow(Object[] expected, Object[] actual, DataType[] types) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            Object e = expected[i];
            Object a = actual[i];
            if (e == null) {
                assertSame(null, a, "column " + i);
                continue;
            }
            assertSame(types[i].javaClass(), a.getClass(), "column " + i);
            if (e instanceof byte[]) {
                assertArrayEquals((byte[]) e, (byte[]) a, "column " + i);
            } else if (e instanceof Float) {
                assertEquals(Float.floatToRawIntBits((Float) e), Float.floatToRawIntBits((Float) a), "column " + i);
            } else if (e instanceof Double) {
                assertEquals(Double.doubleToRawLongBits((Double) e), Double.doubleToRawLongBits((Double) a));
            } else {
                assertEquals(e, a, "column " + i); // BigDecimal.equals includes the scale
            }
        }
    }

    // ---------------------------------------------------------------- generators

    /** One typed value (possibly NULL) of a column. */
    record Cell(DataType type, Object value) {}

    /** Value generators per type, built once: building them per case makes generation 10x slower. */
    private static final Map<DataType, Arbitrary<Object>> VALUES = new EnumMap<>(DataType.class);

    static {
        for (DataType type : DataType.values()) {
            VALUES.put(type, value(type).injectNull(0.25));
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Cell> cell = Arbitraries.of(DataType.values())
                .flatMap(type -> VALUES.get(type).map(value -> new Cell(type, value)));
        return cell.list().ofMaxSize(24).map(cells -> {
            DataType[] types = new DataType[cells.size()];
            Object[] row = new Object[cells.size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = cells.get(i).type();
                row[i] = cells.get(i).value();
            }
            return new Case(types, row);
        });
    }

    @Provide
    Arbitrary<DataType[]> schemas() {
        return Arbitraries.of(DataType.values()).array(DataType[].class).ofMaxSize(12);
    }

    /** Mostly plausible rows (version 1, a small count) with random bodies, some entirely random. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(60);
        Arbitrary<byte[]> plausible = Combinators.combine(Arbitraries.integers().between(0, 12), body)
                .as((count, rest) -> {
                    byte[] bytes = new byte[rest.length + 2];
                    bytes[0] = 1;
                    bytes[1] = (byte) (int) count;
                    System.arraycopy(rest, 0, bytes, 2, rest.length);
                    return bytes;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, plausible), net.jqwik.api.Tuple.of(1, body));
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Object> value(DataType type) {
        return (Arbitrary<Object>) (Arbitrary<?>) typedValue(type);
    }

    private static Arbitrary<?> typedValue(DataType type) {
        switch (type) {
            case SMALLINT:
                return Arbitraries.shorts();
            case INTEGER:
                return Arbitraries.integers();
            case BIGINT:
                return Arbitraries.longs();
            case DECIMAL:
                return decimals();
            case REAL:
                return Arbitraries.oneOf(Arbitraries.floats(), Arbitraries.integers().map(Float::intBitsToFloat),
                        Arbitraries.of(Float.NaN, Float.intBitsToFloat(0x7fc00001), -0.0f, Float.MIN_VALUE,
                                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MAX_VALUE));
            case DOUBLE:
                return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.longs().map(Double::longBitsToDouble),
                        Arbitraries.of(Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), -0.0,
                                Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
            case VARCHAR:
                return strings();
            case BOOLEAN:
                return Arbitraries.of(true, false);
            case DATE:
                return Arbitraries.longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE).map(LocalDate::ofEpochDay);
            case TIMESTAMP:
                return Arbitraries.longs().map(micros -> LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC));
            case BYTEA:
                return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
            default:
                throw new AssertionError(type);
        }
    }

    private static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.TEN.pow(3000).negate(), BigInteger.TWO.pow(127),
                        BigInteger.valueOf(128), BigInteger.valueOf(-129)));
        Arbitrary<Integer> scale = Arbitraries.oneOf(Arbitraries.integers().between(-20, 40),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 1000, -1000));
        return Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }

    /** Valid Unicode only: strings with unpaired surrogates are rejected by encode (no UTF-8 form). */
    private static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(Arbitraries.integers().between(0, 0x7f),
                Arbitraries.integers().between(0, 0x10ffff).filter(cp -> cp < 0xd800 || cp > 0xdfff),
                Arbitraries.of(0, 0x1f600, 0xffff, 0x10ffff, 0x80, 0x7ff, 0x800));
        Arbitrary<String> random = codePoint.list().ofMaxSize(20).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
        return Arbitraries.oneOf(random, Arbitraries.of("", "\u0000", "\uD83D\uDE00", "x".repeat(200)));
    }

    private static String show(Object[] row) {
        List<String> parts = new ArrayList<>();
        for (Object value : row) {
            parts.add(value instanceof byte[] ? Arrays.toString((byte[]) value)
                    : value == null ? "NULL" : value.getClass().getSimpleName() + ":" + value);
        }
        return parts.toString();
    }
}
