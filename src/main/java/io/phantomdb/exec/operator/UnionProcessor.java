package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.RowSizes;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * UNION [ALL] of its inputs in input order. UNION ALL passes rows through; UNION streams too but keeps the key
 * of every row it output (reserving its size) and drops rows already seen, NULLs equal to each other.
 */
final class UnionProcessor implements RowProcessor {
    /** A hash-set entry and the key object besides the key values. */
    private static final int ENTRY_OVERHEAD_BYTES = 64;

    private final boolean all;
    private final MemoryLease lease;
    private final Set<GroupKey> seen = new HashSet<>();

    UnionProcessor(boolean all, MemoryLease lease) {
        this.all = all;
        this.lease = lease;
    }

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        if (all) {
            return batch.rows().iterator();
        }
        return Rows.flatMap(batch.rows().iterator(), this::firstOccurrence);
    }

    private List<Object[]> firstOccurrence(Object[] row) {
        if (!seen.add(GroupKey.ofRow(row))) {
            return List.of();
        }
        lease.reserve(RowSizes.estimate(row) + ENTRY_OVERHEAD_BYTES);
        return List.<Object[]>of(row);
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        return Collections.emptyIterator();
    }

    @Override
    public void close() {
        lease.releaseAll();
    }
}
