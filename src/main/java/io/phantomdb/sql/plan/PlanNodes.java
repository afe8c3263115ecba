package io.phantomdb.sql.plan;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.ExecContext;
import io.phantomdb.exec.Scalar;
import io.phantomdb.exec.operator.AggregateCall;
import io.phantomdb.exec.operator.JoinKind;
import io.phantomdb.exec.operator.Operators;
import io.phantomdb.exec.operator.SortKey;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/** The physical operators of a plan (scans live in {@link ScanNode}). Each builds one exec operator. */
public final class PlanNodes {
    private PlanNodes() {}

    private static final Object[] NO_ROW = new Object[0];

    /** Evaluates a row-independent expression (LIMIT/OFFSET, key bounds) with the execution's bindings. */
    static Object constant(Scalar scalar, ExecContext context) {
        return scalar.eval(NO_ROW, context.bindings());
    }

    static long count(Scalar scalar, ExecContext context, String what) {
        if (scalar == null) {
            return what.equals("LIMIT") ? -1 : 0;
        }
        Object value = constant(scalar, context);
        if (value == null) {
            return what.equals("LIMIT") ? -1 : 0; // LIMIT NULL means no limit in PostgreSQL
        }
        long n = ((Number) value).longValue();
        if (n < 0) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, what + " must not be negative");
        }
        return n;
    }

    public static final class Values extends PlanNode {
        private final List<Object[]> rows;

        public Values(List<DataType> types, List<Object[]> rows) {
            super(types);
            this.rows = List.copyOf(rows);
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.values(rows, context.batchRows());
        }

        @Override
        public String describe() {
            return "Values (" + rows.size() + " rows)";
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }
    }

    public static final class Filter extends PlanNode {
        private final PlanNode input;
        private final Scalar predicate;
        private final String text;

        public Filter(PlanNode input, Scalar predicate, String text) {
            super(input.types());
            this.input = input;
            this.predicate = predicate;
            this.text = text;
        }

        PlanNode input() {
            return input;
        }

        /** The same filter over another input of the same row type. */
        Filter withInput(PlanNode other) {
            return new Filter(other, predicate, text);
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.filter(input.build(context), predicate, context.bindings());
        }

        @Override
        public boolean inline() {
            return input.inline();
        }

        @Override
        public List<Object[]> runInline(ExecContext context) {
            List<Object[]> out = new ArrayList<>();
            for (Object[] row : input.runInline(context)) {
                if (Boolean.TRUE.equals(predicate.eval(row, context.bindings()))) {
                    out.add(row);
                }
            }
            return out;
        }

        @Override
        public String describe() {
            return "Filter " + text;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    public static final class Project extends PlanNode {
        private final PlanNode input;
        private final List<Scalar> expressions;
        private final String text;

        public Project(PlanNode input, List<DataType> types, List<Scalar> expressions, String text) {
            super(types);
            this.input = input;
            this.expressions = List.copyOf(expressions);
            this.text = text;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.project(input.build(context), expressions, context.bindings());
        }

        @Override
        public boolean inline() {
            return input.inline();
        }

        @Override
        public List<Object[]> runInline(ExecContext context) {
            List<Object[]> out = new ArrayList<>();
            for (Object[] row : input.runInline(context)) {
                Object[] projected = new Object[expressions.size()];
                for (int i = 0; i < projected.length; i++) {
                    projected[i] = expressions.get(i).eval(row, context.bindings());
                }
                out.add(projected);
            }
            return out;
        }

        @Override
        public String describe() {
            return "Project " + text;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    public static final class Sort extends PlanNode {
        private final PlanNode input;
        private final List<SortKey> keys;
        private final Scalar offset;
        private final Scalar fetch;

        public Sort(PlanNode input, List<SortKey> keys, Scalar offset, Scalar fetch) {
            super(input.types());
            this.input = input;
            this.keys = List.copyOf(keys);
            this.offset = offset;
            this.fetch = fetch;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            long skip = count(offset, context, "OFFSET");
            long limit = count(fetch, context, "LIMIT");
            if (keys.isEmpty()) {
                return Operators.limit(input.build(context), skip, limit);
            }
            return Operators.sort(input.build(context), keys, skip, limit, context.budget(), context.batchRows());
        }

        @Override
        public String describe() {
            StringBuilder s = new StringBuilder(keys.isEmpty() ? "Limit" : "Sort");
            for (SortKey k : keys) {
                s.append(" $").append(k.column()).append(k.descending() ? " DESC" : " ASC")
                        .append(k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST");
            }
            if (offset != null) {
                s.append(" OFFSET");
            }
            if (fetch != null) {
                s.append(keys.isEmpty() ? "" : " (top-N)");
            }
            return s.toString();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    public static final class Aggregate extends PlanNode {
        private final PlanNode input;
        private final int[] groupColumns;
        private final List<AggregateCall> calls;
        private final String text;

        public Aggregate(PlanNode input, List<DataType> types, int[] groupColumns, List<AggregateCall> calls, String text) {
            super(types);
            this.input = input;
            this.groupColumns = groupColumns.clone();
            this.calls = List.copyOf(calls);
            this.text = text;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.hashAggregate(input.build(context), groupColumns, calls, context.budget(), context.batchRows());
        }

        @Override
        public String describe() {
            return "HashAggregate " + text;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    public static final class HashJoin extends PlanNode {
        private final PlanNode left;
        private final PlanNode right;
        private final int[] leftKeys;
        private final int[] rightKeys;
        private final boolean[] nullSafe;
        private final JoinKind kind;
        private final Scalar residual;
        private final String text;

        public HashJoin(PlanNode left, PlanNode right, List<DataType> types, int[] leftKeys, int[] rightKeys,
                boolean[] nullSafe, JoinKind kind, Scalar residual, String text) {
            super(types);
            this.left = left;
            this.right = right;
            this.leftKeys = leftKeys.clone();
            this.rightKeys = rightKeys.clone();
            this.nullSafe = nullSafe.clone();
            this.kind = kind;
            this.residual = residual;
            this.text = text;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.hashJoin(left.build(context), right.build(context), leftKeys, rightKeys, nullSafe, kind,
                    residual, left.width(), right.width(), context.budget(), context.bindings(), context.batchRows());
        }

        @Override
        public String describe() {
            return "HashJoin " + kind + " " + text;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }
    }

    /**
     * Equality join whose key types do not hash alike (e.g. INTEGER = DOUBLE): both inputs are sorted on their
     * keys (PostgreSQL order, numbers compared numerically) and merged, instead of comparing every pair.
     */
    public static final class MergeJoin extends PlanNode {
        private final PlanNode left;
        private final PlanNode right;
        private final int[] leftKeys;
        private final int[] rightKeys;
        private final JoinKind kind;
        private final Scalar residual;
        private final String text;

        public MergeJoin(PlanNode left, PlanNode right, List<DataType> types, int[] leftKeys, int[] rightKeys,
                JoinKind kind, Scalar residual, String text) {
            super(types);
            this.left = left;
            this.right = right;
            this.leftKeys = leftKeys.clone();
            this.rightKeys = rightKeys.clone();
            this.kind = kind;
            this.residual = residual;
            this.text = text;
        }

        private static List<SortKey> ascending(int[] keys) {
            List<SortKey> sort = new ArrayList<>();
            for (int k : keys) {
                sort.add(new SortKey(k, false, false));
            }
            return sort;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            Source<Batch, NotUsed> l = Operators.sort(left.build(context), ascending(leftKeys), 0, -1, context.budget(), context.batchRows());
            Source<Batch, NotUsed> r = Operators.sort(right.build(context), ascending(rightKeys), 0, -1, context.budget(), context.batchRows());
            return Operators.mergeJoin(l, r, leftKeys, rightKeys, kind, residual, left.width(), right.width(),
                    context.budget(), context.bindings(), context.batchRows());
        }

        @Override
        public String describe() {
            return "MergeJoin " + kind + " " + text + " (both inputs sorted on the keys)";
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }
    }

    public static final class NestedLoopJoin extends PlanNode {
        private final PlanNode left;
        private final PlanNode right;
        private final JoinKind kind;
        private final Scalar condition;
        private final String text;

        public NestedLoopJoin(PlanNode left, PlanNode right, List<DataType> types, JoinKind kind, Scalar condition, String text) {
            super(types);
            this.left = left;
            this.right = right;
            this.kind = kind;
            this.condition = condition;
            this.text = text;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.nestedLoopJoin(left.build(context), right.build(context), kind, condition, left.width(),
                    right.width(), context.budget(), context.bindings(), context.batchRows());
        }

        @Override
        public String describe() {
            return "NestedLoopJoin " + kind + " " + text;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }
    }

    public static final class Correlate extends PlanNode {
        private final PlanNode left;
        private final PlanNode right;
        private final int correlationId;
        private final JoinKind kind;

        public Correlate(PlanNode left, PlanNode right, List<DataType> types, int correlationId, JoinKind kind) {
            super(types);
            this.left = left;
            this.right = right;
            this.correlationId = correlationId;
            this.kind = kind;
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            return Operators.correlate(left.build(context), b -> right.build(context.withBindings(b)), correlationId,
                    kind, left.width(), right.width(), context.budget(), context.bindings(), context.batchRows());
        }

        @Override
        public String describe() {
            return "Correlate " + kind + " $cor" + correlationId;
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }
    }

    /** UNION / INTERSECT / EXCEPT, with or without ALL. */
    public static final class SetOp extends PlanNode {
        public enum Kind { UNION, INTERSECT, EXCEPT }

        private final Kind kind;
        private final boolean all;
        private final List<PlanNode> inputs;

        public SetOp(Kind kind, boolean all, List<DataType> types, List<PlanNode> inputs) {
            super(types);
            this.kind = kind;
            this.all = all;
            this.inputs = List.copyOf(inputs);
        }

        @Override
        public Source<Batch, NotUsed> build(ExecContext context) {
            List<Source<Batch, NotUsed>> sources = new ArrayList<>();
            for (PlanNode input : inputs) {
                sources.add(input.build(context));
            }
            switch (kind) {
                case UNION:
                    return Operators.union(sources, all, context.budget(), context.batchRows());
                case INTERSECT:
                    return Operators.intersect(sources, all, context.budget(), context.batchRows());
                default:
                    return Operators.except(sources, all, context.budget(), context.batchRows());
            }
        }

        @Override
        public String describe() {
            return kind + (all ? " ALL" : "");
        }

        @Override
        public List<PlanNode> inputs() {
            return inputs;
        }
    }
}
