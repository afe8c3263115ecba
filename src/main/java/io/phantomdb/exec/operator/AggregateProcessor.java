package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.RowSizes;
import io.phantomdb.exec.Values;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hash aggregation of one input: a map from group key ({@link Values#groupKey}, NULLs equal) to the group's
 * first-seen column values and one {@link Accumulator} per call. Each new group and each new DISTINCT value
 * reserves its estimated size. Output (group columns, then one value per call) is built lazily at the end, in
 * order of first appearance. Without group columns there is always exactly one group, so an empty input still
 * yields one row (COUNT 0, SUM NULL), as SQL requires.
 */
final class AggregateProcessor implements RowProcessor {
    /** Hash-map entry, key object and array headers of one group. */
    private static final int GROUP_OVERHEAD_BYTES = 96;

    private record Group(Object[] columns, Accumulator[] accumulators) {}

    private final int[] groupColumns;
    private final List<Supplier<Accumulator>> factories;
    private final MemoryLease lease;
    private final Map<GroupKey, Group> groups = new LinkedHashMap<>();

    AggregateProcessor(int[] groupColumns, List<AggregateCall> calls, MemoryLease lease) {
        this.groupColumns = groupColumns.clone();
        this.factories = calls.stream().map(Accumulators::factory).toList();
        this.lease = lease;
        if (groupColumns.length == 0) {
            groups.put(Values.groupKey(new Object[0], groupColumns), newGroup(new Object[0]));
        }
    }

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        for (Object[] row : batch.rows()) {
            GroupKey key = Values.groupKey(row, groupColumns);
            Group group = groups.get(key);
            if (group == null) {
                Object[] columns = new Object[groupColumns.length];
                for (int i = 0; i < groupColumns.length; i++) {
                    columns[i] = row[groupColumns[i]];
                }
                group = newGroup(columns);
                groups.put(key, group);
            }
            long retained = 0;
            for (Accumulator accumulator : group.accumulators()) {
                retained += accumulator.add(row);
            }
            lease.reserve(retained);
        }
        return Collections.emptyIterator();
    }

    private Group newGroup(Object[] columns) {
        lease.reserve(GROUP_OVERHEAD_BYTES + 2 * RowSizes.estimate(columns)
                + (long) Accumulators.ACCUMULATOR_BYTES * factories.size());
        Accumulator[] accumulators = new Accumulator[factories.size()];
        for (int i = 0; i < accumulators.length; i++) {
            accumulators[i] = factories.get(i).get();
        }
        return new Group(columns, accumulators);
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        Iterator<Group> remaining = groups.values().iterator();
        return Rows.flatMap(remaining, group -> List.<Object[]>of(outputRow(group)));
    }

    private Object[] outputRow(Group group) {
        Object[] columns = group.columns();
        Accumulator[] accumulators = group.accumulators();
        Object[] row = new Object[columns.length + accumulators.length];
        System.arraycopy(columns, 0, row, 0, columns.length);
        for (int i = 0; i < accumulators.length; i++) {
            row[columns.length + i] = accumulators[i].result();
        }
        return row;
    }

    @Override
    public void close() {
        lease.releaseAll();
    }
}
