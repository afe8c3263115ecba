package io.phantomdb.exec.operator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Row-shaping helpers the operators share: joined and padded rows, lazy flattening, draining into batches. */
final class Rows {
    private Rows() {}

    /** {@code left ++ right} as a new row of {@code leftWidth + rightWidth} columns; a null side is all NULLs. */
    static Object[] join(Object[] left, Object[] right, int leftWidth, int rightWidth) {
        Object[] row = new Object[leftWidth + rightWidth];
        if (left != null) {
            System.arraycopy(left, 0, row, 0, leftWidth);
        }
        if (right != null) {
            System.arraycopy(right, 0, row, leftWidth, rightWidth);
        }
        return row;
    }

    /** Up to {@code max} rows taken from {@code rows}; empty when it has none left. */
    static List<Object[]> drain(Iterator<Object[]> rows, int max) {
        if (!rows.hasNext()) {
            return Collections.emptyList();
        }
        List<Object[]> batch = new ArrayList<>(Math.min(max, 1024));
        while (batch.size() < max && rows.hasNext()) {
            batch.add(rows.next());
        }
        return batch;
    }

    /** Lazily concatenates {@code expand(x)} over {@code inputs}: each input is expanded only when reached. */
    static <T> Iterator<Object[]> flatMap(Iterator<T> inputs, Function<T, ? extends Iterable<Object[]>> expand) {
        return new Iterator<>() {
            private Iterator<Object[]> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!inputs.hasNext()) {
                        return false;
                    }
                    current = expand.apply(inputs.next()).iterator();
                }
                return true;
            }

            @Override
            public Object[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** {@code row} {@code times} times, lazily (a bag count may exceed any list size). */
    static Iterator<Object[]> repeat(Object[] row, long times) {
        return new Iterator<>() {
            private long left = times;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public Object[] next() {
                if (left <= 0) {
                    throw new NoSuchElementException();
                }
                left--;
                return row;
            }
        };
    }

    /** Checks a batch size argument at plan-build time. */
    static int checkBatchRows(int batchRows) {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        return batchRows;
    }
}
