package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Scalar;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Factories of the physical operators: each takes its input sources and returns a new {@code Source} of
 * {@link Batch}es, so a compiled plan is a tree of calls here and running it materializes one graph in which
 * demand flows from the consumer down to the scans. Sources are blueprints: every materialization gets fresh
 * operator state, so a plan may be run many times (with different {@link Bindings}).
 *
 * <p>Contracts every operator keeps: output batches hold at most {@code batchRows} rows and are never empty
 * (filter and project keep their input's batch sizes); an exception a {@link Scalar} throws fails the stream
 * with that same exception; an operator that retains rows (sort, aggregate, join build side, set operations,
 * correlate) reserves their estimated size from the query's {@link MemoryBudget} as it retains them, fails the
 * stream with 53200 when over budget, and releases all it reserved when it stops for any reason; output is
 * produced lazily, as downstream demands it. Nothing blocks a stream thread.
 *
 * <p>Entry point of the package; the SQL layer is the caller.
 */
public final class Operators {
    /** Batch size for the factories that do not take one (the budget-less {@link #correlate} form). */
    public static final int DEFAULT_BATCH_ROWS = 1024;

    private Operators() {}

    /** The given rows (VALUES), in order; an empty list gives an empty source. */
    public static Source<Batch, NotUsed> values(List<Object[]> rows, int batchRows) {
        Rows.checkBatchRows(batchRows);
        List<Object[]> copy = List.copyOf(rows);
        Iterable<Batch> batches = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < copy.size();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(copy.size(), next + batchRows);
                Batch batch = new Batch(copy.subList(next, end));
                next = end;
                return batch;
            }
        };
        return Source.from(batches).named("values");
    }

    /** Rows for which {@code predicate} is TRUE (not FALSE, not NULL); never emits an empty batch. */
    public static Source<Batch, NotUsed> filter(Source<Batch, NotUsed> in, Scalar predicate, Bindings b) {
        return in.mapConcat(batch -> {
            List<Object[]> kept = new ArrayList<>(batch.size());
            for (Object[] row : batch.rows()) {
                if (Boolean.TRUE.equals(predicate.eval(row, b))) {
                    kept.add(row);
                }
            }
            if (kept.isEmpty()) {
                return List.<Batch>of();
            }
            return List.of(kept.size() == batch.size() ? batch : new Batch(kept));
        }).named("filter");
    }

    /** One output column per expression, evaluated against each input row. */
    public static Source<Batch, NotUsed> project(Source<Batch, NotUsed> in, List<Scalar> exprs, Bindings b) {
        Scalar[] expressions = exprs.toArray(new Scalar[0]);
        return in.map(batch -> {
            List<Object[]> out = new ArrayList<>(batch.size());
            for (Object[] row : batch.rows()) {
                Object[] projected = new Object[expressions.length];
                for (int i = 0; i < expressions.length; i++) {
                    projected[i] = expressions[i].eval(row, b);
                }
                out.add(projected);
            }
            return new Batch(out);
        }).named("project");
    }

    /**
     * Skips {@code offset} rows, then passes {@code fetch} rows ({@code fetch < 0}: all). Completes, and so
     * cancels upstream, as soon as the last wanted row was emitted; FETCH 0 reads nothing.
     */
    public static Source<Batch, NotUsed> limit(Source<Batch, NotUsed> in, long offset, long fetch) {
        return in.via(new LimitStage(offset, fetch));
    }

    /**
     * A stable sort by {@code keys}, then OFFSET/FETCH. With {@code fetch >= 0} only the best {@code offset +
     * fetch} rows are retained (a bounded heap), else every row is.
     */
    public static Source<Batch, NotUsed> sort(Source<Batch, NotUsed> in, List<SortKey> keys, long offset,
            long fetch, MemoryBudget budget, int batchRows) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        List<SortKey> sortKeys = List.copyOf(keys);
        return ProcessorStage.source("sort", List.of(in),
                () -> new SortProcessor(sortKeys, offset, fetch, new MemoryLease(budget, "sort")), batchRows);
    }

    /**
     * GROUP BY {@code groupColumns} computing {@code calls}: output row = group columns, then one value per call
     * (of its result type's class). No group columns: exactly one row, also for an empty input; with group
     * columns an empty input gives no row. Groups are output in order of first appearance.
     */
    public static Source<Batch, NotUsed> hashAggregate(Source<Batch, NotUsed> in, int[] groupColumns,
            List<AggregateCall> calls, MemoryBudget budget, int batchRows) {
        int[] columns = groupColumns.clone();
        List<AggregateCall> aggregateCalls = List.copyOf(calls);
        return ProcessorStage.source("hashAggregate", List.of(in),
                () -> new AggregateProcessor(columns, aggregateCalls, new MemoryLease(budget, "hashAggregate")),
                batchRows);
    }

    /**
     * Equi-join {@code left.leftKeys[i] = right.rightKeys[i]} (or IS NOT DISTINCT FROM where
     * {@code nullSafeKeys[i]}; null array = none), plus an optional {@code residual} condition evaluated on the
     * {@code left ++ right} row. Builds a hash table on the RIGHT input (read completely first), then streams the
     * left. Output {@code left ++ right} with NULL padding for outer joins; SEMI/ANTI output left columns only.
     */
    public static Source<Batch, NotUsed> hashJoin(Source<Batch, NotUsed> left, Source<Batch, NotUsed> right,
            int[] leftKeys, int[] rightKeys, boolean[] nullSafeKeys, JoinKind kind, Scalar residual,
            int leftWidth, int rightWidth, MemoryBudget budget, Bindings b, int batchRows) {
        boolean[] nullSafe = nullSafeKeys == null ? new boolean[leftKeys.length] : nullSafeKeys.clone();
        if (leftKeys.length != rightKeys.length || nullSafe.length != leftKeys.length) {
            throw new IllegalArgumentException("hashJoin: key arrays differ in length");
        }
        int[] leftColumns = leftKeys.clone();
        int[] rightColumns = rightKeys.clone();
        return ProcessorStage.source("hashJoin", List.of(right, left),
                () -> new HashJoinProcessor(leftColumns, rightColumns, nullSafe, kind, residual, leftWidth,
                        rightWidth, b, new MemoryLease(budget, "hashJoin")), batchRows);
    }

    /**
     * Equi-join of two inputs that are both sorted ascending on their key columns (NULLS LAST, {@link
     * io.phantomdb.exec.Values#compare} order, which compares numbers of different classes numerically, e.g.
     * INTEGER 1 = DOUBLE 1.0). Streams both inputs; holds in memory only the current group of equal right-side
     * keys (reserved from the budget: 53200 if one key group is larger than the budget). A null key never matches
     * (SQL '='). kind: INNER, LEFT, RIGHT, FULL, SEMI, ANTI; output {@code left ++ right} (null padded for outer
     * joins), SEMI/ANTI output left columns only; {@code residual} (nullable) is evaluated on {@code left ++ right}
     * for candidate pairs and must be TRUE for a match. Output order: by key (a padded right row by its own key).
     * An input found out of key order fails the stream with an IllegalStateException (a planner bug).
     */
    public static Source<Batch, NotUsed> mergeJoin(Source<Batch, NotUsed> left, Source<Batch, NotUsed> right,
            int[] leftKeys, int[] rightKeys, JoinKind kind, Scalar residual, int leftWidth, int rightWidth,
            MemoryBudget budget, Bindings b, int batchRows) {
        if (leftKeys.length != rightKeys.length) {
            throw new IllegalArgumentException("mergeJoin: key arrays differ in length");
        }
        int[] leftColumns = leftKeys.clone();
        int[] rightColumns = rightKeys.clone();
        return MergeJoinStage.source(left, right, () -> new MergeJoiner(leftColumns, rightColumns, kind, residual,
                leftWidth, rightWidth, b, new MemoryLease(budget, "mergeJoin")), batchRows);
    }

    /**
     * Join by an arbitrary {@code condition} (null = TRUE, a cross join) evaluated on {@code left ++ right}:
     * materializes the right input, then streams the left past it. Output as {@link #hashJoin}.
     */
    public static Source<Batch, NotUsed> nestedLoopJoin(Source<Batch, NotUsed> left, Source<Batch, NotUsed> right,
            JoinKind kind, Scalar condition, int leftWidth, int rightWidth, MemoryBudget budget, Bindings b,
            int batchRows) {
        return ProcessorStage.source("nestedLoopJoin", List.of(right, left),
                () -> new NestedLoopJoinProcessor(kind, condition, leftWidth, rightWidth, b,
                        new MemoryLease(budget, "nestedLoopJoin")), batchRows);
    }

    /**
     * The contract form of {@link #correlate(Source, Function, int, JoinKind, int, int, MemoryBudget, Bindings,
     * int)} without a budget: the right side's materialized rows are then not counted against any query budget
     * (only what the right plan's own operators reserve is). Prefer the form with a budget.
     */
    public static Source<Batch, NotUsed> correlate(Source<Batch, NotUsed> left,
            Function<Bindings, Source<Batch, NotUsed>> right, int correlationId, JoinKind kind, int leftWidth,
            int rightWidth, Bindings b) {
        return correlate(left, right, correlationId, kind, leftWidth, rightWidth, new MemoryBudget(Long.MAX_VALUE),
                b, DEFAULT_BATCH_ROWS);
    }

    /**
     * A correlated join (INNER, LEFT, SEMI, ANTI): for each left row, one after another, binds it as correlation
     * variable {@code correlationId}, runs the right plan {@code right.apply(b)}, materializes it fully
     * (reserving from {@code budget}) and then outputs as a join of that left row with those right rows would.
     * SEMI and ANTI stop the right side at its first row. The right plan is built and started only after the
     * previous one has completed, so it always sees its own left row in {@code b}.
     */
    public static Source<Batch, NotUsed> correlate(Source<Batch, NotUsed> left,
            Function<Bindings, Source<Batch, NotUsed>> right, int correlationId, JoinKind kind, int leftWidth,
            int rightWidth, MemoryBudget budget, Bindings b, int batchRows) {
        if (kind == JoinKind.RIGHT || kind == JoinKind.FULL) {
            throw new IllegalArgumentException("correlate supports INNER, LEFT, SEMI and ANTI, not " + kind);
        }
        Rows.checkBatchRows(batchRows);
        return left.mapConcat(Batch::rows)
                .flatMapConcat(row -> correlateRow(row, right, correlationId, kind, leftWidth, rightWidth, budget,
                        b, batchRows))
                .named("correlate");
    }

    private static Source<Batch, NotUsed> correlateRow(Object[] row, Function<Bindings, Source<Batch, NotUsed>> right,
            int correlationId, JoinKind kind, int leftWidth, int rightWidth, MemoryBudget budget, Bindings b,
            int batchRows) {
        // Bind at materialization, not when the element arrives: flatMapConcat starts this inner source only after
        // the previous one completed, so no earlier right plan is still reading the binding.
        Source<Batch, NotUsed> rightRows = Source.<Batch, NotUsed>fromMaterializer((materializer, attributes) -> {
            b.bindCorrelated(correlationId, row);
            Source<Batch, NotUsed> plan = right.apply(b);
            return kind.outputsLeftOnly() ? plan.take(1) : plan;
        }).mapMaterializedValue(ignored -> NotUsed.getInstance());
        return ProcessorStage.source("correlate", List.of(rightRows),
                () -> new CorrelateProcessor(row, kind, leftWidth, rightWidth, new MemoryLease(budget, "correlate")),
                batchRows);
    }

    /** UNION ALL ({@code all}) or UNION (duplicates removed, NULLs equal) of the inputs, read in order. */
    public static Source<Batch, NotUsed> union(List<Source<Batch, NotUsed>> inputs, boolean all, MemoryBudget budget,
            int batchRows) {
        return ProcessorStage.source(all ? "unionAll" : "union", List.copyOf(inputs),
                () -> new UnionProcessor(all, new MemoryLease(budget, "union")), batchRows);
    }

    /** INTERSECT [ALL] of the inputs; ALL keeps each row min(count in each input) times. */
    public static Source<Batch, NotUsed> intersect(List<Source<Batch, NotUsed>> inputs, boolean all,
            MemoryBudget budget, int batchRows) {
        return setOp(SetOpProcessor.Operation.INTERSECT, "intersect", inputs, all, budget, batchRows);
    }

    /** EXCEPT [ALL]: the first input minus the others; ALL subtracts counts. */
    public static Source<Batch, NotUsed> except(List<Source<Batch, NotUsed>> inputs, boolean all, MemoryBudget budget,
            int batchRows) {
        return setOp(SetOpProcessor.Operation.EXCEPT, "except", inputs, all, budget, batchRows);
    }

    private static Source<Batch, NotUsed> setOp(SetOpProcessor.Operation operation, String name,
            List<Source<Batch, NotUsed>> inputs, boolean all, MemoryBudget budget, int batchRows) {
        int inputCount = inputs.size();
        return ProcessorStage.source(name, List.copyOf(inputs),
                () -> new SetOpProcessor(operation, all, inputCount, new MemoryLease(budget, name)), batchRows);
    }

    /**
     * Re-cuts batches to at most {@code batchRows} rows: large batches are split, and small ones are merged
     * while downstream is busy (never waiting for more input to fill a batch).
     */
    public static Source<Batch, NotUsed> rebatch(Source<Batch, NotUsed> in, int batchRows) {
        Rows.checkBatchRows(batchRows);
        return in.mapConcat(batch -> split(batch, batchRows))
                .batchWeighted(batchRows, batch -> (long) batch.size(), batch -> new ArrayList<>(batch.rows()),
                        (rows, batch) -> {
                            rows.addAll(batch.rows());
                            return rows;
                        })
                .map(Batch::new)
                .named("rebatch");
    }

    private static List<Batch> split(Batch batch, int batchRows) {
        if (batch.size() <= batchRows) {
            return List.of(batch);
        }
        List<Batch> parts = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += batchRows) {
            parts.add(new Batch(batch.rows().subList(from, Math.min(batch.size(), from + batchRows))));
        }
        return parts;
    }
}
