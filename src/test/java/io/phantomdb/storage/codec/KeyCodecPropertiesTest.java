package io.phantomdb.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Goal: {@link KeyCodec} is order-preserving and lossless. For random pairs of tuples with the same
 * column types, the sign of {@code Arrays.compareUnsigned} on the encodings must equal the sign of an
 * independent value comparator ({@link #compareTuples}); and decode must invert encode.
 *
 * <p>Method: jqwik properties. A case is a random schema (column types, each with a random {@link
 * KeyOrder}: ascending/descending, NULLs first/last) plus two tuples of possibly different lengths
 * (prefixes). The second tuple is built column by column from the first: an identical value, a
 * "neighbour" (±1, next double, same decimal with extra trailing zeros, string with "\0" appended,
 * ...) or an independent value, so ties on leading columns and near-equal values are common.
 * Generators mix hand-picked edge cases (MIN/MAX, 0, -0.0, NaN, ±Infinity, Double.MIN_VALUE,
 * decimal scales at Integer.MIN/MAX_VALUE, 60-digit mantissas, "\u0000", supplementary code points,
 * 0x00/0xFF bytes, empty strings/bytes) with random values. Each per-type property runs 1,000+ tries.
 */
class KeyCodecPropertiesTest {

    enum ColType { BOOLEAN, INT, LONG, DECIMAL, DOUBLE, TEXT, BYTES }

    record Column(ColType type, KeyOrder order) {}

    record Case(List<Column> columns, List<Object> a, List<Object> b) {
        KeyOrder[] orders() {
            return columns.stream().map(Column::order).toArray(KeyOrder[]::new);
        }

        @Override
        public String toString() {
            return "Case{columns=" + columns + ", a=" + show(a) + ", b=" + show(b) + "}";
        }
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void booleanTuplesOrderLikeTheirEncodings(@ForAll("booleanCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1000)
    void intTuplesOrderLikeTheirEncodings(@ForAll("intCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1000)
    void longTuplesOrderLikeTheirEncodings(@ForAll("longCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1500)
    void decimalTuplesOrderLikeTheirEncodings(@ForAll("decimalCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1500)
    void doubleTuplesOrderLikeTheirEncodings(@ForAll("doubleCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1000)
    void textTuplesOrderLikeTheirEncodings(@ForAll("textCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 1000)
    void bytesTuplesOrderLikeTheirEncodings(@ForAll("bytesCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 2000)
    void mixedTypeTuplesOrderLikeTheirEncodings(@ForAll("mixedCases") Case c) {
        checkOrder(c);
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("mixedCases") Case c) {
        KeyOrder[] orders = c.orders();
        for (List<Object> tuple : List.of(c.a(), c.b())) {
            byte[] key = KeyCodec.encode(tuple, orders);
            List<Object> decoded = KeyCodec.decode(key, orders);
            assertEquals(tuple.size(), decoded.size(), () -> "decoded " + show(decoded) + " from " + show(tuple));
            for (int i = 0; i < tuple.size(); i++) {
                assertNormalizedEqual(tuple.get(i), decoded.get(i));
            }
            // The decoded form is canonical: encoding it again gives the same bytes.
            assertArrayEquals(key, KeyCodec.encode(decoded, orders));
        }
    }

    @Property(tries = 1000)
    void booleanFlagApiMatchesDefaultNullPlacement(@ForAll("mixedCases") Case c) {
        boolean[] descending = new boolean[c.columns().size()];
        KeyOrder[] defaults = new KeyOrder[descending.length];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = c.columns().get(i).order().descending();
            defaults[i] = KeyOrder.of(descending[i]);
        }
        byte[] key = KeyCodec.encode(c.a(), descending);
        assertArrayEquals(KeyCodec.encode(c.a(), defaults), key);
        ByteCoding.Writer incremental = new ByteCoding.Writer(4);
        for (int i = 0; i < c.a().size(); i++) {
            KeyCodec.encodeTo(incremental, c.a().get(i), descending[i]);
        }
        assertArrayEquals(key, incremental.toByteArray());
        assertEquals(c.a().size(), KeyCodec.decode(key, descending).size());
    }

    @Property(tries = 2000)
    void prefixSuccessorIsTheSmallestKeyAboveThePrefixRange(
            @ForAll("smallByteArrays") byte[] prefix, @ForAll("smallByteArrays") byte[] key) {
        byte[] successor = KeyCodec.prefixSuccessor(prefix);
        boolean hasPrefix = key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        if (successor == null) {
            for (byte b : prefix) {
                assertEquals((byte) 0xFF, b);
            }
            return;
        }
        assertTrue(Arrays.compareUnsigned(successor, prefix) > 0);
        if (hasPrefix) {
            assertTrue(Arrays.compareUnsigned(key, successor) < 0, "key with prefix must sort below successor");
        } else if (Arrays.compareUnsigned(key, prefix) > 0) {
            assertTrue(Arrays.compareUnsigned(key, successor) >= 0,
                    "a key above the prefix range must not sort below the successor");
        }
    }

    @Property(tries = 2000)
    void corruptKeysFailWithIllegalArgumentOrDecodeCanonically(
            @ForAll("mixedCases") Case c, @ForAll("smallByteArrays") byte[] noise) {
        KeyOrder[] orders = c.orders();
        byte[] key = KeyCodec.encode(c.a(), orders);
        // Overwrite a few bytes and/or truncate.
        byte[] corrupt = Arrays.copyOf(key, Math.max(0, key.length - (noise.length % 3)));
        for (int i = 0; i + 1 < noise.length && corrupt.length > 0; i += 2) {
            corrupt[(noise[i] & 0xFF) % corrupt.length] = noise[i + 1];
        }
        List<Object> decoded;
        try {
            decoded = KeyCodec.decode(corrupt, orders);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("offset") || expected.getMessage().contains(" at "),
                    () -> "message should name the offset: " + expected.getMessage());
            return;
        }
        // Either decoding failed or it found a value whose encoding is exactly these bytes (apart
        // from NULL, whose two tags both decode to null).
        if (!decoded.contains(null)) {
            assertArrayEquals(corrupt, KeyCodec.encode(decoded, orders), () -> "non-canonical decode " + show(decoded));
        }
    }

    // ------------------------------------------------------------------ checks

    private static void checkOrder(Case c) {
        KeyOrder[] orders = c.orders();
        byte[] ea = KeyCodec.encode(c.a(), orders);
        byte[] eb = KeyCodec.encode(c.b(), orders);
        int expected = Integer.signum(compareTuples(c.a(), c.b(), orders));
        int actual = Integer.signum(Arrays.compareUnsigned(ea, eb));
        Statistics.label("value order").collect(expected);
        if (expected != actual) {
            fail("value order " + expected + " but key order " + actual + " for " + c + "\n  enc(a)="
                    + hex(ea) + "\n  enc(b)=" + hex(eb));
        }
        // Antisymmetry, and the encoding of equal tuples is identical.
        assertEquals(-actual, Integer.signum(Arrays.compareUnsigned(eb, ea)));
        if (expected == 0) {
            assertArrayEquals(ea, eb);
        }
    }

    /** Independent oracle: lexicographic, a proper prefix first; per column direction and NULL placement. */
    static int compareTuples(List<Object> a, List<Object> b, KeyOrder[] orders) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareValues(a.get(i), b.get(i), orders[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static int compareValues(Object x, Object y, KeyOrder order) {
        if (x == null || y == null) {
            if (x == y) {
                return 0;
            }
            int nullVsValue = order.nullsFirst() ? -1 : 1;
            return x == null ? nullVsValue : -nullVsValue;
        }
        int c = compareNonNull(x, y);
        return order.descending() ? -c : c;
    }

    static int compareNonNull(Object x, Object y) {
        if (x instanceof Boolean) {
            return Boolean.compare((Boolean) x, (Boolean) y);
        } else if (x instanceof Integer) {
            return Integer.compare((Integer) x, (Integer) y);
        } else if (x instanceof Long) {
            return Long.compare((Long) x, (Long) y);
        } else if (x instanceof BigDecimal) {
            return ((BigDecimal) x).compareTo((BigDecimal) y);
        } else if (x instanceof Double) {
            double dx = (Double) x;
            double dy = (Double) y;
            if (dx == 0.0 && dy == 0.0) {
                return 0; // -0.0 equals 0.0 (SQL/PostgreSQL), though Double.compare says otherwise
            }
            return Double.compare(dx, dy); // NaN above +Infinity, like PostgreSQL
        } else if (x instanceof String) {
            return Arrays.compare(((String) x).codePoints().toArray(), ((String) y).codePoints().toArray());
        } else if (x instanceof byte[]) {
            return Arrays.compareUnsigned((byte[]) x, (byte[]) y);
        }
        throw new AssertionError("unexpected type " + x.getClass());
    }

    private static void assertNormalizedEqual(Object expected, Object actual) {
        if (expected == null) {
            assertEquals(null, actual);
        } else if (expected instanceof BigDecimal) {
            BigDecimal e = (BigDecimal) expected;
            BigDecimal a = (BigDecimal) actual;
            assertEquals(0, e.compareTo(a), () -> "decimal " + e + " decoded as " + a);
            if (a.signum() == 0) {
                assertEquals(BigDecimal.ZERO, a);
            } else if (a.scale() != Integer.MIN_VALUE) {
                // stripTrailingZeros form (unless the int scale could not go lower)
                assertTrue(a.unscaledValue().mod(BigInteger.TEN).signum() != 0, () -> "not stripped: " + a);
            }
        } else if (expected instanceof Double) {
            double e = (Double) expected;
            assertEquals(e == 0.0 ? (Double) 0.0 : (Double) e, actual); // -0.0 decodes as 0.0; NaN equals NaN
        } else if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else {
            assertEquals(expected, actual); // also checks Integer stays Integer, Long stays Long
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> booleanCases() {
        return cases(Arbitraries.just(ColType.BOOLEAN), 4);
    }

    @Provide
    Arbitrary<Case> intCases() {
        return cases(Arbitraries.just(ColType.INT), 3);
    }

    @Provide
    Arbitrary<Case> longCases() {
        return cases(Arbitraries.just(ColType.LONG), 3);
    }

    @Provide
    Arbitrary<Case> decimalCases() {
        return cases(Arbitraries.just(ColType.DECIMAL), 3);
    }

    @Provide
    Arbitrary<Case> doubleCases() {
        return cases(Arbitraries.just(ColType.DOUBLE), 3);
    }

    @Provide
    Arbitrary<Case> textCases() {
        return cases(Arbitraries.just(ColType.TEXT), 3);
    }

    @Provide
    Arbitrary<Case> bytesCases() {
        return cases(Arbitraries.just(ColType.BYTES), 3);
    }

    @Provide
    Arbitrary<Case> mixedCases() {
        return cases(Arbitraries.of(ColType.class), 5);
    }

    @Provide
    Arbitrary<byte[]> smallByteArrays() {
        return Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0xFE, (byte) 0xFF)),
                        Tuple.of(1, Arbitraries.bytes()))
                .list().ofMaxSize(6)
                .map(KeyCodecPropertiesTest::toBytes);
    }

    private static Arbitrary<Case> cases(Arbitrary<ColType> types, int maxColumns) {
        Arbitrary<List<Column>> schemas = Combinators.combine(types, Arbitraries.of(KeyOrder.class))
                .as(Column::new)
                .list().ofMinSize(1).ofMaxSize(maxColumns);
        return schemas.flatMap(columns -> {
            int n = columns.size();
            Arbitrary<List<Object>> first = tuple(columns);
            Arbitrary<List<Object>> second = tuple(columns);
            // Per column: 0-3 copy a's value, 4-7 a neighbour of it, 8-11 independent value.
            Arbitrary<List<Integer>> how = Arbitraries.integers().between(0, 11).list().ofSize(n);
            Arbitrary<Integer> length = Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.just(n)), Tuple.of(1, Arbitraries.integers().between(0, n)));
            return Combinators.combine(first, second, how, length, length).as((a, fresh, h, lengthA, lengthB) -> {
                List<Object> b = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int k = h.get(i);
                    if (k < 4) {
                        b.add(a.get(i));
                    } else if (k < 8 && a.get(i) != null) {
                        b.add(neighbour(a.get(i), k));
                    } else {
                        b.add(fresh.get(i));
                    }
                }
                return new Case(columns, new ArrayList<>(a.subList(0, lengthA)), new ArrayList<>(b.subList(0, lengthB)));
            }).withoutEdgeCases(); // jqwik would recompute combined edge cases on every flatMap; the
                                   // value generators above already mix in the edge values explicitly
        });
    }

    private static Arbitrary<List<Object>> tuple(List<Column> columns) {
        List<Arbitrary<Object>> elements = columns.stream()
                .map(c -> values(c.type()).injectNull(0.12))
                .collect(Collectors.toList());
        return Combinators.combine(elements).as(list -> (List<Object>) new ArrayList<Object>(list));
    }

    /** A value equal or close to {@code v} (same type), to exercise ties and near-ties. */
    private static Object neighbour(Object v, int k) {
        int variant = k % 4;
        if (v instanceof Boolean) {
            return variant == 0 ? v : !(Boolean) v;
        } else if (v instanceof Integer) {
            return (Integer) v + (variant - 1); // wraps at the extremes, which is fine
        } else if (v instanceof Long) {
            return (Long) v + (variant - 1);
        } else if (v instanceof Double) {
            double d = (Double) v;
            switch (variant) {
                case 0: return Math.nextUp(d);
                case 1: return Math.nextDown(d);
                case 2: return -d; // 0.0 vs -0.0, +/-Infinity, NaN vs NaN
                default: return d == 0.0 ? -0.0 : d;
            }
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            switch (variant) {
                case 0: // numerically equal, different scale: must encode identically
                    return d.scale() <= Integer.MAX_VALUE - 3 ? d.setScale(d.scale() + 3) : d;
                case 1:
                    return d.add(d.ulp());
                case 2:
                    return d.negate();
                default: // one more mantissa digit: a mantissa that extends another
                    return d.scale() < Integer.MAX_VALUE
                            ? new BigDecimal(d.unscaledValue().multiply(BigInteger.TEN).add(BigInteger.valueOf(7)),
                                    d.scale() + 1)
                            : d;
            }
        } else if (v instanceof String) {
            String s = (String) v;
            switch (variant) {
                case 0: return s + "\u0000";
                case 1: return s + "a";
                case 2: return s.isEmpty() ? s : s.substring(0, s.offsetByCodePoints(0, s.codePointCount(0, s.length()) / 2));
                default: return s + "\uD83D\uDE00"; // U+1F600, a supplementary code point
            }
        } else if (v instanceof byte[]) {
            byte[] bytes = (byte[]) v;
            switch (variant) {
                case 0: return Arrays.copyOf(bytes, bytes.length + 1); // append 0x00
                case 1: {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
                    longer[bytes.length] = (byte) 0xFF;
                    return longer;
                }
                case 2: return Arrays.copyOf(bytes, bytes.length / 2);
                default: return bytes.clone();
            }
        }
        throw new AssertionError(v.getClass());
    }

    private static Arbitrary<Object> values(ColType type) {
        switch (type) {
            case BOOLEAN:
                return Arbitraries.of(true, false).map(x -> (Object) x);
            case INT:
                return Arbitraries.frequencyOf(
                        Tuple.of(2, Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1,
                                Integer.MAX_VALUE - 1, Integer.MAX_VALUE)),
                        Tuple.of(2, Arbitraries.integers().between(-3, 3)),
                        Tuple.of(4, Arbitraries.integers())).map(x -> (Object) x);
            case LONG:
                return Arbitraries.frequencyOf(
                        Tuple.of(2, Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L,
                                (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE)),
                        Tuple.of(2, Arbitraries.longs().between(-3, 3)),
                        Tuple.of(4, Arbitraries.longs())).map(x -> (Object) x);
            case DOUBLE:
                return doubles().map(x -> (Object) x);
            case DECIMAL:
                return decimals().map(x -> (Object) x);
            case TEXT:
                return strings().map(x -> (Object) x);
            case BYTES:
                return Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80,
                                        (byte) 0xFE, (byte) 0xFF)),
                                Tuple.of(2, Arbitraries.bytes()))
                        .list().ofMaxSize(8)
                        .map(KeyCodecPropertiesTest::toBytes)
                        .map(x -> (Object) x);
        }
        throw new AssertionError(type);
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
                        -Double.MIN_NORMAL, 1.0, -1.0, 0.1, -0.1,
                        Double.longBitsToDouble(0x7ff0000000000001L), // NaN with another payload
                        Double.longBitsToDouble(0xfff8000000000000L))), // "negative" NaN
                Tuple.of(2, Arbitraries.integers().between(-3, 3).map(i -> (double) i)),
                Tuple.of(2, Arbitraries.doubles().between(-1000, 1000).ofScale(3)),
                Tuple.of(3, Arbitraries.longs().map(Double::longBitsToDouble))); // every bit pattern
    }

    private static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-120, 120).map(BigInteger::valueOf)),
                Tuple.of(2, Arbitraries.longs().map(BigInteger::valueOf)),
                Tuple.of(2, Combinators.combine(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(60),
                        Arbitraries.of(1, -1)).as((digits, sign) -> new BigInteger(digits).multiply(BigInteger.valueOf(sign)))));
        Arbitrary<Integer> scale = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(-5, 5)),
                Tuple.of(2, Arbitraries.integers().between(-40, 40)),
                Tuple.of(2, Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MIN_VALUE + 5,
                        Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 5)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> trailingZeros = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 4)));
        return Combinators.combine(unscaled, scale, trailingZeros).as((u, s, z) -> {
            // Extra trailing zeros in the unscaled value (same scale => different value, but tests
            // the stripping); scale stays an int.
            return new BigDecimal(u.multiply(BigInteger.TEN.pow(z)), s);
        });
    }

    private static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0, 1, 'a' + 0, 'b' + 0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD,
                        0xFFFF, 0x10000, 0x1F600, 0x10FFFF)),
                Tuple.of(3, Arbitraries.integers().between('a', 'c')),
                Tuple.of(2, Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)));
        return codePoints.list().ofMaxSize(8).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] toBytes(List<Byte> list) {
        byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = list.get(i);
        }
        return bytes;
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.toString();
    }

    static String show(List<?> values) {
        return values.stream().map(KeyCodecPropertiesTest::show).collect(Collectors.joining(", ", "[", "]"));
    }

    static String show(Object v) {
        if (v == null) {
            return "NULL";
        } else if (v instanceof byte[]) {
            return "x'" + hex((byte[]) v) + "'";
        } else if (v instanceof String) {
            return "'" + ((String) v).codePoints().mapToObj(cp -> cp >= 0x20 && cp < 0x7F
                    ? String.valueOf((char) cp) : String.format("\\u{%x}", cp)).collect(Collectors.joining()) + "'";
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return d.unscaledValue() + "E" + (-(long) d.scale()) + "(dec)";
        } else if (v instanceof Double) {
            return v + "(" + Long.toHexString(Double.doubleToRawLongBits((Double) v)) + ")";
        }
        return v + "(" + v.getClass().getSimpleName() + ")";
    }
}
