package io.phantomdb.exec.operator;

import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.Scalar;

/** Join by an arbitrary condition: every build row is a candidate for every left row. */
final class NestedLoopJoinProcessor extends JoinProcessor {
    private final IndexList all = new IndexList();

    NestedLoopJoinProcessor(JoinKind kind, Scalar condition, int leftWidth, int rightWidth, Bindings bindings,
            MemoryLease lease) {
        super(kind, condition, leftWidth, rightWidth, bindings, lease);
    }

    @Override
    long index(Object[] row, int position) {
        all.add(position);
        return IndexList.BYTES_PER_ENTRY;
    }

    @Override
    IndexList candidates(Object[] left) {
        return all;
    }
}
