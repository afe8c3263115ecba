package io.phantomdb.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: pin down {@link KeyCodec}'s documented behaviour with readable examples (the exhaustive
 * checks are in {@link KeyCodecPropertiesTest}). Method: hand-written JUnit cases — sorted lists of
 * edge values whose encodings must be strictly increasing, equal values that must encode
 * identically, the exact bytes of a few elements (the format is persistent), NULL placement,
 * prefixSuccessor, and rejection of unsupported or malformed input.
 */
class KeyCodecExamplesTest {

    private static byte[] key(Object... values) {
        return KeyCodec.encode(values);
    }

    private static int cmp(byte[] a, byte[] b) {
        return Integer.signum(Arrays.compareUnsigned(a, b));
    }

    /** Asserts the encodings of {@code values} (one-element keys) are strictly increasing. */
    private static void assertStrictlyIncreasing(Object... values) {
        for (int i = 1; i < values.length; i++) {
            byte[] previous = key(values[i - 1]);
            byte[] current = key(values[i]);
            assertEquals(-1, cmp(previous, current), "expected " + KeyCodecPropertiesTest.show(values[i - 1])
                    + " < " + KeyCodecPropertiesTest.show(values[i]));
        }
    }

    @Test
    void numericallyEqualDecimalsEncodeIdentically() {
        assertArrayEquals(key(new BigDecimal("1.0")), key(new BigDecimal("1.00")));
        assertArrayEquals(key(new BigDecimal("1")), key(new BigDecimal("1.000000")));
        assertArrayEquals(key(new BigDecimal("100")), key(new BigDecimal("1E+2")));
        assertArrayEquals(key(new BigDecimal("-12.50")), key(new BigDecimal("-12.5")));
        assertArrayEquals(key(BigDecimal.ZERO), key(new BigDecimal("0.000")));
        assertArrayEquals(key(BigDecimal.ZERO), key(new BigDecimal("0E+7")));
        assertArrayEquals(key(BigDecimal.ZERO), key(new BigDecimal(BigInteger.ZERO, Integer.MIN_VALUE)));
    }

    @Test
    void decimalsDecodeInStrippedFormAndZeroAsBigDecimalZero() {
        assertEquals(List.of(new BigDecimal("1")), KeyCodec.decode(key(new BigDecimal("1.00"))));
        assertEquals(List.of(new BigDecimal("1E+2")), KeyCodec.decode(key(new BigDecimal("100"))));
        assertEquals(List.of(new BigDecimal("-0.0123")), KeyCodec.decode(key(new BigDecimal("-0.012300"))));
        assertEquals(List.of(BigDecimal.ZERO), KeyCodec.decode(key(new BigDecimal("0.00"))));
    }

    @Test
    void decimalsWithExtremeScalesRoundTripAndOrder() {
        BigDecimal tiny = new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE); // 1E-2147483647
        BigDecimal huge = new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE); // 1E+2147483648
        // stripTrailingZeros() of this overflows the int scale; it must still encode and decode.
        BigDecimal hugeWithZero = new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE); // 1E+2147483649
        for (BigDecimal d : List.of(tiny, huge, hugeWithZero, tiny.negate(), hugeWithZero.negate())) {
            BigDecimal decoded = (BigDecimal) KeyCodec.decode(key(d)).get(0);
            assertEquals(0, d.compareTo(decoded), () -> d + " decoded as " + decoded);
        }
        assertStrictlyIncreasing(hugeWithZero.negate(), huge.negate(), BigDecimal.ONE.negate(), tiny.negate(),
                BigDecimal.ZERO, tiny, BigDecimal.ONE, huge, hugeWithZero);
    }

    @Test
    void decimalsOrderNumerically() {
        assertStrictlyIncreasing(
                new BigDecimal("-1E+100"), new BigDecimal("-123.46"), new BigDecimal("-123.456"),
                new BigDecimal("-123.45"), new BigDecimal("-123"), new BigDecimal("-1"), new BigDecimal("-0.1"),
                new BigDecimal("-0.0999"), new BigDecimal("-1E-100"), BigDecimal.ZERO, new BigDecimal("1E-100"),
                new BigDecimal("0.0999"), new BigDecimal("0.1"), new BigDecimal("0.10000000000000000000001"),
                new BigDecimal("1"), new BigDecimal("9.99"), new BigDecimal("10"), new BigDecimal("123"),
                new BigDecimal("123.45"), new BigDecimal("123.456"), new BigDecimal("123.46"),
                new BigDecimal("1E+100"));
    }

    @Test
    void decimalBytesFollowTheDocumentedGrammar() {
        // 12.5 = 0.125 x 10^2: POS tag, E=2 as 0x81 0x02, pairs "12" (odd 2*12+1=25) "50" (last, even 100).
        assertArrayEquals(new byte[] {0x2A, (byte) 0x81, 0x02, 25, 100}, key(new BigDecimal("12.50")));
        // -12.5: NEG tag, then exponent and pairs byte-inverted.
        assertArrayEquals(new byte[] {0x28, (byte) ~0x81, (byte) ~0x02, (byte) ~25, (byte) ~100},
                key(new BigDecimal("-12.5")));
        // 0.05 = 0.5 x 10^-1: E=-1 is header 0x7F with no payload.
        assertArrayEquals(new byte[] {0x2A, 0x7F, 100}, key(new BigDecimal("0.05")));
        assertArrayEquals(new byte[] {0x29}, key(BigDecimal.ZERO));
    }

    @Test
    void fixedWidthElementBytesFollowTheDocumentedGrammar() {
        assertArrayEquals(new byte[] {0x20, (byte) 0x80, 0, 0, 1}, key(1));
        assertArrayEquals(new byte[] {0x20, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, key(-1));
        assertArrayEquals(new byte[] {0x21, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, key(0L));
        assertArrayEquals(new byte[] {0x22, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, key(0.0));
        assertArrayEquals(new byte[] {0x10}, key(false));
        assertArrayEquals(new byte[] {0x11}, key(true));
        assertArrayEquals(new byte[] {0x05}, key((Object) null));
        assertArrayEquals(new byte[] {0x30, 'a', 0x00, (byte) 0xFF, 'b', 0x00, 0x01}, key("a\u0000b"));
        assertArrayEquals(new byte[] {0x31, 0x00, 0x01}, key((Object) new byte[0]));
        assertArrayEquals(new byte[] {0x20, (byte) 0x80, 0, 0, 1, (byte) 0xCF, (byte) 0x9E, (byte) 0xFF, (byte) 0xFE},
                KeyCodec.encode(List.of(1, "a"), new boolean[] {false, true}));
    }

    @Test
    void integersOrderAcrossTheSignBoundary() {
        assertStrictlyIncreasing(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -256, -1, 0, 1, 255, 256,
                Integer.MAX_VALUE);
        assertStrictlyIncreasing(Long.MIN_VALUE, -1L << 32, -1L, 0L, 1L, 1L << 32, Long.MAX_VALUE);
    }

    @Test
    void intAndLongHaveSeparateTagsSoColumnsMustUseOneJavaType() {
        // Documented choice: every INT sorts before every LONG; round trip keeps the Java type.
        assertEquals(-1, cmp(key(Integer.MAX_VALUE), key(Long.MIN_VALUE)));
        assertEquals(Integer.class, KeyCodec.decode(key(5)).get(0).getClass());
        assertEquals(Long.class, KeyCodec.decode(key(5L)).get(0).getClass());
    }

    @Test
    void doublesOrderWithNegativeZeroEqualAndNaNLast() {
        assertStrictlyIncreasing(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.0, -Double.MIN_NORMAL,
                -Double.MIN_VALUE, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NaN);
        assertArrayEquals(key(0.0), key(-0.0));
        assertArrayEquals(key(Double.NaN), key(Double.longBitsToDouble(0xfff8000000000001L)));
        assertEquals(List.of(0.0), KeyCodec.decode(key(-0.0)));
        assertTrue(Double.isNaN((Double) KeyCodec.decode(key(Double.NaN)).get(0)));
    }

    @Test
    void textOrdersByCodePointWithNulInside() {
        assertStrictlyIncreasing("", "\u0000", "\u0000\u0000", "\u0001", "a", "a\u0000", "a\u0000b", "ab",
                "b", "\u00E9", "\uFFFF", "\uD83D\uDE00");
        // Code point order, not Java's UTF-16 order: U+FFFF < U+1F600 although '\uFFFF' > '\uD83D'.
        assertTrue("\uFFFF".compareTo("\uD83D\uDE00") > 0);
        assertEquals(List.of("a\u0000b\uD83D\uDE00"), KeyCodec.decode(key("a\u0000b\uD83D\uDE00")));
    }

    @Test
    void bytesOrderUnsignedWithZeroAndFFInside() {
        assertStrictlyIncreasing(new byte[0], new byte[] {0}, new byte[] {0, 0}, new byte[] {0, (byte) 0xFF},
                new byte[] {1}, new byte[] {(byte) 0x7F}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xFF, 0});
    }

    @Test
    void nullSortsFirstByDefaultAndLastInDescendingColumns() {
        for (Object v : new Object[] {false, Integer.MIN_VALUE, Long.MIN_VALUE, Double.NEGATIVE_INFINITY,
                new BigDecimal("-1E+1000"), "", new byte[0]}) {
            assertEquals(-1, cmp(key((Object) null), key(v)));
            boolean[] desc = {true};
            assertEquals(1, cmp(KeyCodec.encode(Collections.singletonList(null), desc),
                    KeyCodec.encode(List.of(v), desc)));
        }
    }

    @Test
    void nullsFirstOrLastCanBeChosenForEitherDirection() {
        List<Object> nullKey = Collections.singletonList(null);
        for (KeyOrder order : KeyOrder.values()) {
            KeyOrder[] orders = {order};
            int expected = order.nullsFirst() ? -1 : 1;
            for (Object v : new Object[] {Integer.MIN_VALUE, Integer.MAX_VALUE, "", "\uD83D\uDE00"}) {
                assertEquals(expected, cmp(KeyCodec.encode(nullKey, orders), KeyCodec.encode(List.of(v), orders)),
                        () -> order + " " + v);
            }
            assertEquals(nullKey, KeyCodec.decode(KeyCodec.encode(nullKey, orders), orders));
        }
    }

    @Test
    void descendingColumnReversesOrderButPrefixTupleStillSortsFirst() {
        boolean[] desc = {false, true};
        byte[] a1 = KeyCodec.encode(List.of(1, "b"), desc);
        byte[] a2 = KeyCodec.encode(List.of(1, "a"), desc);
        byte[] a3 = KeyCodec.encode(List.of(1, "a\u0000"), desc);
        byte[] prefix = KeyCodec.encode(List.of(1), desc);
        assertEquals(-1, cmp(a1, a3)); // "b" > "a\0" descending
        assertEquals(-1, cmp(a3, a2)); // "a\0" > "a" descending: inversion works because TEXT is prefix-free
        assertEquals(-1, cmp(prefix, a1));
        assertEquals(List.of(1, "a\u0000"), KeyCodec.decode(a3, desc));
    }

    @Test
    void tuplesCompareLexicographicallyWithPrefixFirst() {
        assertEquals(-1, cmp(key(1), key(1, "a")));
        assertEquals(-1, cmp(key(1, "zzz"), key(2, "")));
        assertEquals(-1, cmp(key("a", 2), key("a\u0000", 1)));
        assertEquals(-1, cmp(key(), key((Object) null)));
    }

    @Test
    void prefixSuccessorIncrementsTheLastNonFFByte() {
        assertArrayEquals(new byte[] {1, 3}, KeyCodec.prefixSuccessor(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, KeyCodec.prefixSuccessor(new byte[] {1, (byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new byte[] {(byte) 0x80}, KeyCodec.prefixSuccessor(new byte[] {(byte) 0x7F}));
        assertNull(KeyCodec.prefixSuccessor(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        assertNull(KeyCodec.prefixSuccessor(new byte[0]));
    }

    @Test
    void prefixSuccessorBoundsARangeScanOverAKeyPrefix() {
        byte[] prefix = key(7, "x");
        byte[] end = KeyCodec.prefixSuccessor(prefix);
        for (byte[] inside : List.of(key(7, "x"), key(7, "x", (Object) null), key(7, "x", Long.MAX_VALUE),
                key(7, "x", new byte[] {(byte) 0xFF, (byte) 0xFF}))) {
            assertEquals(-1, cmp(inside, end));
        }
        for (byte[] outside : List.of(key(7, "x\u0000"), key(7, "y"), key(8))) {
            assertTrue(cmp(outside, end) >= 0);
        }
    }

    @Test
    void encodeToAppendsAfterACallerPrefixAndDecodeSkipsIt() {
        ByteCoding.Writer out = new ByteCoding.Writer(32);
        out.int32(42).int32(3); // tableId, indexId
        KeyCodec.encodeTo(out, "k", false);
        KeyCodec.encodeTo(out, 9L, true);
        byte[] k = out.toByteArray();
        assertEquals(List.of("k", 9L), KeyCodec.decode(k, 8, new boolean[] {false, true}));

        ByteCoding.Reader in = new ByteCoding.Reader(k, 8, k.length);
        assertEquals("k", KeyCodec.decodeFrom(in, false));
        assertEquals(9L, KeyCodec.decodeFrom(in, true));
        assertEquals(0, in.remaining());
    }

    @Test
    void roundTripKeepsEveryTypeAndValue() {
        byte[] bytes = {0, (byte) 0xFF, 1};
        List<Object> values = new ArrayList<>(Arrays.asList(null, true, false, -5, Long.MIN_VALUE,
                new BigDecimal("-3.14159"), -2.5, "h\u00E9llo\u0000", bytes));
        boolean[] desc = {true, false, true, false, true, false, true, false, true};
        List<Object> decoded = KeyCodec.decode(KeyCodec.encode(values, desc), desc);
        assertArrayEquals(bytes, (byte[]) decoded.get(8));
        decoded.set(8, bytes);
        assertEquals(values, decoded);
    }

    @Test
    void unsupportedJavaTypesAreRejectedByName() {
        for (Object v : new Object[] {(short) 1, (byte) 1, 1.0f, BigInteger.ONE, 'c', new Object[0], new int[0]}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key(v));
            assertTrue(e.getMessage().contains(v.getClass().getTypeName()), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.encode((Object[]) null));
    }

    @Test
    void stringsWithUnpairedSurrogatesAreRejected() {
        for (String bad : List.of("\uD83D", "a\uDE00", "\uDE00\uD83D")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key(bad));
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        }
    }

    @Test
    void moreValuesThanDirectionFlagsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.encode(List.of(1, 2), new boolean[] {false}));
        byte[] twoElements = key(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyCodec.decode(twoElements, new boolean[] {false}));
        assertTrue(e.getMessage().contains("offset 5"), e.getMessage());
    }

    @Test
    void malformedKeysAreRejectedWithTheOffset() {
        assertMalformed(new byte[] {0x20, 0x00}, "at 1"); // INT truncated (reader names its position)
        assertMalformed(new byte[] {0x20, 0, 0, 0, 0, 0x77}, "offset 5"); // unknown tag
        assertMalformed(new byte[] {0x00}, "offset 0");
        assertMalformed(new byte[] {(byte) 0xFF}, "offset 0");
        assertMalformed(new byte[] {0x30, 'a', 0x00, 0x02}, "offset 2"); // bad escape
        assertMalformed(new byte[] {0x30, 'a'}, "at 2"); // unterminated text
        assertMalformed(new byte[] {0x30, (byte) 0xC0, (byte) 0x80, 0x00, 0x01}, "offset 0"); // overlong UTF-8
        assertMalformed(new byte[] {0x2A, (byte) 0x81, 0x00, 25, 100}, "offset 1"); // non-minimal exponent
        assertMalformed(new byte[] {0x2A, (byte) 0x80, 5, 100}, "offset 2"); // leading zero digit
        assertMalformed(new byte[] {0x2A, (byte) 0x80, 25, 0}, "offset 3"); // final pair zero
        assertMalformed(new byte[] {0x2A, (byte) 0x89}, "offset 1"); // exponent header
        assertMalformed(new byte[] {0x22, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF}, "offset 0"); // -0.0 is not canonical
    }

    private static void assertMalformed(byte[] key, String offsetText) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyCodec.decode(key));
        assertTrue(e.getMessage().contains(offsetText), () -> "message '" + e.getMessage() + "' lacks " + offsetText);
    }
}
