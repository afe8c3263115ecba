package io.phantomdb.exec;

import java.util.Arrays;

/**
 * The key of a group (GROUP BY, DISTINCT, set operations, hash-join buckets): one {@link Values#keyOf} per
 * column, compared by value. Two SQL NULLs are equal here, as GROUP BY and DISTINCT require; a join that must
 * not match NULL keys checks for them before it builds a key.
 *
 * <p>Immutable; the hash is computed once because a key is hashed on every probe.
 */
public final class GroupKey {
    private final Object[] parts;
    private final int hash;

    /** Takes ownership of {@code parts}, which must already be {@link Values#keyOf} results. */
    GroupKey(Object[] parts) {
        this.parts = parts;
        this.hash = Arrays.hashCode(parts);
    }

    /** The key of a whole row (all columns), as DISTINCT and the set operations use. */
    public static GroupKey ofRow(Object[] row) {
        Object[] parts = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            parts[i] = Values.keyOf(row[i]);
        }
        return new GroupKey(parts);
    }

    public int size() {
        return parts.length;
    }

    /** The key (not the original value) of column {@code index} of this key. */
    public Object part(int index) {
        return parts[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupKey that && hash == that.hash && Arrays.equals(parts, that.parts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "GroupKey" + Arrays.toString(parts);
    }
}
