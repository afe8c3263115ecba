package io.phantomdb.storage.segment;

import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.ValueKind;

/**
 * Bidirectional cursor over one segment. The position is (data block, entry); a block is fetched (through
 * the block cache) only when the cursor enters it, so a short scan touches few blocks. Key and value are
 * copied out on first access per position, because callers may keep them after the cursor moves.
 *
 * <p>Not thread-safe. A {@link io.phantomdb.storage.CorruptionException} from a block leaves the cursor
 * invalid, never positioned on unverified data.
 */
final class SegmentIterator implements InternalIterator {

    private final SegmentReader reader;
    private final boolean fillCache;
    private final Block index;
    private int blockIndex = -1;
    private Block block;
    private int entry;
    private byte[] key;
    private byte[] value;

    SegmentIterator(SegmentReader reader, boolean fillCache) {
        this.fillCache = fillCache;
        this.reader = reader;
        this.index = reader.indexBlock();
    }

    @Override
    public boolean valid() {
        return block != null;
    }

    @Override
    public void seekToFirst() {
        enterBlock(0);
        position(0);
    }

    @Override
    public void seekToLast() {
        enterBlock(index.count() - 1);
        position(block.count() - 1);
    }

    @Override
    public void seek(byte[] target) {
        // Index keys are each block's last key: the first block whose last key is >= target holds the answer.
        int found = index.lowerBound(target);
        if (found == index.count()) {
            invalidate();
            return;
        }
        enterBlock(found);
        position(block.lowerBound(target));
    }

    @Override
    public void seekForPrev(byte[] target) {
        int found = index.lowerBound(target);
        if (found == index.count()) {
            seekToLast();
            return;
        }
        enterBlock(found);
        int at = block.floor(target);
        if (at >= 0) {
            position(at);
        } else if (found > 0) {
            // Every key of this block is > target, so the answer is the previous block's last entry.
            enterBlock(found - 1);
            position(block.count() - 1);
        } else {
            invalidate();
        }
    }

    @Override
    public void next() {
        requireValid();
        if (entry + 1 < block.count()) {
            position(entry + 1);
        } else if (blockIndex + 1 < index.count()) {
            enterBlock(blockIndex + 1);
            position(0);
        } else {
            invalidate();
        }
    }

    @Override
    public void prev() {
        requireValid();
        if (entry > 0) {
            position(entry - 1);
        } else if (blockIndex > 0) {
            enterBlock(blockIndex - 1);
            position(block.count() - 1);
        } else {
            invalidate();
        }
    }

    @Override
    public byte[] key() {
        requireValid();
        if (key == null) {
            key = block.key(entry);
        }
        return key;
    }

    @Override
    public ValueKind kind() {
        requireValid();
        return block.kind(entry);
    }

    @Override
    public byte[] value() {
        requireValid();
        if (value == null) {
            value = block.value(entry);
        }
        return value;
    }

    @Override
    public void close() {
        invalidate();
    }

    /** Loads block {@code target} unless it is current. Invalid first, so a corrupt block leaves no position. */
    private void enterBlock(int target) {
        if (target == blockIndex && block != null) {
            return;
        }
        invalidate();
        block = reader.dataBlock(target, fillCache);
        blockIndex = target;
    }

    private void position(int target) {
        // Blocks are never empty and seeks only land on in-range entries (the index guarantees a key >= target).
        assert target >= 0 && target < block.count() : "entry " + target + " outside block of " + block.count();
        entry = target;
        key = null;
        value = null;
    }

    private void invalidate() {
        block = null;
        blockIndex = -1;
        key = null;
        value = null;
    }

    private void requireValid() {
        if (block == null) {
            throw new IllegalStateException("iterator is not positioned");
        }
    }
}
