package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.RowSizes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The right side of a correlate for ONE left row: retains all right rows (reserving their size), then, once the
 * right side has ended, outputs the rows the {@link JoinKind} asks for: INNER {@code left ++ right} per right
 * row, LEFT the same or {@code left ++ NULLs}, SEMI/ANTI the left row if the right side had some/no row.
 */
final class CorrelateProcessor implements RowProcessor {
    private static final int ROW_OVERHEAD_BYTES = 8;

    private final Object[] left;
    private final JoinKind kind;
    private final int leftWidth;
    private final int rightWidth;
    private final MemoryLease lease;
    private final List<Object[]> rights = new ArrayList<>();

    CorrelateProcessor(Object[] left, JoinKind kind, int leftWidth, int rightWidth, MemoryLease lease) {
        this.left = left;
        this.kind = kind;
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.lease = lease;
    }

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        long bytes = 0;
        for (Object[] row : batch.rows()) {
            bytes += RowSizes.estimate(row) + ROW_OVERHEAD_BYTES;
        }
        lease.reserve(bytes);
        rights.addAll(batch.rows());
        return Collections.emptyIterator();
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        if (kind == JoinKind.SEMI || kind == JoinKind.ANTI) {
            boolean keep = rights.isEmpty() == (kind == JoinKind.ANTI);
            return keep ? List.<Object[]>of(left).iterator() : Collections.emptyIterator();
        }
        if (rights.isEmpty()) {
            return kind == JoinKind.LEFT
                    ? List.<Object[]>of(Rows.join(left, null, leftWidth, rightWidth)).iterator()
                    : Collections.emptyIterator();
        }
        Iterator<Object[]> remaining = rights.iterator();
        return Rows.flatMap(remaining, right -> List.<Object[]>of(Rows.join(left, right, leftWidth, rightWidth)));
    }

    @Override
    public void close() {
        lease.releaseAll();
    }
}
