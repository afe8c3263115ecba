package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.RowSizes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A stable sort of one input. Without FETCH it retains every row (reserving its size) and sorts at the end with
 * {@link List#sort} (a stable merge sort). With FETCH it keeps only the best {@code offset + fetch} rows in a
 * max-heap ordered by (sort keys, arrival number): a new row replaces the heap's worst only if it is strictly
 * better, so among equal keys the earlier row wins and the result equals a stable full sort's prefix.
 */
final class SortProcessor implements RowProcessor {
    /** Reference slot in the buffer plus the heap entry, per retained row. */
    private static final int ROW_OVERHEAD_BYTES = 32;
    /** Above this many rows to keep, a top-N heap saves nothing over the full sort. */
    private static final long TOP_N_ROWS_MAX = Integer.MAX_VALUE - 8;

    private record Entry(Object[] row, long sequence, long bytes) {}

    private final Comparator<Object[]> rowOrder;
    private final Comparator<Entry> entryOrder;
    private final long offset;
    private final long fetch;
    private final MemoryLease lease;
    private final List<Object[]> buffer;
    private final PriorityQueue<Entry> heap;
    private final long heapCapacity;
    private long sequence;

    SortProcessor(List<SortKey> keys, long offset, long fetch, MemoryLease lease) {
        this.rowOrder = new RowComparator(keys);
        this.entryOrder = Comparator.<Entry, Object[]>comparing(Entry::row, rowOrder)
                .thenComparingLong(Entry::sequence);
        this.offset = offset;
        this.fetch = fetch;
        this.lease = lease;
        long keep = fetch < 0 ? -1 : saturatedAdd(offset, fetch);
        boolean topN = keep >= 0 && keep <= TOP_N_ROWS_MAX;
        this.heapCapacity = topN ? keep : -1;
        this.heap = topN ? new PriorityQueue<>(entryOrder.reversed()) : null;
        this.buffer = topN ? null : new ArrayList<>();
    }

    @Override
    public Iterator<Object[]> accept(int input, Batch batch) {
        if (heap != null) {
            for (Object[] row : batch.rows()) {
                offer(row);
            }
        } else {
            long bytes = 0;
            for (Object[] row : batch.rows()) {
                bytes += RowSizes.estimate(row) + ROW_OVERHEAD_BYTES;
            }
            lease.reserve(bytes);
            buffer.addAll(batch.rows());
        }
        return Collections.emptyIterator();
    }

    private void offer(Object[] row) {
        Entry entry = new Entry(row, sequence++, RowSizes.estimate(row) + ROW_OVERHEAD_BYTES);
        if (heap.size() < heapCapacity) {
            lease.reserve(entry.bytes());
            heap.add(entry);
        } else if (entryOrder.compare(entry, heap.peek()) < 0) {
            lease.reserve(entry.bytes());
            lease.release(heap.poll().bytes());
            heap.add(entry);
        }
    }

    @Override
    public Iterator<Object[]> finish(int input) {
        List<Object[]> sorted;
        if (heap != null) {
            List<Entry> entries = new ArrayList<>(heap);
            entries.sort(entryOrder);
            sorted = new ArrayList<>(entries.size());
            for (Entry entry : entries) {
                sorted.add(entry.row());
            }
        } else {
            buffer.sort(rowOrder);
            sorted = buffer;
        }
        int from = (int) Math.min(offset, sorted.size());
        int to = fetch < 0 ? sorted.size() : from + (int) Math.min(sorted.size() - from, fetch);
        return sorted.subList(from, to).iterator();
    }

    @Override
    public boolean done() {
        return fetch == 0;
    }

    @Override
    public void close() {
        lease.releaseAll();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
