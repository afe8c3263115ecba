package io.phantomdb.storage.fs;

import java.util.Arrays;

/**
 * The bytes {@code [0, length)} of a simulated file, of which only a prefix is stored: the rest reads as
 * zeros. A preallocated file of many MiB whose first few KiB were written then costs a few KiB of heap,
 * which lets the crash tests run thousands of engines with the default WAL preallocation.
 *
 * <p>Invariant: every stored byte at or past {@code length} is zero, so growing the length needs no work.
 * Not thread-safe; {@link FaultyFileSystem} serializes all access.
 */
final class FileContent {

    private byte[] stored = new byte[0];
    private int length;

    int length() {
        return length;
    }

    /** Writes {@code count} bytes at {@code position}, which lies at or before the end; may grow the file. */
    void write(int position, byte[] source, int offset, int count) {
        if (position < 0 || position > length) {
            throw new IllegalArgumentException("write at " + position + " of a " + length + "-byte file");
        }
        int end = Math.addExact(position, count);
        reserve(end);
        System.arraycopy(source, offset, stored, position, count);
        length = Math.max(length, end);
    }

    /** Cuts the file or extends it with zeros. */
    void setLength(int newLength) {
        if (newLength < length) {
            Arrays.fill(stored, Math.min(newLength, stored.length), Math.min(length, stored.length), (byte) 0);
        }
        length = newLength;
    }

    /** Copies up to {@code count} bytes at {@code position}; returns how many, or -1 at or past the end. */
    int read(int position, byte[] target, int offset, int count) {
        if (position >= length) {
            return -1;
        }
        int n = Math.min(count, length - position);
        int fromStore = Math.max(0, Math.min(n, stored.length - position));
        if (fromStore > 0) {
            System.arraycopy(stored, position, target, offset, fromStore);
        }
        Arrays.fill(target, offset + fromStore, offset + n, (byte) 0);
        return n;
    }

    /** Makes {@code [start, end)} equal to the same bytes of {@code source}; both files reach {@code end}. */
    void copyFrom(FileContent source, int start, int end) {
        if (end > length || end > source.length) {
            throw new IllegalArgumentException("copy of [" + start + ", " + end + ") past an end");
        }
        int storedEnd = Math.min(end, source.stored.length);
        if (start < storedEnd) {
            reserve(storedEnd);
            System.arraycopy(source.stored, start, stored, start, storedEnd - start);
        }
        int zerosFrom = Math.max(start, storedEnd);
        if (zerosFrom < Math.min(end, stored.length)) {
            Arrays.fill(stored, zerosFrom, Math.min(end, stored.length), (byte) 0);
        }
    }

    /** XORs one byte with {@code mask} (not 0). */
    void flip(int index, int mask) {
        if (index < 0 || index >= length) {
            throw new IllegalArgumentException("byte " + index + " outside a " + length + "-byte file");
        }
        reserve(index + 1);
        stored[index] ^= (byte) mask;
    }

    byte[] toArray() {
        return Arrays.copyOf(stored, length); // pads with zeros past the stored prefix
    }

    FileContent copy() {
        FileContent copy = new FileContent();
        copy.stored = Arrays.copyOf(stored, Math.min(stored.length, length));
        copy.length = length;
        return copy;
    }

    private void reserve(int end) {
        if (end > stored.length) {
            // Doubling keeps appends amortized O(1); bytes stored past the length are zeros, as required.
            int capacity = (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8, Math.max(64, 2L * stored.length)));
            stored = Arrays.copyOf(stored, capacity);
        }
    }
}
