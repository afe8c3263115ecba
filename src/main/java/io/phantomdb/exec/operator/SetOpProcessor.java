package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.RowSizes;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERSECT and EXCEPT, [ALL], over n inputs with SQL's bag semantics. The first input is counted per distinct
 * row (NULLs equal); each later input only adjusts those counts, so memory is bounded by the first input's
 * distinct rows. INTERSECT ALL keeps min(count in each input), EXCEPT ALL subtracts each later input's count,
 * and the DISTINCT forms output a row at most once. Output follows first appearance in the first input.
 */
final class SetOpProcessor implements RowProcessor {
    /** A hash-map entry, key and counter object besides the key values. */
    private static final int ENTRY_OVERHEAD_BYTES = 96;

    enum Operation { INTERSECT, EXCEPT }

    /** A distinct row of the first input: how often it survives so far, and how often the current input has it. */
    private static final class Counts {
        final Object[] row;
        long count;
        long seenInCurrent;

        Counts(Object[] row) {
            this.row = row;
        }
    }

    private final Operation operation;
    private final boolean all;
    private final int inputCount;
    private final MemoryLease lease;
    private final Map<GroupKey, Counts> counts = new LinkedHashMap<>();
    private boolean firstCounted;

    SetOpProcessor(Operation operation, boolean all, int inputCount, MemoryLease lease) {
        this.operation = operation;
        this.all = all;
        this.inputCount = inputCount;
        this.lease = lease;
    }

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        for (Object[] row : batch.rows()) {
            GroupKey key = GroupKey.ofRow(row);
            Counts entry = counts.get(key);
            if (input == 0) {
                if (entry == null) {
                    lease.reserve(2 * RowSizes.estimate(row) + ENTRY_OVERHEAD_BYTES);
                    entry = new Counts(row);
                    counts.put(key, entry);
                }
                entry.count++;
            } else if (entry != null) {
                entry.seenInCurrent++;
            }
        }
        return Collections.emptyIterator();
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        firstCounted = true;
        Iterator<Counts> entries = counts.values().iterator();
        while (entries.hasNext()) {
            Counts entry = entries.next();
            if (input == 0 && !all) {
                entry.count = 1;
            } else if (input > 0) {
                entry.count = adjusted(entry.count, entry.seenInCurrent);
                entry.seenInCurrent = 0;
            }
            if (entry.count == 0) {
                entries.remove();
            }
        }
        if (input < inputCount - 1) {
            return Collections.emptyIterator();
        }
        return Rows.flatMap(counts.values().iterator(), entry -> () -> Rows.repeat(entry.row, entry.count));
    }

    private long adjusted(long count, long seen) {
        if (operation == Operation.INTERSECT) {
            return Math.min(count, seen);
        }
        return all ? Math.max(0, count - seen) : (seen > 0 ? 0 : count);
    }

    /** Once the first input is counted, an empty count table means no later input can add output. */
    @Override
    public boolean done() {
        return firstCounted && counts.isEmpty();
    }

    @Override
    public void close() {
        lease.releaseAll();
    }
}
