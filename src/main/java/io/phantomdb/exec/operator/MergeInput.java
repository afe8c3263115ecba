package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Values;
import java.util.List;

/**
 * One input of a merge join as a cursor: the batch being read, the position of the current row in it, and
 * whether the input has ended. It holds one input batch at a time; asking for the current row when that batch is
 * used up marks the input as wanted, which is how the join tells its stage which side to pull.
 *
 * <p>Each batch is checked to continue the input's key order on arrival: a merge join of unsorted input would
 * silently lose matches, so a planner bug fails the query instead (one comparison per row, which the merge
 * itself costs anyway).
 */
final class MergeInput {
    private final String name;
    private final int[] keys;
    private List<Object[]> rows = List.of();
    private int position;
    /** The last row received, to check that the next batch does not go back in key order. */
    private Object[] last;
    private boolean finished;
    private boolean wanted;

    MergeInput(String name, int[] keys) {
        this.name = name;
        this.keys = keys;
    }

    /** Takes the next batch; the previous one must be used up. */
    void offer(Batch batch) {
        if (position < rows.size() || finished) {
            throw new IllegalStateException("mergeJoin: " + name + " input pushed while its batch is unread");
        }
        for (Object[] row : batch.rows()) {
            if (last != null && compareKeys(last, keys, row, keys) > 0) {
                throw new IllegalStateException("mergeJoin: " + name + " input is not sorted ascending on its keys");
            }
            last = row;
        }
        rows = batch.rows();
        position = 0;
        wanted = false;
    }

    void finish() {
        finished = true;
        wanted = false;
    }

    /** The current row, or null if there is none now: then the input is either {@link #exhausted} or wanted. */
    Object[] head() {
        if (position < rows.size()) {
            return rows.get(position);
        }
        wanted = !finished;
        return null;
    }

    void advance() {
        position++;
    }

    /** No current row and none will come. */
    boolean exhausted() {
        return finished && position >= rows.size();
    }

    /** Whether the join is blocked on this input's next batch. */
    boolean wanted() {
        return wanted;
    }

    int[] keys() {
        return keys;
    }

    /** Whether a key column of {@code row} is NULL: SQL '=' is then never TRUE, the row matches nothing. */
    boolean hasNullKey(Object[] row) {
        for (int column : keys) {
            if (row[column] == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The order both inputs are sorted in: key by key ascending by {@link Values#compare} (numbers by value
     * across classes), NULLs last; 0 for equal keys, also when both have NULL in the same columns.
     */
    static int compareKeys(Object[] a, int[] aKeys, Object[] b, int[] bKeys) {
        for (int i = 0; i < aKeys.length; i++) {
            int order = Values.compareNullable(a[aKeys[i]], b[bKeys[i]], false);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
