package io.phantomdb.exec.operator;

import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.RowSizes;
import io.phantomdb.exec.Scalar;
import io.phantomdb.exec.Values;
import java.util.HashMap;
import java.util.Map;

/**
 * Equi-join by a hash table on the right input's key columns. Keys compare by {@link Values#keyOf} (numbers by
 * value across classes). A NULL in a key column never matches, unless that key is null-safe
 * ({@code IS NOT DISTINCT FROM}), where NULL matches NULL; a build row that can never match is still kept, since
 * RIGHT and FULL joins output it padded.
 */
final class HashJoinProcessor extends JoinProcessor {
    /** Map entry and bucket list of a new key, besides the key values. */
    private static final int BUCKET_OVERHEAD_BYTES = 80;

    private final int[] leftKeys;
    private final int[] rightKeys;
    private final boolean[] nullSafeKeys;
    private final Map<GroupKey, IndexList> buckets = new HashMap<>();

    HashJoinProcessor(int[] leftKeys, int[] rightKeys, boolean[] nullSafeKeys, JoinKind kind, Scalar residual,
            int leftWidth, int rightWidth, Bindings bindings, MemoryLease lease) {
        super(kind, residual, leftWidth, rightWidth, bindings, lease);
        this.leftKeys = leftKeys;
        this.rightKeys = rightKeys;
        this.nullSafeKeys = nullSafeKeys;
    }

    @Override
    long index(Object[] row, int position) {
        GroupKey key = keyOrNull(row, rightKeys);
        if (key == null) {
            return IndexList.BYTES_PER_ENTRY;
        }
        long bytes = IndexList.BYTES_PER_ENTRY;
        IndexList bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new IndexList();
            buckets.put(key, bucket);
            bytes += BUCKET_OVERHEAD_BYTES;
            for (int column : rightKeys) {
                bytes += RowSizes.estimate(row[column]);
            }
        }
        bucket.add(position);
        return bytes;
    }

    @Override
    IndexList candidates(Object[] left) {
        GroupKey key = keyOrNull(left, leftKeys);
        return key == null ? null : buckets.get(key);
    }

    /** The key of {@code columns}, or null when a non-null-safe key column is NULL (the row matches nothing). */
    private GroupKey keyOrNull(Object[] row, int[] columns) {
        for (int i = 0; i < columns.length; i++) {
            if (row[columns[i]] == null && !nullSafeKeys[i]) {
                return null;
            }
        }
        return Values.groupKey(row, columns);
    }
}
