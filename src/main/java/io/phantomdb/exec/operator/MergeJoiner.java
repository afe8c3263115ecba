package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.RowSizes;
import io.phantomdb.exec.Scalar;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The state of one run of a merge join, driven by {@link MergeJoinStage}: the stage offers batches of either
 * input, and {@link #advance} moves the merge on until it has a batch of output, is blocked on an input (which
 * {@link #wants} names) or is done. Both inputs are sorted by their keys (NULLS LAST), so the join walks them
 * side by side:
 *
 * <pre>
 *   MERGE ── smaller head key, or a NULL key ─▶ that row is unmatched (padded per kind) ─▶ MERGE
 *     │ equal non-NULL keys
 *     ▼
 *   BUILD: retain the right rows of that key (the group, reserved from the budget)
 *     ▼
 *   PROBE: each left row of that key against the group (the residual decides); it is padded if none matched
 *     ▼
 *   FLUSH (RIGHT, FULL): the group's unmatched rows, padded ─▶ release the group ─▶ MERGE
 * </pre>
 *
 * Each step outputs at most one row, so a batch ends exactly at {@code max} rows, also in the middle of the
 * cross product of two large groups; the position (current left row, next group row) is kept in fields.
 * Output is in key order. Confined to the stage: one thread at a time.
 */
final class MergeJoiner {
    /** What {@link #advance} stopped for. */
    enum Step {
        /** The output list is full. */
        BATCH_FULL,
        /** An input's next batch is needed ({@link #wants} says which). */
        NEEDS_INPUT,
        /** No more output can come: the stage completes, cancelling any input still open. */
        DONE
    }

    private enum Phase { MERGE, BUILD, PROBE, FLUSH }

    /** Heap a retained group row costs besides the row itself: its slot in the group list. */
    private static final int GROUP_SLOT_BYTES = 8;

    private final MergeInput left;
    private final MergeInput right;
    private final JoinKind kind;
    private final Scalar residual;
    private final int leftWidth;
    private final int rightWidth;
    private final Bindings bindings;
    private final MemoryLease lease;
    /** SEMI and ANTI without a residual need one row per key: any one decides. */
    private final boolean retainsWholeGroup;

    private Phase phase = Phase.MERGE;
    private List<Object[]> group = new ArrayList<>();
    private long groupBytes;
    /** For RIGHT and FULL: the group rows some left row matched. */
    private final BitSet matched = new BitSet();
    /** PROBE: the left row being joined with the group (null between rows), the next group row to try. */
    private Object[] probeRow;
    private int probeIndex;
    private boolean probeMatched;
    /** FLUSH: the next unmatched group row. */
    private int flushIndex;

    MergeJoiner(int[] leftKeys, int[] rightKeys, JoinKind kind, Scalar residual, int leftWidth, int rightWidth,
            Bindings bindings, MemoryLease lease) {
        this.left = new MergeInput("left", leftKeys);
        this.right = new MergeInput("right", rightKeys);
        this.kind = kind;
        this.residual = residual;
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.bindings = bindings;
        this.lease = lease;
        this.retainsWholeGroup = !kind.outputsLeftOnly() || residual != null;
    }

    void offer(boolean leftInput, Batch batch) {
        (leftInput ? left : right).offer(batch);
    }

    void finish(boolean leftInput) {
        (leftInput ? left : right).finish();
    }

    /** Whether the join is blocked on the next batch of the left (or right) input. */
    boolean wants(boolean leftInput) {
        return (leftInput ? left : right).wanted();
    }

    /** Appends output rows to {@code out} until it holds {@code max} rows, an input is needed, or the join is done. */
    Step advance(List<Object[]> out, int max) {
        while (out.size() < max) {
            Step blocked;
            switch (phase) {
                case MERGE:
                    blocked = merge(out);
                    break;
                case BUILD:
                    blocked = build();
                    break;
                case PROBE:
                    blocked = probe(out);
                    break;
                default:
                    blocked = flush(out);
                    break;
            }
            if (blocked != null) {
                return blocked;
            }
        }
        return Step.BATCH_FULL;
    }

    /** Compares the current rows: the smaller one (or one with a NULL key) is unmatched; equal keys start a group. */
    private Step merge(List<Object[]> out) {
        if (left.exhausted() || right.exhausted()) {
            return drainRest(out);
        }
        Object[] l = left.head();
        Object[] r = right.head(); // asked for even when l is missing, so that both inputs are pulled at once
        if (l == null || r == null) {
            return Step.NEEDS_INPUT;
        }
        int order = MergeInput.compareKeys(l, left.keys(), r, right.keys());
        if (order < 0 || (order == 0 && left.hasNullKey(l))) {
            unmatchedLeft(l, out);
            left.advance();
        } else if (order > 0) {
            unmatchedRight(r, out);
            right.advance();
        } else {
            retain(r);
            right.advance();
            phase = Phase.BUILD;
        }
        return null;
    }

    /**
     * One input has ended: the other one's rows are all unmatched. Done at once if the kind does not output
     * those (an INNER join after either input ended), so the stage cancels the input still open.
     */
    private Step drainRest(List<Object[]> out) {
        if (left.exhausted() && right.exhausted()) {
            return Step.DONE;
        }
        boolean leftRemains = right.exhausted();
        if (leftRemains ? !keepsUnmatchedLeftRows() : !kind.keepsUnmatchedRight()) {
            return Step.DONE;
        }
        MergeInput rest = leftRemains ? left : right;
        Object[] row = rest.head();
        if (row == null) {
            return Step.NEEDS_INPUT;
        }
        if (leftRemains) {
            unmatchedLeft(row, out);
        } else {
            unmatchedRight(row, out);
        }
        rest.advance();
        return null;
    }

    /** Retains the right rows equal to the group's key; the group is complete at a greater key or the end. */
    private Step build() {
        Object[] r = right.head();
        if (r == null && !right.exhausted()) {
            return Step.NEEDS_INPUT;
        }
        if (r == null || MergeInput.compareKeys(group.get(0), right.keys(), r, right.keys()) != 0) {
            phase = Phase.PROBE;
            return null;
        }
        if (retainsWholeGroup) {
            retain(r);
        }
        right.advance();
        return null;
    }

    /** Tries the current left row against the next group row, or finishes that left row, or ends the group. */
    private Step probe(List<Object[]> out) {
        if (probeRow == null) {
            Object[] l = left.head();
            if (l == null && !left.exhausted()) {
                return Step.NEEDS_INPUT;
            }
            // Sorted input: a left row is never below the group's key here, so "not equal" means past the group.
            if (l == null || MergeInput.compareKeys(l, left.keys(), group.get(0), right.keys()) != 0) {
                endGroup();
                return null;
            }
            probeRow = l;
            probeIndex = 0;
            probeMatched = false;
        }
        if (probeIndex < group.size()) {
            tryCandidate(out);
            return null;
        }
        if (!probeMatched) {
            unmatchedLeft(probeRow, out);
        } else if (kind == JoinKind.SEMI) {
            out.add(probeRow);
        }
        probeRow = null;
        left.advance();
        return null;
    }

    private void tryCandidate(List<Object[]> out) {
        int position = probeIndex++;
        Object[] candidate = group.get(position);
        Object[] joined = kind.outputsLeftOnly() && residual == null
                ? null : Rows.join(probeRow, candidate, leftWidth, rightWidth);
        if (residual != null && !Boolean.TRUE.equals(residual.eval(joined, bindings))) {
            return;
        }
        probeMatched = true;
        if (kind.outputsLeftOnly()) {
            probeIndex = group.size(); // one match decides SEMI and ANTI
            return;
        }
        out.add(joined);
        if (kind.keepsUnmatchedRight()) {
            matched.set(position);
        }
    }

    private void endGroup() {
        if (kind.keepsUnmatchedRight()) {
            flushIndex = matched.nextClearBit(0);
            phase = Phase.FLUSH;
        } else {
            releaseGroup();
        }
    }

    private Step flush(List<Object[]> out) {
        if (flushIndex < group.size()) {
            unmatchedRight(group.get(flushIndex), out);
            flushIndex = matched.nextClearBit(flushIndex + 1);
        } else {
            releaseGroup();
        }
        return null;
    }

    private void retain(Object[] row) {
        long bytes = RowSizes.estimate(row) + GROUP_SLOT_BYTES;
        lease.reserve(bytes); // 53200 when one key's right rows exceed the budget
        groupBytes += bytes;
        group.add(row);
    }

    private void releaseGroup() {
        lease.release(groupBytes);
        groupBytes = 0;
        group = new ArrayList<>(); // a new list, so a large group's array is not kept alive
        matched.clear();
        phase = Phase.MERGE;
    }

    /** LEFT and FULL pad an unmatched left row, ANTI outputs it. */
    private boolean keepsUnmatchedLeftRows() {
        return kind.keepsUnmatchedLeft() || kind == JoinKind.ANTI;
    }

    private void unmatchedLeft(Object[] row, List<Object[]> out) {
        if (kind == JoinKind.ANTI) {
            out.add(row);
        } else if (kind.keepsUnmatchedLeft()) {
            out.add(Rows.join(row, null, leftWidth, rightWidth));
        }
    }

    private void unmatchedRight(Object[] row, List<Object[]> out) {
        if (kind.keepsUnmatchedRight()) {
            out.add(Rows.join(null, row, leftWidth, rightWidth));
        }
    }

    /** Releases the group's reservation; called once when the stage stops, however it stops. */
    void close() {
        lease.releaseAll();
    }
}
