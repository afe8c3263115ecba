package io.phantomdb.storage.manifest;

import io.phantomdb.storage.key.InternalKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable set of segment files by level: what the manifest describes. Level 0 holds flushed
 * memtables, which may overlap, newest (highest file number) first; every deeper level is sorted by key
 * and its files do not overlap.
 *
 * <p>Versions are reference-counted: the engine holds the current one, and every read or iterator
 * acquires the version it reads. A segment file is deleted only when no live version lists it, so a
 * compaction never pulls a file from under a reader.
 */
public final class Version {

    private final List<List<SegmentMeta>> levels;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile Runnable onLastRelease = () -> {};

    public Version(List<List<SegmentMeta>> levels) {
        List<List<SegmentMeta>> copy = new ArrayList<>(levels.size());
        for (int level = 0; level < levels.size(); level++) {
            List<SegmentMeta> files = new ArrayList<>(levels.get(level));
            if (level == 0) {
                files.sort(Comparator.comparingLong(SegmentMeta::fileNumber).reversed());
            } else {
                files.sort((a, b) -> InternalKey.compare(a.smallestKey(), b.smallestKey()));
                checkDisjoint(level, files);
            }
            copy.add(Collections.unmodifiableList(files));
        }
        this.levels = Collections.unmodifiableList(copy);
    }

    public static Version empty(int levelCount) {
        List<List<SegmentMeta>> levels = new ArrayList<>();
        for (int i = 0; i < levelCount; i++) {
            levels.add(List.of());
        }
        return new Version(levels);
    }

    private static void checkDisjoint(int level, List<SegmentMeta> files) {
        for (int i = 1; i < files.size(); i++) {
            if (InternalKey.compareUserKey(files.get(i - 1).largestKey(), files.get(i).smallestUserKey()) >= 0) {
                throw new IllegalStateException("level " + level + " files overlap: " + files.get(i - 1) + " and "
                        + files.get(i));
            }
        }
    }

    public int levelCount() {
        return levels.size();
    }

    public List<SegmentMeta> files(int level) {
        return levels.get(level);
    }

    public List<List<SegmentMeta>> levels() {
        return levels;
    }

    public long levelBytes(int level) {
        long total = 0;
        for (SegmentMeta meta : levels.get(level)) {
            total += meta.fileBytes();
        }
        return total;
    }

    /** Files of {@code level} whose user-key range meets {@code [low, high]}. */
    public List<SegmentMeta> overlapping(int level, byte[] lowUserKey, byte[] highUserKey) {
        List<SegmentMeta> result = new ArrayList<>();
        for (SegmentMeta meta : levels.get(level)) {
            if (meta.overlapsUserKeys(lowUserKey, highUserKey)) {
                result.add(meta);
            }
        }
        return result;
    }

    /**
     * In a sorted level, the only file that may hold {@code userKey}, or null. Binary search on the
     * largest key.
     */
    public SegmentMeta fileFor(int level, byte[] userKey) {
        List<SegmentMeta> files = levels.get(level);
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compareUserKey(files.get(mid).largestKey(), userKey) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == files.size() || InternalKey.compareUserKey(files.get(lo).smallestKey(), userKey) > 0) {
            return null;
        }
        return files.get(lo);
    }

    public List<SegmentMeta> allFiles() {
        List<SegmentMeta> all = new ArrayList<>();
        levels.forEach(all::addAll);
        return all;
    }

    /** Takes a reference; false when the version was already released for good (retry with the new one). */
    public boolean tryAcquire() {
        while (true) {
            int count = references.get();
            if (count <= 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    public void release() {
        int count = references.decrementAndGet();
        if (count < 0) {
            throw new IllegalStateException("version released more often than acquired");
        }
        if (count == 0) {
            onLastRelease.run();
        }
    }

    /** Called once, when the last reference goes. Set by the engine before the version is published. */
    public void onLastRelease(Runnable action) {
        this.onLastRelease = action;
    }
}
