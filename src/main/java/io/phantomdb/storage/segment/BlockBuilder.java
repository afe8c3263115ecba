package io.phantomdb.storage.segment;

import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.key.ValueKind;
import java.util.Arrays;

/**
 * Builds one block in the layout of {@code docs/formats/segment.md}: entries {@code [varint keyLength]
 * [varint valueLength][u8 kind][key][value]}, then a u32 offset per entry, then a u32 entry count.
 *
 * <p>Keys are stored whole (no prefix compression): the offset array lets a reader binary-search and
 * step backwards without decoding a restart run. Used for data blocks and the index block. The caller
 * guarantees key order. Not thread-safe.
 */
final class BlockBuilder {

    private final ByteCoding.Writer entries;
    private int[] entryOffsets = new int[64];
    private int count;

    BlockBuilder(int expectedBytes) {
        entries = new ByteCoding.Writer(expectedBytes + expectedBytes / 4);
    }

    void add(byte[] key, ValueKind kind, byte[] value) {
        if (count == entryOffsets.length) {
            entryOffsets = Arrays.copyOf(entryOffsets, count * 2);
        }
        entryOffsets[count++] = entries.size();
        entries.varLong(key.length).varLong(value.length).u8(kind.code()).bytes(key).bytes(value);
    }

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    /** Size of the block {@link #finish()} would return now. */
    int estimatedBytes() {
        return entries.size() + count * SegmentFormat.ENTRY_OFFSET_BYTES + SegmentFormat.ENTRY_COUNT_BYTES;
    }

    /** The finished block bytes (a fresh array); the builder keeps its contents until {@link #reset()}. */
    byte[] finish() {
        int entriesEnd = entries.size();
        byte[] block = Arrays.copyOf(entries.array(), estimatedBytes());
        for (int i = 0; i < count; i++) {
            ByteCoding.putInt(block, entriesEnd + i * SegmentFormat.ENTRY_OFFSET_BYTES, entryOffsets[i]);
        }
        ByteCoding.putInt(block, block.length - SegmentFormat.ENTRY_COUNT_BYTES, count);
        return block;
    }

    void reset() {
        entries.reset();
        count = 0;
    }
}
