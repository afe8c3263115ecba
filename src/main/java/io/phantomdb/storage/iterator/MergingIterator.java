package io.phantomdb.storage.iterator;

import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.util.List;

/**
 * Merges sorted children into one sorted stream. Children are given newest source first (active
 * memtable, frozen memtables, L0 segments newest first, then L1, L2, ...); when two children hold the
 * same engine key (same user key and timestamp, written twice), the earlier child's entry wins and the
 * others are skipped.
 *
 * <p>The merge scans children linearly instead of keeping a heap: a read view has a handful of sources
 * (memtables, a few L0 files, one iterator per level), where a linear scan is as fast and much simpler,
 * especially when changing direction.
 */
public final class MergingIterator implements InternalIterator {

    private final InternalIterator[] children;
    private InternalIterator current;
    private boolean forward = true;

    public MergingIterator(List<? extends InternalIterator> children) {
        this.children = children.toArray(new InternalIterator[0]);
    }

    @Override
    public boolean valid() {
        return current != null;
    }

    @Override
    public void seekToFirst() {
        for (InternalIterator child : children) {
            child.seekToFirst();
        }
        forward = true;
        current = smallest();
    }

    @Override
    public void seekToLast() {
        for (InternalIterator child : children) {
            child.seekToLast();
        }
        forward = false;
        current = largest();
    }

    @Override
    public void seek(byte[] target) {
        for (InternalIterator child : children) {
            child.seek(target);
        }
        forward = true;
        current = smallest();
    }

    @Override
    public void seekForPrev(byte[] target) {
        for (InternalIterator child : children) {
            child.seekForPrev(target);
        }
        forward = false;
        current = largest();
    }

    @Override
    public void next() {
        byte[] key = current.key();
        if (!forward) {
            // Every child now sits at or before key; move each to the first entry after it.
            for (InternalIterator child : children) {
                child.seek(key);
                skipEqualForward(child, key);
            }
            forward = true;
        } else {
            for (InternalIterator child : children) {
                skipEqualForward(child, key);
            }
        }
        current = smallest();
    }

    @Override
    public void prev() {
        byte[] key = current.key();
        if (forward) {
            for (InternalIterator child : children) {
                child.seekForPrev(key);
                skipEqualBackward(child, key);
            }
            forward = false;
        } else {
            for (InternalIterator child : children) {
                skipEqualBackward(child, key);
            }
        }
        current = largest();
    }

    private static void skipEqualForward(InternalIterator child, byte[] key) {
        if (child.valid() && InternalKey.compare(child.key(), key) == 0) {
            child.next();
        }
    }

    private static void skipEqualBackward(InternalIterator child, byte[] key) {
        if (child.valid() && InternalKey.compare(child.key(), key) == 0) {
            child.prev();
        }
    }

    /** The child at the smallest key; on ties the earliest (newest source). */
    private InternalIterator smallest() {
        InternalIterator best = null;
        for (InternalIterator child : children) {
            if (child.valid() && (best == null || InternalKey.compare(child.key(), best.key()) < 0)) {
                best = child;
            }
        }
        return best;
    }

    /** The child at the largest key; on ties the earliest (newest source). */
    private InternalIterator largest() {
        InternalIterator best = null;
        for (InternalIterator child : children) {
            if (child.valid() && (best == null || InternalKey.compare(child.key(), best.key()) > 0)) {
                best = child;
            }
        }
        return best;
    }

    @Override
    public byte[] key() {
        return current.key();
    }

    @Override
    public ValueKind kind() {
        return current.kind();
    }

    @Override
    public byte[] value() {
        return current.value();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (InternalIterator child : children) {
            try {
                child.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        current = null;
        if (failure != null) {
            throw failure;
        }
    }
}
