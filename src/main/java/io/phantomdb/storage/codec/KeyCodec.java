package io.phantomdb.storage.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Order-preserving ("memcomparable") encoding of tuples of SQL values: for tuples {@code a} and
 * {@code b}, {@code Arrays.compareUnsigned(encode(a), encode(b))} has the sign of the value order of
 * {@code a} and {@code b} (element by element, a tuple that is a prefix of another sorts first). The
 * grammar, tag values and the reasons behind each trick are in {@code docs/formats/keys.md}; keep the
 * two in sync. The format is persistent: changing a tag or payload breaks every stored index.
 *
 * <p>Element types and their Java classes: NULL ({@code null}), BOOLEAN ({@link Boolean}), INT
 * ({@link Integer}), LONG ({@link Long}), DECIMAL ({@link BigDecimal}), DOUBLE ({@link Double}), TEXT
 * ({@link String}, ordered by code point = UTF-8 byte order) and BYTES ({@code byte[]}, unsigned
 * order). Any other class is rejected with {@link IllegalArgumentException}. Each type has its own
 * tag, so values of different types never compare numerically: an INT column must be encoded (and
 * probed) with {@code Integer}s, a LONG column with {@code Long}s — the SQL layer coerces literals
 * to the column type before building a key. Across types, elements order by tag: NULL (nulls first)
 * &lt; BOOLEAN &lt; INT &lt; LONG &lt; DOUBLE &lt; DECIMAL &lt; TEXT &lt; BYTES &lt; NULL (nulls last).
 *
 * <p>Every element encoding is prefix-free (no element's encoding is a proper prefix of another's),
 * so a descending column is encoded by inverting every byte of its ascending encoding, which
 * reverses its order exactly. NULL is the smallest value by default; {@link KeyOrder} chooses NULLS
 * FIRST/LAST independently of the direction. No element encoding starts with 0x00 or 0xFF (in either
 * direction), so {@code prefix ++ 0x00} sorts before and {@code prefix ++ 0xFF} after every key
 * that extends {@code prefix} by at least one element.
 *
 * <p>Decoding returns {@code null}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Double}
 * (NaN canonical, never -0.0), {@link BigDecimal} (numerically equal values encode identically, so the
 * original scale is lost: decode returns the {@code stripTrailingZeros()} form, {@link
 * BigDecimal#ZERO} for zero), {@link String} or {@code byte[]}. Malformed input throws {@link
 * IllegalArgumentException} naming the offset.
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyCodec {

    // Tags, in ascending (non-inverted) form. 0x00 and 0xFF are never tags: see class comment.
    static final int TAG_NULL_LOW = 0x05;
    static final int TAG_FALSE = 0x10;
    static final int TAG_TRUE = 0x11;
    static final int TAG_INT = 0x20;
    static final int TAG_LONG = 0x21;
    static final int TAG_DOUBLE = 0x22;
    static final int TAG_DECIMAL_NEG = 0x28;
    static final int TAG_DECIMAL_ZERO = 0x29;
    static final int TAG_DECIMAL_POS = 0x2A;
    static final int TAG_TEXT = 0x30;
    static final int TAG_BYTES = 0x31;
    static final int TAG_NULL_HIGH = 0xFA;

    /** Escape byte and the byte after it in TEXT/BYTES payloads. */
    private static final int ESCAPE = 0x00;
    private static final int ESCAPED_ZERO = 0xFF;
    private static final int TERMINATOR = 0x01;

    /**
     * Bound on |E| (decimal exponent) accepted by decode. Encoded exponents lie in {@code
     * [2 - 2^31, 2^31 + precision]} (precision minus an int scale; a BigDecimal's precision stays far
     * below 2^32), so anything beyond this is corruption.
     */
    private static final long MAX_ABS_EXPONENT = 1L << 33;

    /**
     * Most zeros decode appends to a decimal mantissa to bring its scale up to {@link
     * Integer#MIN_VALUE} (only for values like {@code 10E+2147483648} whose stripped form has no int
     * scale). Bounds memory on corrupt input.
     */
    private static final long MAX_DECODE_ZERO_PADDING = 1L << 20;

    private KeyCodec() {}

    // ---------------------------------------------------------------- encoding

    /** Encodes the values as one key, every column ascending with NULLs first. */
    public static byte[] encode(Object... values) {
        if (values == null) {
            throw new IllegalArgumentException(
                    "values array is null; to encode a single NULL use encode((Object) null)");
        }
        ByteCoding.Writer out = new ByteCoding.Writer(estimate(values.length));
        for (Object value : values) {
            encodeTo(out, value, KeyOrder.ASC_NULLS_FIRST);
        }
        return out.toByteArray();
    }

    /** Encodes the values as one key, every column ascending with NULLs first. */
    public static byte[] encode(List<?> values) {
        ByteCoding.Writer out = new ByteCoding.Writer(estimate(values.size()));
        for (Object value : values) {
            encodeTo(out, value, KeyOrder.ASC_NULLS_FIRST);
        }
        return out.toByteArray();
    }

    /**
     * Encodes the values; column {@code i} is descending iff {@code descending[i]}. NULL is the
     * smallest value, so it sorts first in ascending and last in descending columns. {@code
     * descending} may be longer than {@code values} (a key prefix for a range scan), not shorter.
     */
    public static byte[] encode(List<?> values, boolean[] descending) {
        if (values.size() > descending.length) {
            throw new IllegalArgumentException(
                    values.size() + " values but only " + descending.length + " descending flags");
        }
        ByteCoding.Writer out = new ByteCoding.Writer(estimate(values.size()));
        for (int i = 0; i < values.size(); i++) {
            encodeTo(out, values.get(i), KeyOrder.of(descending[i]));
        }
        return out.toByteArray();
    }

    /**
     * Encodes the values; column {@code i} has direction and NULL placement {@code orders[i]}. {@code
     * orders} may be longer than {@code values}, not shorter.
     */
    public static byte[] encode(List<?> values, KeyOrder[] orders) {
        if (values.size() > orders.length) {
            throw new IllegalArgumentException(values.size() + " values but only " + orders.length + " orders");
        }
        ByteCoding.Writer out = new ByteCoding.Writer(estimate(values.size()));
        for (int i = 0; i < values.size(); i++) {
            encodeTo(out, values.get(i), orders[i]);
        }
        return out.toByteArray();
    }

    /**
     * Appends one element to {@code out}, for callers that build keys incrementally (e.g. after a
     * tableId/indexId prefix). NULL is the smallest value: first if ascending, last if descending.
     */
    public static void encodeTo(ByteCoding.Writer out, Object value, boolean descending) {
        encodeTo(out, value, KeyOrder.of(descending));
    }

    /** Appends one element to {@code out} with the given direction and NULL placement. */
    public static void encodeTo(ByteCoding.Writer out, Object value, KeyOrder order) {
        int start = out.size();
        boolean descending = order.descending();
        if (value == null) {
            // The tag is chosen in ascending space so that after the optional inversion NULL lands
            // at the requested end: LOW stays low ascending, HIGH inverted becomes low descending.
            out.u8(order.nullsFirst() != descending ? TAG_NULL_LOW : TAG_NULL_HIGH);
        } else if (value instanceof Integer) {
            out.u8(TAG_INT).int32((Integer) value ^ Integer.MIN_VALUE);
        } else if (value instanceof Long) {
            out.u8(TAG_LONG).int64((Long) value ^ Long.MIN_VALUE);
        } else if (value instanceof String) {
            out.u8(TAG_TEXT);
            writeUtf8Escaped(out, (String) value);
        } else if (value instanceof byte[]) {
            out.u8(TAG_BYTES);
            writeEscaped(out, (byte[]) value);
        } else if (value instanceof BigDecimal) {
            writeDecimal(out, (BigDecimal) value);
        } else if (value instanceof Double) {
            out.u8(TAG_DOUBLE).int64(sortableDoubleBits((Double) value));
        } else if (value instanceof Boolean) {
            out.u8((Boolean) value ? TAG_TRUE : TAG_FALSE);
        } else {
            throw new IllegalArgumentException("KeyCodec: unsupported key value type "
                    + value.getClass().getTypeName()
                    + " (supported: null, Boolean, Integer, Long, BigDecimal, Double, String, byte[])");
        }
        if (descending) {
            byte[] buffer = out.array();
            for (int i = start, end = out.size(); i < end; i++) {
                buffer[i] = (byte) ~buffer[i];
            }
        }
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}, or {@code null} if
     * there is none (the prefix is empty or all 0xFF). A range scan over a prefix is {@code [prefix,
     * prefixSuccessor(prefix))}, with {@code null} meaning "to the end".
     */
    public static byte[] prefixSuccessor(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xFF) {
            last--;
        }
        if (last < 0) {
            return null;
        }
        byte[] successor = Arrays.copyOf(prefix, last + 1);
        successor[last]++;
        return successor;
    }

    private static int estimate(int elements) {
        return 16 + 10 * elements;
    }

    /**
     * Doubles: canonical NaN (above +Infinity) and -0.0 folded to 0.0; then flip the sign bit of
     * non-negatives and all bits of negatives, so unsigned order of the bits is numeric order.
     */
    private static long sortableDoubleBits(double d) {
        if (d == 0.0) {
            d = 0.0; // -0.0 == 0.0 is true, so this folds -0.0
        }
        long bits = Double.doubleToLongBits(d); // canonicalizes every NaN to 0x7ff8000000000000
        return bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
    }

    private static void writeEscaped(ByteCoding.Writer out, byte[] bytes) {
        for (byte b : bytes) {
            if (b == ESCAPE) {
                out.u8(ESCAPE).u8(ESCAPED_ZERO);
            } else {
                out.u8(b);
            }
        }
        out.u8(ESCAPE).u8(TERMINATOR);
    }

    private static void putEscaped(ByteCoding.Writer out, int b) {
        if (b == ESCAPE) {
            out.u8(ESCAPE).u8(ESCAPED_ZERO);
        } else {
            out.u8(b);
        }
    }

    /** UTF-8 of {@code s}, escaped; unpaired surrogates are rejected (they have no UTF-8 form). */
    private static void writeUtf8Escaped(ByteCoding.Writer out, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                putEscaped(out, c);
            } else if (c < 0x800) {
                out.u8(0xC0 | (c >>> 6)).u8(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException(
                            "KeyCodec: string has an unpaired surrogate at index " + i + "; not valid Unicode");
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.u8(0xF0 | (cp >>> 18)).u8(0x80 | ((cp >>> 12) & 0x3F)).u8(0x80 | ((cp >>> 6) & 0x3F))
                        .u8(0x80 | (cp & 0x3F));
            } else {
                out.u8(0xE0 | (c >>> 12)).u8(0x80 | ((c >>> 6) & 0x3F)).u8(0x80 | (c & 0x3F));
            }
        }
        out.u8(ESCAPE).u8(TERMINATOR);
    }

    /**
     * DECIMAL: {@code v = sign * 0.d1 d2 ... dn * 10^E} with {@code d1 != 0} and {@code dn != 0}. Tag
     * by sign; then E as a sortable varint and the digits in base-100 pairs, both inverted for
     * negatives so larger magnitude sorts first.
     */
    private static void writeDecimal(ByteCoding.Writer out, BigDecimal value) {
        int signum = value.signum();
        if (signum == 0) {
            out.u8(TAG_DECIMAL_ZERO);
            return;
        }
        // Not stripTrailingZeros(): that can overflow the int scale (e.g. unscaled 10, scale MIN).
        String digits = value.unscaledValue().abs().toString();
        long exponent = (long) digits.length() - value.scale();
        int n = digits.length();
        while (digits.charAt(n - 1) == '0') {
            n--;
        }
        int mask = signum < 0 ? 0xFF : 0x00;
        out.u8(signum < 0 ? TAG_DECIMAL_NEG : TAG_DECIMAL_POS);
        writeSortableLong(out, exponent, mask);
        int pairs = (n + 1) / 2;
        for (int p = 0; p < pairs; p++) {
            int hi = digits.charAt(2 * p) - '0';
            int lo = 2 * p + 1 < n ? digits.charAt(2 * p + 1) - '0' : 0;
            int x = hi * 10 + lo;
            // Non-final pairs are odd (2x+1), the final pair is even (2x, x != 0): self-delimiting,
            // and a mantissa that is a prefix of another sorts first (2x < 2x+1).
            out.u8(((p == pairs - 1) ? 2 * x : 2 * x + 1) ^ mask);
        }
    }

    /**
     * Order-preserving variable-length signed long. Non-negative v: header 0x80+L then the L
     * minimal big-endian bytes of v (L = 0 for v = 0). Negative v: header 0x7F-L, where L is the
     * minimal byte count of ~v, then the low L bytes of v. Headers range 0x77..0x88.
     */
    private static void writeSortableLong(ByteCoding.Writer out, long v, int mask) {
        if (v >= 0) {
            int length = (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
            out.u8((0x80 + length) ^ mask);
            for (int i = length - 1; i >= 0; i--) {
                out.u8((int) (v >>> (8 * i)) ^ mask);
            }
        } else {
            int length = (64 - Long.numberOfLeadingZeros(~v) + 7) / 8;
            out.u8((0x7F - length) ^ mask);
            for (int i = length - 1; i >= 0; i--) {
                out.u8((int) (v >>> (8 * i)) ^ mask);
            }
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes a key whose columns are all ascending. */
    public static List<Object> decode(byte[] key) {
        ByteCoding.Reader in = new ByteCoding.Reader(key);
        List<Object> values = new ArrayList<>();
        while (in.remaining() > 0) {
            values.add(decodeFrom(in, false));
        }
        return values;
    }

    /**
     * Decodes a key written with these direction flags (NULL placement needs no flag). The key may
     * hold fewer elements than flags (a prefix), not more.
     */
    public static List<Object> decode(byte[] key, boolean[] descending) {
        return decode(key, 0, descending);
    }

    /** Decodes the elements of {@code key} starting at {@code offset} (e.g. after a tableId/indexId). */
    public static List<Object> decode(byte[] key, int offset, boolean[] descending) {
        if (offset < 0 || offset > key.length) {
            throw new IllegalArgumentException("offset " + offset + " outside key of " + key.length + " bytes");
        }
        ByteCoding.Reader in = new ByteCoding.Reader(key, offset, key.length);
        List<Object> values = new ArrayList<>();
        while (in.remaining() > 0) {
            if (values.size() >= descending.length) {
                throw new IllegalArgumentException("key has more than " + descending.length
                        + " elements: trailing bytes at offset " + in.position());
            }
            values.add(decodeFrom(in, descending[values.size()]));
        }
        return values;
    }

    /** Decodes a key written with these orders. */
    public static List<Object> decode(byte[] key, KeyOrder[] orders) {
        boolean[] descending = new boolean[orders.length];
        for (int i = 0; i < orders.length; i++) {
            descending[i] = orders[i].descending();
        }
        return decode(key, 0, descending);
    }

    /** Reads one element at the reader's position and advances past it. */
    public static Object decodeFrom(ByteCoding.Reader in, boolean descending) {
        int mask = descending ? 0xFF : 0x00;
        int start = in.position();
        int tag = in.u8() ^ mask;
        switch (tag) {
            case TAG_NULL_LOW:
            case TAG_NULL_HIGH:
                return null;
            case TAG_FALSE:
                return Boolean.FALSE;
            case TAG_TRUE:
                return Boolean.TRUE;
            case TAG_INT:
                return (in.int32() ^ (mask == 0 ? 0 : -1)) ^ Integer.MIN_VALUE;
            case TAG_LONG:
                return (in.int64() ^ (mask == 0 ? 0L : -1L)) ^ Long.MIN_VALUE;
            case TAG_DOUBLE:
                return decodeDouble(in.int64() ^ (mask == 0 ? 0L : -1L), start);
            case TAG_DECIMAL_ZERO:
                return BigDecimal.ZERO;
            case TAG_DECIMAL_POS:
                return decodeDecimal(in, mask, false, start);
            case TAG_DECIMAL_NEG:
                return decodeDecimal(in, mask, true, start);
            case TAG_TEXT:
                return decodeUtf8(readEscaped(in, mask), start);
            case TAG_BYTES:
                return readEscaped(in, mask);
            default:
                throw new IllegalArgumentException(String.format(
                        "KeyCodec: unknown element tag 0x%02x at offset %d", tag, start));
        }
    }

    private static double decodeDouble(long sortable, int start) {
        long bits = sortable < 0 ? sortable ^ Long.MIN_VALUE : ~sortable;
        double d = Double.longBitsToDouble(bits);
        if (Double.doubleToLongBits(d) != bits || bits == Long.MIN_VALUE) {
            throw new IllegalArgumentException("KeyCodec: non-canonical double (NaN payload or -0.0) at offset "
                    + start);
        }
        return d;
    }

    private static byte[] readEscaped(ByteCoding.Reader in, int mask) {
        ByteCoding.Writer bytes = new ByteCoding.Writer(32);
        while (true) {
            int b = in.u8() ^ mask;
            if (b != ESCAPE) {
                bytes.u8(b);
                continue;
            }
            int position = in.position();
            int next = in.u8() ^ mask;
            if (next == ESCAPED_ZERO) {
                bytes.u8(0);
            } else if (next == TERMINATOR) {
                return bytes.toByteArray();
            } else {
                throw new IllegalArgumentException(String.format(
                        "KeyCodec: bad escape 0x00 0x%02x at offset %d", next, position - 1));
            }
        }
    }

    private static String decodeUtf8(byte[] utf8, int start) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("KeyCodec: TEXT element at offset " + start + " is not valid UTF-8", e);
        }
    }

    private static BigDecimal decodeDecimal(ByteCoding.Reader in, int mask, boolean negative, int start) {
        int m = mask ^ (negative ? 0xFF : 0x00);
        long exponent = readSortableLong(in, m);
        if (exponent > MAX_ABS_EXPONENT || exponent < -MAX_ABS_EXPONENT) {
            throw new IllegalArgumentException("KeyCodec: decimal exponent " + exponent + " out of range at offset "
                    + start);
        }
        StringBuilder digits = new StringBuilder();
        while (true) {
            int position = in.position();
            int b = in.u8() ^ m;
            boolean last = (b & 1) == 0;
            int x = last ? b / 2 : (b - 1) / 2;
            if (x > 99 || (last && x == 0) || (digits.length() == 0 && x < 10)) {
                throw new IllegalArgumentException(String.format(
                        "KeyCodec: bad decimal digit byte 0x%02x at offset %d", b ^ m, position));
            }
            digits.append((char) ('0' + x / 10));
            if (!last || x % 10 != 0) {
                digits.append((char) ('0' + x % 10));
            }
            if (last) {
                break;
            }
        }
        long scale = digits.length() - exponent;
        if (scale > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("KeyCodec: decimal scale " + scale + " out of range at offset " + start);
        }
        if (scale < Integer.MIN_VALUE) {
            long padding = (long) Integer.MIN_VALUE - scale;
            if (padding > MAX_DECODE_ZERO_PADDING) {
                throw new IllegalArgumentException("KeyCodec: decimal exponent " + exponent
                        + " not representable at offset " + start);
            }
            digits.append(String.join("", Collections.nCopies((int) padding, "0")));
            scale = Integer.MIN_VALUE;
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        return new BigDecimal(negative ? unscaled.negate() : unscaled, (int) scale);
    }

    private static long readSortableLong(ByteCoding.Reader in, int mask) {
        int position = in.position();
        int header = in.u8() ^ mask;
        boolean negative = header < 0x80;
        int length = negative ? 0x7F - header : header - 0x80;
        if (length < 0 || length > 8) {
            throw new IllegalArgumentException(String.format(
                    "KeyCodec: bad decimal exponent header 0x%02x at offset %d", header, position));
        }
        long v = negative ? -1L : 0L;
        for (int i = 0; i < length; i++) {
            int b = in.u8() ^ mask;
            if (i == 0 && b == (negative ? 0xFF : 0x00)) {
                throw new IllegalArgumentException("KeyCodec: non-minimal decimal exponent at offset " + position);
            }
            v = (v << 8) | b;
        }
        if ((v < 0) != negative) {
            throw new IllegalArgumentException("KeyCodec: decimal exponent sign disagrees with header at offset "
                    + position);
        }
        return v;
    }
}
