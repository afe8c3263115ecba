package io.phantomdb.catalog;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.codec.ByteCoding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The value side of a stored row: a row ({@code Object[]} in column order, each value of exactly its
 * column type's {@link DataType#javaClass()} or null) to bytes and back. The key side is {@link TableKeys}.
 * The byte format is in {@code docs/formats/rows.md}; keep the two in sync. It is persistent: a format
 * change needs a new version byte, and old versions must stay readable.
 *
 * <pre>
 *   row := version:u8 (=1)  columnCount:varint  nullBitmap[ceil(columnCount / 8)]  value*
 * </pre>
 *
 * Values carry no type tags: the reader takes the types from the table definition. A row written with
 * fewer columns than the table now has (written before an ADD COLUMN) decodes with NULLs for the missing
 * trailing columns; a row with more columns is corruption.
 *
 * <p>Encoding is lossless (DECIMAL keeps its scale, REAL/DOUBLE keep their exact bits, NaN payloads and
 * -0.0 included) and canonical: every row has exactly one encoding, and decode rejects every other byte
 * string (non-minimal varints, padding bits, booleans other than 0/1, malformed UTF-8, ...). As a
 * consequence a truncated or extended value is always reported as {@link SqlState#DATA_CORRUPTED}, never
 * decoded as a different row. Arbitrary bit flips are caught only when they break the structure; the
 * storage engine's block checksums cover the rest.
 *
 * <p>Stateless and thread-safe.
 */
public final class RowCodec {

    /** Format version written first in every row value; 0 is never used, so zeroed bytes are rejected. */
    static final int FORMAT_VERSION = 1;

    /** Days since 1970-01-01 must fit an int32 (PostgreSQL's date range does: 4713 BC .. 5874897 AD). */
    private static final long EPOCH_DAY_MIN = Integer.MIN_VALUE;
    private static final long EPOCH_DAY_MAX = Integer.MAX_VALUE;

    private RowCodec() {}

    /**
     * Encodes a row of {@code types.length} values.
     *
     * @throws IllegalArgumentException when the row length differs from the types, a value is not exactly of
     *     its column's Java class, a string holds an unpaired surrogate (it has no UTF-8 form), a timestamp has
     *     sub-microsecond digits or is out of range, or a date is out of range; all are bugs of the caller,
     *     which must produce values that respect the {@link DataType} invariant
     */
    public static byte[] encode(Object[] row, DataType[] types) {
        if (row.length != types.length) {
            throw new IllegalArgumentException("row has " + row.length + " values but " + types.length + " types");
        }
        ByteCoding.Writer out = new ByteCoding.Writer(16 + 9 * row.length);
        out.u8(FORMAT_VERSION).varLong(row.length);
        writeNullBitmap(out, row);
        for (int i = 0; i < row.length; i++) {
            if (row[i] != null) {
                checkClass(row[i], types[i], i);
                writeValue(out, row[i], types[i], i);
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a row encoded for {@code types} or for a prefix of them (the missing trailing columns are NULL).
     *
     * @throws PhantomSqlException {@link SqlState#DATA_CORRUPTED} when the bytes are not a canonical row
     *     value for these types: truncated, trailing bytes, unknown version, more columns than types, or a
     *     malformed value
     */
    public static Object[] decode(byte[] bytes, DataType[] types) {
        return decode(bytes, types, null);
    }

    /**
     * As {@link #decode(byte[], DataType[])}, but only the columns marked in {@code wanted} (null = all) are
     * materialized; the others are skipped over (lengths still checked) and left NULL. Queries that read a
     * few columns of wide rows pay for those columns only.
     */
    public static Object[] decode(byte[] bytes, DataType[] types, boolean[] wanted) {
        ByteCoding.Reader in = new ByteCoding.Reader(bytes);
        try {
            int version = in.u8();
            if (version != FORMAT_VERSION) {
                throw corrupt("unknown row format version " + version, 0);
            }
            int count = canonicalVarInt(in, types.length, "column count");
            boolean[] nulls = readNullBitmap(in, count);
            Object[] row = new Object[types.length];
            for (int i = 0; i < count; i++) {
                if (nulls[i]) {
                    continue;
                }
                if (wanted == null || wanted[i]) {
                    row[i] = readValue(in, types[i]);
                } else {
                    skipValue(in, types[i]);
                }
            }
            if (in.remaining() != 0) {
                throw corrupt(in.remaining() + " trailing bytes after the last column", in.position());
            }
            return row;
        } catch (IllegalArgumentException e) {
            // ByteCoding.Reader reports a value that runs past the end this way.
            throw corrupt(e.getMessage(), in.position());
        }
    }

    // ---------------------------------------------------------------- encoding

    private static void checkClass(Object value, DataType type, int column) {
        if (value.getClass() != type.javaClass()) {
            throw new IllegalArgumentException("column " + column + " of type " + type + " holds a "
                    + value.getClass().getName() + ", not a " + type.javaClass().getName());
        }
    }

    /** Bit {@code i % 8} (least significant first) of byte {@code i / 8} is set when column i is NULL. */
    private static void writeNullBitmap(ByteCoding.Writer out, Object[] row) {
        for (int start = 0; start < row.length; start += 8) {
            int bits = 0;
            for (int bit = 0; bit < 8 && start + bit < row.length; bit++) {
                if (row[start + bit] == null) {
                    bits |= 1 << bit;
                }
            }
            out.u8(bits);
        }
    }

    private static void writeValue(ByteCoding.Writer out, Object value, DataType type, int column) {
        switch (type) {
            case SMALLINT:
                short s = (Short) value;
                out.u8(s >>> 8).u8(s);
                break;
            case INTEGER:
                out.int32((Integer) value);
                break;
            case BIGINT:
                out.int64((Long) value);
                break;
            case DECIMAL:
                BigDecimal decimal = (BigDecimal) value;
                out.varLong(zigZag(decimal.scale())).lengthPrefixed(decimal.unscaledValue().toByteArray());
                break;
            case REAL:
                out.int32(Float.floatToRawIntBits((Float) value));
                break;
            case DOUBLE:
                out.int64(Double.doubleToRawLongBits((Double) value));
                break;
            case VARCHAR:
                out.lengthPrefixed(utf8((String) value, column));
                break;
            case BOOLEAN:
                out.u8((Boolean) value ? 1 : 0);
                break;
            case DATE:
                out.int32(epochDay((LocalDate) value, column));
                break;
            case TIMESTAMP:
                out.int64(epochMicros((LocalDateTime) value, column));
                break;
            case BYTEA:
                out.lengthPrefixed((byte[]) value);
                break;
            default:
                throw new IllegalArgumentException("no row encoding for type " + type);
        }
    }

    /**
     * Strict UTF-8: {@code String.getBytes} would silently turn an unpaired surrogate into '?', so a string with
     * surrogates goes through a reporting encoder. Every other string (nearly all) encodes exactly with
     * {@code getBytes}, which is a plain copy for ASCII: a new encoder per value cost more than the row write.
     */
    private static byte[] utf8(String value, int column) {
        for (int i = 0, n = value.length(); i < n; i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return strictUtf8(value, column);
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] strictUtf8(String value, int column) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("column " + column + ": string has an unpaired surrogate", e);
        }
    }

    private static int epochDay(LocalDate date, int column) {
        long day = date.toEpochDay();
        if (day < EPOCH_DAY_MIN || day > EPOCH_DAY_MAX) {
            throw new IllegalArgumentException("column " + column + ": date " + date + " out of range");
        }
        return (int) day;
    }

    /** TIMESTAMP has microsecond precision (DataType): a nanosecond remainder would be lost, so it is a bug. */
    private static long epochMicros(LocalDateTime timestamp, int column) {
        if (timestamp.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("column " + column + ": timestamp " + timestamp
                    + " has sub-microsecond digits; round it to microseconds first");
        }
        long seconds = timestamp.toEpochSecond(ZoneOffset.UTC);
        long micros = timestamp.getNano() / 1000;
        if (seconds < 0 && micros > 0) {
            // Near Long.MIN_VALUE micros, seconds * 10^6 alone would overflow although the sum fits.
            seconds++;
            micros -= 1_000_000L;
        }
        try {
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("column " + column + ": timestamp " + timestamp + " out of range", e);
        }
    }

    private static long zigZag(int value) {
        return ((long) value << 1) ^ ((long) value >> 63);
    }

    // ---------------------------------------------------------------- decoding

    private static boolean[] readNullBitmap(ByteCoding.Reader in, int count) {
        boolean[] nulls = new boolean[count];
        for (int start = 0; start < count; start += 8) {
            int position = in.position();
            int bits = in.u8();
            int used = Math.min(8, count - start);
            if ((bits >>> used) != 0) {
                throw corrupt("null bitmap has bits set past the last column", position);
            }
            for (int bit = 0; bit < used; bit++) {
                nulls[start + bit] = (bits & (1 << bit)) != 0;
            }
        }
        return nulls;
    }

    private static Object readValue(ByteCoding.Reader in, DataType type) {
        switch (type) {
            case SMALLINT:
                return (short) ((in.u8() << 8) | in.u8());
            case INTEGER:
                return in.int32();
            case BIGINT:
                return in.int64();
            case DECIMAL:
                return readDecimal(in);
            case REAL:
                return Float.intBitsToFloat(in.int32());
            case DOUBLE:
                return Double.longBitsToDouble(in.int64());
            case VARCHAR:
                return readUtf8(in);
            case BOOLEAN:
                return readBoolean(in);
            case DATE:
                return LocalDate.ofEpochDay(in.int32());
            case TIMESTAMP:
                long micros = in.int64();
                return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            case BYTEA:
                return in.bytes(canonicalVarInt(in, in.remaining(), "byte string length"));
            default:
                throw new IllegalArgumentException("no row encoding for type " + type);
        }
    }

    /** Moves past one value without building it (text is not decoded). */
    private static void skipValue(ByteCoding.Reader in, DataType type) {
        if (type == DataType.VARCHAR || type == DataType.BYTEA) {
            in.skip(canonicalVarInt(in, in.remaining(), "length"));
        } else {
            readValue(in, type);
        }
    }

    /** A strict UTF-8 decoder per thread: building one per string was a measurable share of a scan. */
    private static final ThreadLocal<java.nio.charset.CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private static BigDecimal readDecimal(ByteCoding.Reader in) {
        long zigZagScale = canonicalVarLong(in, "decimal scale");
        long scale = (zigZagScale >>> 1) ^ -(zigZagScale & 1);
        if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
            throw corrupt("decimal scale " + scale + " out of range", in.position());
        }
        int start = in.position();
        byte[] unscaled = in.bytes(canonicalVarInt(in, in.remaining(), "decimal length"));
        // BigInteger.toByteArray is minimal: at least one byte, and no leading byte that only repeats the
        // sign of the next one. Anything else has a second encoding of the same value.
        boolean redundantSign = unscaled.length > 1
                && ((unscaled[0] == 0 && unscaled[1] >= 0) || (unscaled[0] == -1 && unscaled[1] < 0));
        if (unscaled.length == 0 || redundantSign) {
            throw corrupt("decimal digits are not in minimal form", start);
        }
        return new BigDecimal(new BigInteger(unscaled), (int) scale);
    }

    private static String readUtf8(ByteCoding.Reader in) {
        int start = in.position();
        int length = canonicalVarInt(in, in.remaining(), "string length");
        int at = in.skip(length); // decoded in place: a copy per value was a tenth of a scan's CPU
        byte[] bytes = in.array();
        if (isAscii(bytes, at, length)) { // the usual case: ASCII is valid UTF-8 and each byte is its char
            return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return UTF8.get().reset().decode(ByteBuffer.wrap(bytes, at, length)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("string is not valid UTF-8", start);
        }
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static Boolean readBoolean(ByteCoding.Reader in) {
        int position = in.position();
        int value = in.u8();
        if (value > 1) {
            throw corrupt("boolean byte " + value + " is neither 0 nor 1", position);
        }
        return value == 1;
    }

    /** A varint in minimal form (so each row has one encoding) that is at most {@code max}. */
    private static int canonicalVarInt(ByteCoding.Reader in, int max, String what) {
        int start = in.position();
        long value = canonicalVarLong(in, what);
        if (value < 0 || value > max) {
            throw corrupt(what + " " + Long.toUnsignedString(value) + " exceeds " + max, start);
        }
        return (int) value;
    }

    /**
     * An unsigned LEB128 varint (the form {@link ByteCoding.Writer#varLong} writes) that must be minimal: no
     * final 0x00 group after the first byte, and no bits beyond 64 in the tenth byte. ByteCoding's reader
     * accepts both, which would give a row a second encoding.
     */
    private static long canonicalVarLong(ByteCoding.Reader in, String what) {
        int start = in.position();
        long value = 0;
        for (int index = 0; index < ByteCoding.VARINT64_BYTES_MAX; index++) {
            int b = in.u8();
            if (index == ByteCoding.VARINT64_BYTES_MAX - 1 && b > 1) {
                throw corrupt(what + " overflows 64 bits", start);
            }
            value |= (long) (b & 0x7F) << (7 * index);
            if ((b & 0x80) == 0) {
                if (b == 0 && index > 0) {
                    throw corrupt(what + " is not a minimal varint", start);
                }
                return value;
            }
        }
        throw corrupt(what + " is longer than " + ByteCoding.VARINT64_BYTES_MAX + " bytes", start);
    }

    private static PhantomSqlException corrupt(String reason, int offset) {
        return new PhantomSqlException(SqlState.DATA_CORRUPTED, "row value is corrupt: " + reason + " (at byte "
                + offset + ")");
    }
}
