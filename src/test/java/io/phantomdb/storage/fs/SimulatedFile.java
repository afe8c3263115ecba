package io.phantomdb.storage.fs;

import io.phantomdb.storage.fs.FaultyFileSystem.CrashMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One file of {@link FaultyFileSystem}: what reads see ({@code current}), what a crash keeps for certain
 * ({@code durable}, the content at the last sync), and what happened in between, so that a crash can
 * decide the fate of each unsynced byte:
 *
 * <ul>
 *   <li>{@code dirty}: every byte range written since the last sync, appended or overwritten in place
 *       (a preallocated file is overwritten, and its durable content there is zeros);
 *   <li>{@code truncatedTo}: the shortest length since the last sync when it cut durable bytes off
 *       ({@code create} over an existing file); a crash may undo such a truncation.
 * </ul>
 *
 * Invariant: {@code current} equals {@code durable} cut at {@code truncatedTo}, extended to the current
 * length with zeros, with the dirty ranges of {@code current} laid over it. Every byte outside the dirty
 * ranges is therefore durable, and a crash only ever touches dirty bytes. Not thread-safe; {@link
 * FaultyFileSystem} serializes all access.
 */
final class SimulatedFile {

    /** Most bytes {@link CrashMode#GARBLE} damages. */
    static final int GARBLED_BYTES_MAX = 4;
    /**
     * Granularity of {@link CrashMode#KEEP_SOME_SECTORS}: a disk writes a 512-byte sector entirely or not
     * at all, but reorders sectors (and the page cache reorders pages) freely.
     */
    static final int SECTOR_BYTES = 512;
    private static final int NO_TRUNCATION = Integer.MAX_VALUE;

    private FileContent current = new FileContent();
    private FileContent durable = new FileContent();
    /** Start -> end of the ranges written since the last sync: disjoint, not touching, inside current. */
    private final TreeMap<Integer, Integer> dirty = new TreeMap<>();
    private int truncatedTo = NO_TRUNCATION;

    SimulatedFile copy() {
        SimulatedFile copy = new SimulatedFile();
        copy.current = current.copy();
        copy.durable = durable.copy();
        copy.dirty.putAll(dirty);
        copy.truncatedTo = truncatedTo;
        return copy;
    }

    int length() {
        return current.length();
    }

    int read(int position, byte[] target, int offset, int count) {
        return current.read(position, target, offset, count);
    }

    byte[] currentBytes() {
        return current.toArray();
    }

    /** The content at the last sync: what {@link CrashMode#DROP_UNSYNCED} keeps unless a truncation persists. */
    byte[] durableBytes() {
        return durable.toArray();
    }

    List<int[]> unsyncedRanges() {
        return dirtyRanges();
    }

    /** Writes at {@code position} (at or before the end), overwriting or appending. */
    void write(int position, byte[] source, int offset, int count) {
        current.write(position, source, offset, count);
        markDirty(position, position + count);
    }

    /** Appends {@code count} zeros (preallocation). */
    void extendWithZeros(int count) {
        int start = current.length();
        current.setLength(Math.addExact(start, count));
        markDirty(start, start + count);
    }

    void sync() {
        durable.setLength(Math.min(durable.length(), truncatedTo));
        durable.setLength(current.length());
        for (Map.Entry<Integer, Integer> range : dirty.entrySet()) {
            durable.copyFrom(current, range.getKey(), range.getValue());
        }
        dirty.clear();
        truncatedTo = NO_TRUNCATION;
    }

    /** {@code create} over an existing file: empty now, but until the next sync a crash may bring it back. */
    void truncateUnsynced() {
        cut(0);
    }

    /** {@code FileSystem.truncate}: cut or zero-extend, durably. */
    void truncateDurably(int size) {
        if (size < current.length()) {
            cut(size);
        } else if (size > current.length()) {
            extendWithZeros(size - current.length());
        }
        sync();
    }

    /** Flips bits of one byte at rest: in what reads see, and in the durable content if it holds the byte. */
    void flip(int index, int mask) {
        current.flip(index, mask);
        if (index < durable.length() && index < truncatedTo && !isDirty(index)) {
            durable.flip(index, mask);
        }
    }

    /** Applies a power loss; returns a one-line account of it. */
    String crash(SplittableRandom rnd, CrashMode forcedMode, Map<CrashMode, Long> modesChosen) {
        if (truncatedTo < durable.length() && forcedMode == null && rnd.nextBoolean()) {
            // The unsynced truncation never reached the disk: the old content is back.
            String account = "unsynced truncation by create undone, " + durable.length() + " old bytes back ("
                    + current.length() + " new bytes dropped)";
            current = durable.copy();
            dirty.clear();
            truncatedTo = NO_TRUNCATION;
            return account;
        }
        CrashMode mode = forcedMode != null ? forcedMode : CrashMode.values()[rnd.nextInt(CrashMode.values().length)];
        modesChosen.merge(mode, 1L, Long::sum);
        FileContent after = durable.copy();
        after.setLength(Math.min(after.length(), truncatedTo)); // the truncation, if any, reached the disk
        StringBuilder account = new StringBuilder("durable [0," + after.length() + "), unsynced "
                + describe(dirtyRanges()) + ": " + mode);
        List<int[]> kept = keptRanges(mode, rnd);
        int end = after.length();
        for (int[] range : kept) {
            end = Math.max(end, range[1]);
        }
        after.setLength(end);
        for (int[] range : kept) {
            after.copyFrom(current, range[0], range[1]);
        }
        if (mode == CrashMode.KEEP_PREFIX || mode == CrashMode.KEEP_SOME_SECTORS) {
            account.append(" kept ").append(describe(kept)).append(", length ").append(end);
        }
        current = after;
        if (mode == CrashMode.GARBLE) {
            garble(rnd, account);
        }
        // After the reboot, what is on disk is all there is: durable and current agree again.
        durable = current.copy();
        dirty.clear();
        truncatedTo = NO_TRUNCATION;
        return account.toString();
    }

    // ----------------------------------------------------------------------------------------------------

    /** Which unsynced bytes reach the disk, as ranges in offset order. */
    private List<int[]> keptRanges(CrashMode mode, SplittableRandom rnd) {
        List<int[]> unsynced = dirtyRanges();
        switch (mode) {
            case DROP_UNSYNCED:
                return List.of();
            case KEEP_ALL:
            case GARBLE:
                return unsynced;
            case KEEP_PREFIX:
                long total = bytesIn(unsynced);
                return prefix(unsynced, total == 0 ? 0 : rnd.nextLong(total + 1));
            case KEEP_SOME_SECTORS:
                return someSectors(unsynced, rnd);
            default:
                throw new AssertionError(mode);
        }
    }

    /** The first {@code count} bytes of {@code ranges}. */
    private static List<int[]> prefix(List<int[]> ranges, long count) {
        List<int[]> kept = new ArrayList<>();
        long left = count;
        for (int[] range : ranges) {
            if (left == 0) {
                break;
            }
            int n = (int) Math.min(left, range[1] - range[0]);
            kept.add(new int[] {range[0], range[0] + n});
            left -= n;
        }
        return kept;
    }

    /** Each sector holding unsynced bytes keeps them (all) or not, independently. */
    private static List<int[]> someSectors(List<int[]> ranges, SplittableRandom rnd) {
        List<int[]> kept = new ArrayList<>();
        for (int[] range : ranges) {
            for (int start = range[0]; start < range[1]; ) {
                int end = Math.min(range[1], (start / SECTOR_BYTES + 1) * SECTOR_BYTES);
                if (rnd.nextBoolean()) {
                    kept.add(new int[] {start, end});
                }
                start = end;
            }
        }
        return kept;
    }

    /** XORs 1 to {@link #GARBLED_BYTES_MAX} unsynced bytes of {@code current} with non-zero masks. */
    private void garble(SplittableRandom rnd, StringBuilder account) {
        List<int[]> unsynced = dirtyRanges();
        long total = bytesIn(unsynced);
        if (total == 0) {
            return;
        }
        int garbled = 1 + rnd.nextInt(GARBLED_BYTES_MAX);
        account.append(" at");
        for (int i = 0; i < garbled; i++) {
            int at = offsetOfUnsyncedByte(unsynced, rnd.nextLong(total));
            current.flip(at, 1 + rnd.nextInt(255));
            account.append(' ').append(at);
        }
    }

    private static int offsetOfUnsyncedByte(List<int[]> ranges, long index) {
        long left = index;
        for (int[] range : ranges) {
            if (left < range[1] - range[0]) {
                return (int) (range[0] + left);
            }
            left -= range[1] - range[0];
        }
        throw new IllegalArgumentException("unsynced byte " + index + " out of range");
    }

    private List<int[]> dirtyRanges() {
        List<int[]> ranges = new ArrayList<>();
        dirty.forEach((start, end) -> ranges.add(new int[] {start, end}));
        return ranges;
    }

    private static long bytesIn(List<int[]> ranges) {
        long total = 0;
        for (int[] range : ranges) {
            total += range[1] - range[0];
        }
        return total;
    }

    private static String describe(List<int[]> ranges) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ranges.size() && i < 4; i++) {
            s.append('[').append(ranges.get(i)[0]).append(',').append(ranges.get(i)[1]).append(')');
        }
        if (ranges.size() > 4) {
            s.append(" and ").append(ranges.size() - 4).append(" more");
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    private void cut(int size) {
        current.setLength(size);
        truncatedTo = Math.min(truncatedTo, size);
        // Keep only the parts of dirty ranges below the cut.
        Map.Entry<Integer, Integer> last = dirty.lowerEntry(size);
        dirty.tailMap(size, true).clear();
        if (last != null && last.getValue() > size) {
            dirty.put(last.getKey(), size);
        }
    }

    private boolean isDirty(int index) {
        Map.Entry<Integer, Integer> range = dirty.floorEntry(index);
        return range != null && range.getValue() > index;
    }

    /** Adds {@code [start, end)} to the dirty ranges, merging it with those it overlaps or touches. */
    private void markDirty(int start, int end) {
        if (start >= end) {
            return;
        }
        Map.Entry<Integer, Integer> before = dirty.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Integer, Integer> next = dirty.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            dirty.remove(next.getKey());
            next = dirty.ceilingEntry(start);
        }
        dirty.put(start, end);
    }
}
