package io.phantomdb.storage.segment;

import static io.phantomdb.storage.segment.SegmentFormat.*;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.codec.Checksums;
import java.nio.file.Path;

/**
 * The fixed-size footer at the end of a segment: where the index, bloom and properties blocks are, plus
 * the summary a reader needs before touching any block. Layout in {@code docs/formats/segment.md}.
 */
record Footer(BlockHandle index, BlockHandle bloom, BlockHandle properties, long entryCount, long minTimestamp,
        long maxTimestamp) {

    byte[] encode() {
        byte[] out = new byte[FOOTER_BYTES];
        index.encodeFixed(out, FOOTER_INDEX_HANDLE_OFFSET);
        bloom.encodeFixed(out, FOOTER_BLOOM_HANDLE_OFFSET);
        properties.encodeFixed(out, FOOTER_PROPERTIES_HANDLE_OFFSET);
        ByteCoding.putLong(out, FOOTER_ENTRY_COUNT_OFFSET, entryCount);
        ByteCoding.putLong(out, FOOTER_MIN_TIMESTAMP_OFFSET, minTimestamp);
        ByteCoding.putLong(out, FOOTER_MAX_TIMESTAMP_OFFSET, maxTimestamp);
        ByteCoding.putInt(out, FOOTER_VERSION_OFFSET, FORMAT_VERSION);
        ByteCoding.putInt(out, FOOTER_CRC_OFFSET, Checksums.masked(out, 0, FOOTER_CRC_OFFSET));
        ByteCoding.putLong(out, FOOTER_MAGIC_OFFSET, MAGIC);
        return out;
    }

    /**
     * Decodes and checks a footer read from {@code [footerOffset, footerOffset + FOOTER_BYTES)}. Checks, in
     * order: magic (is this a segment at all), CRC (are the fields intact), version (can we read it), then
     * that every handle lies before the footer and the summary is consistent.
     */
    static Footer decode(byte[] bytes, Path path, long footerOffset) {
        if (ByteCoding.getLong(bytes, FOOTER_MAGIC_OFFSET) != MAGIC) {
            throw new CorruptionException(path, footerOffset + FOOTER_MAGIC_OFFSET, "bad segment magic number");
        }
        int storedCrc = ByteCoding.getInt(bytes, FOOTER_CRC_OFFSET);
        if (storedCrc != Checksums.masked(bytes, 0, FOOTER_CRC_OFFSET)) {
            throw new CorruptionException(path, footerOffset, "footer checksum mismatch");
        }
        int version = ByteCoding.getInt(bytes, FOOTER_VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            throw new CorruptionException(path, footerOffset + FOOTER_VERSION_OFFSET,
                    "unsupported segment format version " + version);
        }
        Footer footer = new Footer(handle(bytes, FOOTER_INDEX_HANDLE_OFFSET, path, footerOffset),
                handle(bytes, FOOTER_BLOOM_HANDLE_OFFSET, path, footerOffset),
                handle(bytes, FOOTER_PROPERTIES_HANDLE_OFFSET, path, footerOffset),
                ByteCoding.getLong(bytes, FOOTER_ENTRY_COUNT_OFFSET),
                ByteCoding.getLong(bytes, FOOTER_MIN_TIMESTAMP_OFFSET),
                ByteCoding.getLong(bytes, FOOTER_MAX_TIMESTAMP_OFFSET));
        footer.checkSummary(path, footerOffset);
        return footer;
    }

    private static BlockHandle handle(byte[] bytes, int at, Path path, long footerOffset) {
        long offset = ByteCoding.getLong(bytes, at);
        int size = ByteCoding.getInt(bytes, at + 8);
        // Written so that no sum can overflow: footerOffset >= 0 and size >= 0 are known first.
        if (offset < 0 || size < 0 || offset > footerOffset - BLOCK_TRAILER_BYTES - size) {
            throw new CorruptionException(path, footerOffset + at,
                    "block handle " + offset + "+" + size + " outside the file's " + footerOffset + " block bytes");
        }
        return new BlockHandle(offset, size);
    }

    private void checkSummary(Path path, long footerOffset) {
        // A CRC-valid footer that breaks these was written by a buggy writer: still never trust it.
        if (index.isAbsent() || properties.isAbsent()) {
            throw new CorruptionException(path, footerOffset, "footer has no index or properties block");
        }
        if (entryCount < 1) {
            throw new CorruptionException(path, footerOffset, "footer entry count " + entryCount + " < 1");
        }
        if (minTimestamp < 0 || minTimestamp > maxTimestamp) {
            throw new CorruptionException(path, footerOffset,
                    "footer timestamps [" + minTimestamp + ", " + maxTimestamp + "] are not a valid range");
        }
    }
}
