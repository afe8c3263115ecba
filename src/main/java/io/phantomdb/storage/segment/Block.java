package io.phantomdb.storage.segment;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A decoded (checksum-verified, decompressed) block: entries, their u32 offsets, and the count, as built
 * by {@link BlockBuilder}. Immutable and thread-safe; this is what the {@link BlockCache} holds.
 *
 * <p>{@link #decode} validates every entry (bounds, kind code, key length, strict key order) once, so
 * the search methods below can walk the bytes without re-checking: the hot path of a point read is a
 * binary search over slices with no allocation until the found entry is copied out.
 */
final class Block {

    /** Bookkeeping on top of the byte array in the block cache's weight: objects, headers, cache node. */
    static final int CACHE_OVERHEAD_BYTES = 96;

    private final byte[] data;
    private final int offsetsStart;
    private final int count;

    private Block(byte[] data, int offsetsStart, int count) {
        this.data = data;
        this.offsetsStart = offsetsStart;
        this.count = count;
    }

    /**
     * Validates {@code data} as a block and wraps it. Throws {@link CorruptionException} naming {@code
     * path} and {@code blockOffset} when the bytes are not a well-formed, strictly ordered block.
     */
    static Block decode(byte[] data, Path path, long blockOffset) {
        if (data.length < SegmentFormat.ENTRY_COUNT_BYTES) {
            throw new CorruptionException(path, blockOffset, "block of " + data.length + " bytes has no entry count");
        }
        long count = ByteCoding.getInt(data, data.length - SegmentFormat.ENTRY_COUNT_BYTES) & 0xFFFFFFFFL;
        long offsetsBytes = count * SegmentFormat.ENTRY_OFFSET_BYTES;
        if (count == 0 || offsetsBytes > data.length - SegmentFormat.ENTRY_COUNT_BYTES) {
            throw new CorruptionException(path, blockOffset, "bad entry count " + count + " in a block of "
                    + data.length + " bytes");
        }
        Block block = new Block(data, (int) (data.length - SegmentFormat.ENTRY_COUNT_BYTES - offsetsBytes), (int) count);
        block.validateEntries(path, blockOffset);
        return block;
    }

    /** Entries must tile [0, offsetsStart) in order, each well-formed, keys strictly increasing. */
    private void validateEntries(Path path, long blockOffset) {
        int expectedOffset = 0;
        long previousKey = -1;
        for (int i = 0; i < count; i++) {
            int offset = entryOffset(i);
            if (offset != expectedOffset) {
                throw new CorruptionException(path, blockOffset, "entry " + i + " at " + offset + ", expected "
                        + expectedOffset);
            }
            try {
                ByteCoding.Reader reader = new ByteCoding.Reader(data, offset, offsetsStart);
                int keyLength = reader.varInt(offsetsStart);
                int valueLength = reader.varInt(offsetsStart);
                ValueKind.fromCode(reader.u8());
                if (keyLength < InternalKey.TIMESTAMP_BYTES || (long) keyLength + valueLength > reader.remaining()) {
                    throw new IllegalArgumentException("key length " + keyLength + ", value length " + valueLength
                            + ", " + reader.remaining() + " bytes left");
                }
                expectedOffset = reader.position() + keyLength + valueLength;
            } catch (IllegalArgumentException e) {
                throw new CorruptionException(path, blockOffset, "malformed entry " + i + ": " + e.getMessage(), e);
            }
            long key = keySlice(i);
            if (previousKey >= 0 && compareSlices(previousKey, key) >= 0) {
                throw new CorruptionException(path, blockOffset, "entry " + i + " is not after entry " + (i - 1));
            }
            previousKey = key;
        }
        if (expectedOffset != offsetsStart) {
            throw new CorruptionException(path, blockOffset, "entries end at " + expectedOffset + ", offsets start at "
                    + offsetsStart);
        }
    }

    int count() {
        return count;
    }

    /** Weight in the block cache. */
    int weightBytes() {
        return data.length + CACHE_OVERHEAD_BYTES;
    }

    private int entryOffset(int i) {
        return ByteCoding.getInt(data, offsetsStart + i * SegmentFormat.ENTRY_OFFSET_BYTES);
    }

    /**
     * Key start and length of entry {@code i}, packed as {@code start << 32 | length} so the binary search
     * allocates nothing. Valid only on a validated block.
     */
    private long keySlice(int i) {
        int p = entryOffset(i);
        int keyLength = 0;
        int shift = 0;
        byte b;
        do {
            b = data[p++];
            keyLength |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        do {
            b = data[p++]; // value length: skipped here
        } while (b < 0);
        p++; // kind
        return ((long) p << 32) | keyLength;
    }

    private static int sliceStart(long slice) {
        return (int) (slice >>> 32);
    }

    private static int sliceLength(long slice) {
        return (int) slice;
    }

    private int compareSlices(long a, long b) {
        return InternalKey.compare(data, sliceStart(a), sliceLength(a), data, sliceStart(b), sliceLength(b));
    }

    /** Compares entry {@code i}'s key with an engine key. */
    int compareKey(int i, byte[] target) {
        long slice = keySlice(i);
        return InternalKey.compare(data, sliceStart(slice), sliceLength(slice), target, 0, target.length);
    }

    /** Index of the first entry whose key is {@code >= target}, or {@link #count()} if none. */
    int lowerBound(byte[] target) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(mid, target) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the last entry whose key is {@code <= target}, or -1 if none. */
    int floor(byte[] target) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(mid, target) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** Whether entry {@code i}'s user key (its key minus the timestamp suffix) equals {@code userKey}. */
    boolean hasUserKey(int i, byte[] userKey) {
        long slice = keySlice(i);
        int start = sliceStart(slice);
        return Arrays.equals(data, start, start + sliceLength(slice) - InternalKey.TIMESTAMP_BYTES, userKey, 0,
                userKey.length);
    }

    byte[] key(int i) {
        long slice = keySlice(i);
        return Arrays.copyOfRange(data, sliceStart(slice), sliceStart(slice) + sliceLength(slice));
    }

    ValueKind kind(int i) {
        long slice = keySlice(i);
        return ValueKind.fromCode(data[sliceStart(slice) - 1] & 0xFF);
    }

    byte[] value(int i) {
        ByteCoding.Reader reader = new ByteCoding.Reader(data, entryOffset(i), offsetsStart);
        int keyLength = reader.varInt(offsetsStart);
        int valueLength = reader.varInt(offsetsStart);
        int valueStart = reader.position() + 1 + keyLength;
        return Arrays.copyOfRange(data, valueStart, valueStart + valueLength);
    }

    /** Whether the last key of this block equals {@code key} (a data block against its index entry). */
    boolean lastKeyEquals(byte[] key) {
        return compareKey(count - 1, key) == 0;
    }
}
