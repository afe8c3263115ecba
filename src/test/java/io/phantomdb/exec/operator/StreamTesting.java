package io.phantomdb.exec.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** Shared helpers of the operator tests: run a source to its batches or its failure, build rows, bindings. */
final class StreamTesting {
    static final long TIMEOUT_SECONDS = 20;

    private StreamTesting() {}

    static List<Batch> batches(Source<Batch, NotUsed> source, ActorSystem<?> system) {
        try {
            return source.runWith(Sink.seq(), system).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not complete: " + e, e);
        }
    }

    /** All rows of the source, checking on the way that no batch is larger than {@code batchRows}. */
    static List<Object[]> rows(Source<Batch, NotUsed> source, ActorSystem<?> system, int batchRows) {
        List<Object[]> rows = new ArrayList<>();
        for (Batch batch : batches(source, system)) {
            assertTrue(batch.size() <= batchRows, "batch of " + batch.size() + " rows > " + batchRows);
            rows.addAll(batch.rows());
        }
        return rows;
    }

    static List<Object[]> rows(Source<Batch, NotUsed> source, ActorSystem<?> system) {
        return rows(source, system, Integer.MAX_VALUE);
    }

    /** The exception the stream failed with (unwrapped from the future only). */
    static Throwable failure(Source<Batch, NotUsed> source, ActorSystem<?> system) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> source.runWith(Sink.seq(), system)
                .toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    static Object[] row(Object... values) {
        return values;
    }

    static List<Object[]> table(Object[]... rows) {
        return Arrays.asList(rows);
    }

    static Source<Batch, NotUsed> source(int batchRows, Object[]... rows) {
        return Operators.values(Arrays.asList(rows), batchRows);
    }

    /** Rows as lists, for assertEquals with readable messages (values must not be byte[]). */
    static List<List<Object>> lists(List<Object[]> rows) {
        List<List<Object>> lists = new ArrayList<>();
        for (Object[] row : rows) {
            lists.add(Arrays.asList(row));
        }
        return lists;
    }

    static void assertRows(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(lists(expected), lists(actual));
    }

    /** Same rows in any order (a multiset comparison). */
    static void assertSameRowsAnyOrder(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(sortedStrings(expected), sortedStrings(actual));
    }

    static List<String> sortedStrings(List<Object[]> rows) {
        List<String> strings = new ArrayList<>();
        for (Object[] row : rows) {
            strings.add(Arrays.toString(row));
        }
        strings.sort(null);
        return strings;
    }

    /**
     * Waits until every reservation is given back: a stage's postStop may run just after the consumer saw the
     * stream complete.
     */
    static void awaitReleased(MemoryBudget budget) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.reservedBytes() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, budget.reservedBytes(), "memory still reserved after the stream stopped");
    }

    /** Bindings backed by maps; thread-safe because stages may run on different threads. */
    static final class MapBindings implements Bindings {
        private final Map<Integer, Object> parameters = new ConcurrentHashMap<>();
        private final Map<Integer, Object[]> correlated = new ConcurrentHashMap<>();

        MapBindings withParameter(int index, Object value) {
            parameters.put(index, value);
            return this;
        }

        @Override
        public Object parameter(int index) {
            return parameters.get(index);
        }

        @Override
        public Object[] correlated(int id) {
            Object[] row = correlated.get(id);
            if (row == null) {
                throw new IllegalStateException("$cor" + id + " not bound");
            }
            return row;
        }

        @Override
        public void bindCorrelated(int id, Object[] row) {
            correlated.put(id, row);
        }
    }
}
