package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.RowSizes;
import io.phantomdb.exec.Scalar;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A join that retains its right input (input 0, the build side, reserving each row's size) and then streams its
 * left input (input 1) past it. Subclasses say which build rows are candidates for a left row (a hash bucket,
 * or all of them); this class applies the condition and the {@link JoinKind}'s rules:
 * INNER/LEFT/RIGHT/FULL output {@code left ++ right} with NULL padding for the outer sides, SEMI/ANTI output the
 * left row once if it has some / no match. For RIGHT and FULL, matched build rows are marked while the output
 * is drained, and the unmatched ones are output (NULLs ++ right) when the left input ends.
 */
abstract class JoinProcessor implements RowProcessor {
    static final int BUILD_INPUT = 0;

    private final JoinKind kind;
    private final Scalar condition;
    private final int leftWidth;
    private final int rightWidth;
    private final Bindings bindings;
    private final MemoryLease lease;
    private final List<Object[]> buildRows = new ArrayList<>();
    private final BitSet matched = new BitSet();
    private boolean buildComplete;

    JoinProcessor(JoinKind kind, Scalar condition, int leftWidth, int rightWidth, Bindings bindings,
            MemoryLease lease) {
        this.kind = kind;
        this.condition = condition;
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.bindings = bindings;
        this.lease = lease;
    }

    /** Indexes the build row at {@code position}; returns the bytes of index structure it added. */
    abstract long index(Object[] row, int position);

    /** The positions of build rows that may match {@code left}, or null for none. */
    abstract IndexList candidates(Object[] left);

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        if (input != BUILD_INPUT) {
            return Rows.flatMap(batch.rows().iterator(), this::probe);
        }
        long bytes = 0;
        for (Object[] row : batch.rows()) {
            bytes += RowSizes.estimate(row) + index(row, buildRows.size());
            buildRows.add(row);
        }
        lease.reserve(bytes);
        return Collections.emptyIterator();
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        if (input == BUILD_INPUT) {
            buildComplete = true;
            return Collections.emptyIterator();
        }
        if (!kind.keepsUnmatchedRight()) {
            return Collections.emptyIterator();
        }
        List<Object[]> unmatched = new ArrayList<>();
        for (int i = matched.nextClearBit(0); i < buildRows.size(); i = matched.nextClearBit(i + 1)) {
            unmatched.add(Rows.join(null, buildRows.get(i), leftWidth, rightWidth));
        }
        return unmatched.iterator();
    }

    /** With an empty build side, INNER, SEMI and RIGHT can output nothing: the left side need not be read. */
    @Override
    public boolean done() {
        return buildComplete && buildRows.isEmpty()
                && (kind == JoinKind.INNER || kind == JoinKind.SEMI || kind == JoinKind.RIGHT);
    }

    private List<Object[]> probe(Object[] left) {
        IndexList positions = candidates(left);
        int count = positions == null ? 0 : positions.size();
        List<Object[]> out = kind.outputsLeftOnly() ? null : new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < count; i++) {
            int position = positions.get(i);
            Object[] right = buildRows.get(position);
            Object[] joined = kind.outputsLeftOnly() && condition == null
                    ? null : Rows.join(left, right, leftWidth, rightWidth);
            if (condition != null && !Boolean.TRUE.equals(condition.eval(joined, bindings))) {
                continue;
            }
            any = true;
            if (kind.outputsLeftOnly()) {
                break; // one match decides SEMI and ANTI
            }
            out.add(joined);
            if (kind.keepsUnmatchedRight()) {
                matched.set(position);
            }
        }
        if (kind == JoinKind.SEMI) {
            return any ? List.<Object[]>of(left) : List.of();
        }
        if (kind == JoinKind.ANTI) {
            return any ? List.of() : List.<Object[]>of(left);
        }
        if (!any && kind.keepsUnmatchedLeft()) {
            out.add(Rows.join(left, null, leftWidth, rightWidth));
        }
        return out;
    }

    @Override
    public void close() {
        lease.releaseAll();
    }
}
