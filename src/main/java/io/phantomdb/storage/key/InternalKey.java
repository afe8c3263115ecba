package io.phantomdb.storage.key;

import io.phantomdb.storage.codec.ByteCoding;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Engine keys: {@code userKey ++ invertedTimestamp}, where the suffix is 8 bytes big-endian of {@code
 * Long.MAX_VALUE - timestamp}. Ordered by user key (unsigned bytes), then newest version first.
 *
 * <p>The order is not plain byte order of the whole key: a user key that is a prefix of another would
 * otherwise interleave with it depending on the timestamp bytes. {@link #COMPARATOR} splits off the
 * suffix first, as LevelDB's InternalKeyComparator does.
 *
 * <p>Timestamps are in {@code [0, Long.MAX_VALUE]}. {@link #MAX_TIMESTAMP} as a read timestamp means
 * "the newest version".
 */
public final class InternalKey {

    public static final int TIMESTAMP_BYTES = 8;
    public static final long MAX_TIMESTAMP = Long.MAX_VALUE;

    /** Orders engine keys by user key, then timestamp descending. */
    public static final Comparator<byte[]> COMPARATOR = InternalKey::compare;

    private InternalKey() {}

    public static byte[] encode(byte[] userKey, long timestamp) {
        checkTimestamp(timestamp);
        byte[] key = Arrays.copyOf(userKey, userKey.length + TIMESTAMP_BYTES);
        ByteCoding.putLong(key, userKey.length, Long.MAX_VALUE - timestamp);
        return key;
    }

    /** The smallest engine key of {@code userKey}: its newest possible version. */
    public static byte[] seekKey(byte[] userKey) {
        return encode(userKey, MAX_TIMESTAMP);
    }

    public static int userKeyLength(byte[] internalKey) {
        return internalKey.length - TIMESTAMP_BYTES;
    }

    public static byte[] userKey(byte[] internalKey) {
        return Arrays.copyOf(internalKey, userKeyLength(internalKey));
    }

    public static long timestamp(byte[] internalKey) {
        return Long.MAX_VALUE - ByteCoding.getLong(internalKey, internalKey.length - TIMESTAMP_BYTES);
    }

    public static int compare(byte[] a, byte[] b) {
        int c = Arrays.compareUnsigned(a, 0, a.length - TIMESTAMP_BYTES, b, 0, b.length - TIMESTAMP_BYTES);
        if (c != 0) {
            return c;
        }
        // Suffixes are non-negative longs, so signed compare equals unsigned byte order here.
        return Long.compare(ByteCoding.getLong(a, a.length - TIMESTAMP_BYTES),
                ByteCoding.getLong(b, b.length - TIMESTAMP_BYTES));
    }

    /** {@link #compare} on slices: {@code a[aOffset, aOffset+aLength)} against {@code b[...]}. */
    public static int compare(byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength) {
        int c = Arrays.compareUnsigned(a, aOffset, aOffset + aLength - TIMESTAMP_BYTES, b, bOffset,
                bOffset + bLength - TIMESTAMP_BYTES);
        if (c != 0) {
            return c;
        }
        return Long.compare(ByteCoding.getLong(a, aOffset + aLength - TIMESTAMP_BYTES),
                ByteCoding.getLong(b, bOffset + bLength - TIMESTAMP_BYTES));
    }

    /** Compares the user-key part of an engine key with a plain user key. */
    public static int compareUserKey(byte[] internalKey, byte[] userKey) {
        return Arrays.compareUnsigned(internalKey, 0, internalKey.length - TIMESTAMP_BYTES, userKey, 0,
                userKey.length);
    }

    public static boolean sameUserKey(byte[] a, byte[] b) {
        return Arrays.equals(a, 0, a.length - TIMESTAMP_BYTES, b, 0, b.length - TIMESTAMP_BYTES);
    }

    public static void checkTimestamp(long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0: " + timestamp);
        }
    }

    public static String describe(byte[] internalKey) {
        return describeBytes(Arrays.copyOf(internalKey, userKeyLength(internalKey))) + "@" + timestamp(internalKey);
    }

    /** Printable form of bytes for error messages: ASCII where printable, \xNN otherwise. */
    public static String describeBytes(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(bytes.length, 64);
        for (int i = 0; i < limit; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > limit) {
            out.append("...(").append(bytes.length).append(" bytes)");
        }
        return out.toString();
    }
}
