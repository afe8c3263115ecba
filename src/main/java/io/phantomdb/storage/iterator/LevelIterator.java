package io.phantomdb.storage.iterator;

import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Concatenates the iterators of a level's files, which are sorted and do not overlap. Only one file is
 * open at a time, opened as the cursor reaches it, so a short scan of a large level touches one file.
 */
public final class LevelIterator implements InternalIterator {

    private final List<byte[]> smallestKeys;
    private final List<byte[]> largestKeys;
    private final IntFunction<InternalIterator> opener;
    private int fileIndex = -1;
    private InternalIterator file;

    /**
     * @param smallestKeys smallest engine key of each file, in level order
     * @param largestKeys largest engine key of each file, in level order
     * @param opener opens the iterator of the file at an index
     */
    public LevelIterator(List<byte[]> smallestKeys, List<byte[]> largestKeys, IntFunction<InternalIterator> opener) {
        this.smallestKeys = smallestKeys;
        this.largestKeys = largestKeys;
        this.opener = opener;
    }

    @Override
    public boolean valid() {
        return file != null && file.valid();
    }

    @Override
    public void seekToFirst() {
        open(0);
        if (file != null) {
            file.seekToFirst();
        }
        skipEmptyForward();
    }

    @Override
    public void seekToLast() {
        open(largestKeys.size() - 1);
        if (file != null) {
            file.seekToLast();
        }
        skipEmptyBackward();
    }

    @Override
    public void seek(byte[] target) {
        // First file whose largest key is >= target.
        int lo = 0;
        int hi = largestKeys.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compare(largestKeys.get(mid), target) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        open(lo);
        if (file != null) {
            file.seek(target);
        }
        skipEmptyForward();
    }

    @Override
    public void seekForPrev(byte[] target) {
        // Last file whose smallest key is <= target.
        int lo = 0;
        int hi = smallestKeys.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compare(smallestKeys.get(mid), target) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        open(lo - 1);
        if (file != null) {
            file.seekForPrev(target);
        }
        skipEmptyBackward();
    }

    @Override
    public void next() {
        file.next();
        skipEmptyForward();
    }

    @Override
    public void prev() {
        file.prev();
        skipEmptyBackward();
    }

    private void skipEmptyForward() {
        while (file != null && !file.valid()) {
            open(fileIndex + 1);
            if (file != null) {
                file.seekToFirst();
            }
        }
    }

    private void skipEmptyBackward() {
        while (file != null && !file.valid()) {
            open(fileIndex - 1);
            if (file != null) {
                file.seekToLast();
            }
        }
    }

    /** Switches to the file at {@code index}; out of range leaves no file open (iterator invalid). */
    private void open(int index) {
        if (index == fileIndex && file != null) {
            return;
        }
        closeFile();
        fileIndex = index;
        if (index >= 0 && index < largestKeys.size()) {
            file = opener.apply(index);
        }
    }

    private void closeFile() {
        if (file != null) {
            InternalIterator old = file;
            file = null;
            old.close();
        }
    }

    @Override
    public byte[] key() {
        return file.key();
    }

    @Override
    public ValueKind kind() {
        return file.kind();
    }

    @Override
    public byte[] value() {
        return file.value();
    }

    @Override
    public void close() {
        closeFile();
        fileIndex = -1;
    }
}
