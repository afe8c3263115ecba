package io.phantomdb.exec.operator;

import io.phantomdb.exec.Values;
import java.util.Comparator;
import java.util.List;

/**
 * ORDER BY as a row comparator: keys in order, each ascending or descending by {@link Values#compare}, with NULLs
 * first or last per key regardless of the direction (the key says where they go).
 */
final class RowComparator implements Comparator<Object[]> {
    private final SortKey[] keys;

    RowComparator(List<SortKey> keys) {
        this.keys = keys.toArray(new SortKey[0]);
    }

    @Override
    public int compare(Object[] a, Object[] b) {
        for (SortKey key : keys) {
            Object x = a[key.column()];
            Object y = b[key.column()];
            int order;
            if (x == null || y == null) {
                order = Values.compareNullable(x, y, key.nullsFirst());
            } else {
                order = Integer.signum(Values.compare(x, y));
                if (key.descending()) {
                    order = -order;
                }
            }
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
