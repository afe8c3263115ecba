package io.phantomdb.sql.plan;

import io.phantomdb.catalog.DataType;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Scalar;
import io.phantomdb.exec.operator.AggregateCall;
import io.phantomdb.exec.operator.AggregateKind;
import io.phantomdb.exec.operator.JoinKind;
import io.phantomdb.exec.operator.SortKey;
import io.phantomdb.sql.expr.RexCompiler;
import io.phantomdb.sql.frontend.CalciteTables;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Turns optimized logical relational algebra into a tree of {@link PlanNode}s: chooses the join algorithm
 * (hash join on equality keys of compatible types, else nested loop), the access path of each scan
 * ({@link AccessPaths}), and compiles every expression once ({@link RexCompiler}).
 *
 * <p>Not thread-safe; one instance per statement compilation.
 */
public final class PhysicalPlanner {
    private final RexCompiler compiler;
    private final RexBuilder rexBuilder;

    public PhysicalPlanner(RexBuilder rexBuilder) {
        this.rexBuilder = rexBuilder;
        this.compiler = new RexCompiler(rexBuilder);
    }

    public PlanNode plan(RelNode rel) {
        if (rel instanceof Filter filter && filter.getInput() instanceof TableScan scan) {
            return scanWithFilter(scan, filter.getCondition());
        }
        if (rel instanceof TableScan scan) {
            TableDef table = tableOf(scan);
            return new ScanNode(table, new ScanNode.Access.Full(), null, costModel(scan, table).full());
        }
        if (rel instanceof Filter filter) {
            PlanNode input = plan(filter.getInput());
            return new PlanNodes.Filter(input, compile(filter.getCondition(), filter.getInput().getRowType()),
                    filter.getCondition().toString());
        }
        if (rel instanceof Project project) {
            return project(project);
        }
        if (rel instanceof Join join) {
            return join(join);
        }
        if (rel instanceof Correlate correlate) {
            return correlate(correlate);
        }
        if (rel instanceof Aggregate aggregate) {
            return aggregate(aggregate);
        }
        if (rel instanceof Sort sort) {
            return sort(sort);
        }
        if (rel instanceof SetOp setOp) {
            return setOp(setOp);
        }
        if (rel instanceof Values values) {
            return values(values);
        }
        throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "no physical operator for " + rel.getRelTypeName());
    }

    static TableDef tableOf(TableScan scan) {
        TableDef table = CalciteTables.tableDef(scan.getTable());
        if (table == null) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "cannot scan " + scan.getTable().getQualifiedName());
        }
        return table;
    }

    /** The cost model of a scan, over the row count and statistics the planner has now (D19). */
    private static CostModel costModel(TableScan scan, TableDef table) {
        CalciteTables.PhantomTable stored = CalciteTables.phantomTable(scan.getTable());
        return new CostModel(table, stored.rowCount(), stored.analyzed());
    }

    private PlanNode scanWithFilter(TableScan scan, RexNode condition) {
        TableDef table = tableOf(scan);
        AccessPaths.Choice choice = new AccessPaths(table, compiler, scan.getRowType(), costModel(scan, table)).choose(condition);
        ScanNode node = new ScanNode(table, choice.access(), null, choice.estimate());
        return new PlanNodes.Filter(node, compile(condition, scan.getRowType()), condition.toString());
    }

    private PlanNode project(Project project) {
        PlanNode input = narrowScan(plan(project.getInput()), project);
        List<Scalar> expressions = new ArrayList<>();
        for (RexNode e : project.getProjects()) {
            expressions.add(compile(e, project.getInput().getRowType()));
        }
        return new PlanNodes.Project(input, types(project.getRowType()), expressions, project.getProjects().toString());
    }

    /**
     * Projection push-down into the scan: when a projection reads a scan (directly or through its filter),
     * only the columns the projection and the filter use are decoded.
     */
    private static PlanNode narrowScan(PlanNode input, Project project) {
        org.apache.calcite.util.ImmutableBitSet used = org.apache.calcite.plan.RelOptUtil.InputFinder.bits(
                project.getProjects(), project.getInput() instanceof Filter f ? f.getCondition() : null);
        if (input instanceof ScanNode scan) {
            return narrowed(scan, used);
        }
        if (input instanceof PlanNodes.Filter filter && filter.input() instanceof ScanNode scan) {
            return filter.withInput(narrowed(scan, used));
        }
        return input;
    }

    private static ScanNode narrowed(ScanNode scan, org.apache.calcite.util.ImmutableBitSet used) {
        int width = scan.width();
        if (used.cardinality() >= width) {
            return scan;
        }
        boolean[] wanted = new boolean[width];
        for (int column : used) {
            wanted[column] = true;
        }
        return scan.reading(wanted);
    }

    private PlanNode join(Join join) {
        PlanNode left = plan(join.getLeft());
        PlanNode right = plan(join.getRight());
        JoinKind kind = kindOf(join.getJoinType());
        List<Integer> leftKeys = new ArrayList<>();
        List<Integer> rightKeys = new ArrayList<>();
        List<Boolean> filterNulls = new ArrayList<>();
        RexNode rest = RelOptUtil.splitJoinCondition(join.getLeft(), join.getRight(), join.getCondition(), leftKeys,
                rightKeys, filterNulls);
        RelDataType joinedType = joinedRowType(join);
        if (!leftKeys.isEmpty() && keysHashable(join, leftKeys, rightKeys)) {
            boolean[] nullSafe = new boolean[leftKeys.size()];
            for (int i = 0; i < nullSafe.length; i++) {
                nullSafe[i] = !filterNulls.get(i);
            }
            Scalar residual = rest.isAlwaysTrue() ? null : compile(rest, joinedType);
            return new PlanNodes.HashJoin(left, right, types(join.getRowType()), ints(leftKeys), ints(rightKeys), nullSafe,
                    kind, residual, join.getCondition().toString());
        }
        if (!leftKeys.isEmpty() && !filterNulls.contains(false) && keysComparable(join, leftKeys, rightKeys)) {
            Scalar residual = rest.isAlwaysTrue() ? null : compile(rest, joinedType);
            return new PlanNodes.MergeJoin(left, right, types(join.getRowType()), ints(leftKeys), ints(rightKeys), kind,
                    residual, join.getCondition().toString());
        }
        Scalar condition = join.getCondition().isAlwaysTrue() ? null : compile(join.getCondition(), joinedType);
        return new PlanNodes.NestedLoopJoin(left, right, types(join.getRowType()), kind, condition, join.getCondition().toString());
    }

    /** Semi and anti joins output only the left row, but their condition sees left ++ right. */
    private RelDataType joinedRowType(Join join) {
        if (join.getJoinType() == JoinRelType.SEMI || join.getJoinType() == JoinRelType.ANTI) {
            return rexBuilder.getTypeFactory().createJoinType(join.getLeft().getRowType(), join.getRight().getRowType());
        }
        return join.getRowType();
    }

    /** Hash keys must compare by value equality: same type, or integers of any width. */
    private static boolean keysHashable(Join join, List<Integer> leftKeys, List<Integer> rightKeys) {
        List<RelDataTypeField> l = join.getLeft().getRowType().getFieldList();
        List<RelDataTypeField> r = join.getRight().getRowType().getFieldList();
        for (int i = 0; i < leftKeys.size(); i++) {
            DataType a = RexCompiler.dataTypeOf(l.get(leftKeys.get(i)).getType());
            DataType b = RexCompiler.dataTypeOf(r.get(rightKeys.get(i)).getType());
            boolean integral = isIntegral(a) && isIntegral(b);
            if (a != b && !integral) {
                return false;
            }
        }
        return true;
    }

    /** Merge keys need one order across both sides: numbers with numbers, or the same type. */
    private static boolean keysComparable(Join join, List<Integer> leftKeys, List<Integer> rightKeys) {
        List<RelDataTypeField> l = join.getLeft().getRowType().getFieldList();
        List<RelDataTypeField> r = join.getRight().getRowType().getFieldList();
        for (int i = 0; i < leftKeys.size(); i++) {
            DataType a = RexCompiler.dataTypeOf(l.get(leftKeys.get(i)).getType());
            DataType b = RexCompiler.dataTypeOf(r.get(rightKeys.get(i)).getType());
            if (a != b && !(a.isNumeric() && b.isNumeric())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIntegral(DataType t) {
        return t == DataType.SMALLINT || t == DataType.INTEGER || t == DataType.BIGINT;
    }

    private PlanNode correlate(Correlate correlate) {
        PlanNode left = plan(correlate.getLeft());
        PlanNode right = plan(correlate.getRight());
        return new PlanNodes.Correlate(left, right, types(correlate.getRowType()), correlate.getCorrelationId().getId(),
                kindOf(correlate.getJoinType()));
    }

    private static JoinKind kindOf(JoinRelType type) {
        switch (type) {
            case INNER: return JoinKind.INNER;
            case LEFT: return JoinKind.LEFT;
            case RIGHT: return JoinKind.RIGHT;
            case FULL: return JoinKind.FULL;
            case SEMI: return JoinKind.SEMI;
            case ANTI: return JoinKind.ANTI;
            default: throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "join type " + type);
        }
    }

    private PlanNode aggregate(Aggregate aggregate) {
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "GROUPING SETS, ROLLUP and CUBE are not supported");
        }
        PlanNode input = plan(aggregate.getInput());
        int groups = aggregate.getGroupCount();
        List<AggregateCall> calls = new ArrayList<>();
        List<DataType> aggregateTypes = new ArrayList<>(types(aggregate.getRowType()).subList(0, groups));
        // LITERAL_AGG (Calcite's marker "a constant per group", made by sub-query rewrites) is no aggregation:
        // it becomes a constant column of a projection over the real aggregate.
        List<Scalar> outputs = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int column = g;
            outputs.add((row, b) -> row[column]);
        }
        for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
            DataType type = RexCompiler.dataTypeOf(call.getType());
            if (call.getAggregation().getKind() == SqlKind.LITERAL_AGG) {
                Object value = RexCompiler.toJavaValue((RexLiteral) call.rexList.get(0), type);
                outputs.add((row, b) -> value);
                continue;
            }
            int column = groups + calls.size();
            outputs.add((row, b) -> row[column]);
            calls.add(new AggregateCall(aggregateKind(call), ints(call.getArgList()), call.isDistinct(), type,
                    Math.max(call.getType().getScale(), 0), call.filterArg));
            aggregateTypes.add(type);
        }
        PlanNode node = new PlanNodes.Aggregate(input, aggregateTypes, aggregate.getGroupSet().toArray(), calls,
                "group " + aggregate.getGroupSet() + " " + aggregate.getAggCallList());
        if (calls.size() == aggregate.getAggCallList().size()) {
            return node;
        }
        return new PlanNodes.Project(node, types(aggregate.getRowType()), outputs, "constants of LITERAL_AGG");
    }

    private static AggregateKind aggregateKind(org.apache.calcite.rel.core.AggregateCall call) {
        SqlKind kind = call.getAggregation().getKind();
        switch (kind) {
            case COUNT: return call.getArgList().isEmpty() ? AggregateKind.COUNT_STAR : AggregateKind.COUNT;
            case SUM: return AggregateKind.SUM;
            case SUM0: return AggregateKind.SUM0;
            case AVG: return AggregateKind.AVG;
            case MIN: return AggregateKind.MIN;
            case MAX: return AggregateKind.MAX;
            case SINGLE_VALUE: return AggregateKind.SINGLE_VALUE;
            case ANY_VALUE: return AggregateKind.ANY_VALUE;
            default:
                String name = call.getAggregation().getName().toUpperCase(java.util.Locale.ROOT);
                if (name.equals("BOOL_AND") || name.equals("EVERY")) {
                    return AggregateKind.BOOL_AND;
                }
                if (name.equals("BOOL_OR") || name.equals("SOME")) {
                    return AggregateKind.BOOL_OR;
                }
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "aggregate function " + name + " is not supported");
        }
    }

    private PlanNode sort(Sort sort) {
        PlanNode input = plan(sort.getInput());
        List<SortKey> keys = new ArrayList<>();
        for (RelFieldCollation c : sort.getCollation().getFieldCollations()) {
            boolean descending = c.getDirection().isDescending();
            boolean nullsFirst = c.nullDirection == RelFieldCollation.NullDirection.FIRST
                    || (c.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED && descending);
            keys.add(new SortKey(c.getFieldIndex(), descending, nullsFirst));
        }
        RelDataType none = rexBuilder.getTypeFactory().builder().build();
        Scalar offset = sort.offset == null ? null : compile(sort.offset, none);
        Scalar fetch = sort.fetch == null ? null : compile(sort.fetch, none);
        return new PlanNodes.Sort(input, keys, offset, fetch);
    }

    private PlanNode setOp(SetOp setOp) {
        List<PlanNode> inputs = new ArrayList<>();
        for (RelNode input : setOp.getInputs()) {
            inputs.add(plan(input));
        }
        PlanNodes.SetOp.Kind kind = setOp instanceof Union ? PlanNodes.SetOp.Kind.UNION
                : setOp instanceof Intersect ? PlanNodes.SetOp.Kind.INTERSECT : PlanNodes.SetOp.Kind.EXCEPT;
        if (!(setOp instanceof Union) && !(setOp instanceof Intersect) && !(setOp instanceof Minus)) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "set operation " + setOp.getRelTypeName());
        }
        return new PlanNodes.SetOp(kind, setOp.all, types(setOp.getRowType()), inputs);
    }

    private PlanNode values(Values values) {
        List<DataType> types = types(values.getRowType());
        List<Object[]> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : values.getTuples()) {
            Object[] row = new Object[tuple.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = RexCompiler.toJavaValue(tuple.get(i), types.get(i));
            }
            rows.add(row);
        }
        return new PlanNodes.Values(types, rows);
    }

    Scalar compile(RexNode node, RelDataType inputRowType) {
        return compiler.compile(node, inputRowType);
    }

    static List<DataType> types(RelDataType rowType) {
        List<DataType> types = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            types.add(RexCompiler.dataTypeOf(field.getType()));
        }
        return types;
    }

    static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
