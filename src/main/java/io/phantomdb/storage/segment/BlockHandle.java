package io.phantomdb.storage.segment;

import io.phantomdb.storage.codec.ByteCoding;

/**
 * Where a stored block sits in a segment: its first byte and its stored size. The size excludes the
 * {@link SegmentFormat#BLOCK_TRAILER_BYTES}-byte trailer that follows it, as in LevelDB.
 *
 * @param offset byte offset of the block in the file
 * @param size stored (possibly compressed) bytes of the block, trailer excluded
 */
record BlockHandle(long offset, int size) {

    /** The handle of an absent block (a segment written with bloomBitsPerKey = 0 has no filter). */
    static final BlockHandle ABSENT = new BlockHandle(0, 0);

    BlockHandle {
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("bad block handle " + offset + "+" + size);
        }
    }

    /** First byte after the block's trailer. */
    long end() {
        return offset + size + SegmentFormat.BLOCK_TRAILER_BYTES;
    }

    boolean isAbsent() {
        return size == 0;
    }

    void encodeFixed(byte[] buffer, int at) {
        ByteCoding.putLong(buffer, at, offset);
        ByteCoding.putInt(buffer, at + 8, size);
    }
}
