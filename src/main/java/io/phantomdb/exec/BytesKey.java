package io.phantomdb.exec;

import java.util.Arrays;

/**
 * A BYTEA value as a hashing/grouping key: {@code byte[]} has identity equality, this wrapper compares by content
 * (unsigned lexicographic order, as PostgreSQL orders bytea). It holds the array without copying: rows are never
 * mutated once emitted (see {@link Batch}).
 */
public final class BytesKey implements Comparable<BytesKey> {
    private final byte[] bytes;
    private final int hash;

    public BytesKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The wrapped value; callers must not modify it. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BytesKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BytesKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder("\\x");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }
}
