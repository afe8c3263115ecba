package io.phantomdb.sql.plan;

import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.exec.Scalar;
import io.phantomdb.sql.expr.RexCompiler;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import com.google.common.collect.BoundType;
import com.google.common.collect.Range;

/**
 * Chooses how a scan reads its table from the WHERE conjuncts on the table's columns. The candidates are
 * primary-key lookups when every key column is pinned to values (IN lists included, up to {@link #KEYS_MAX}
 * keys), a range of the primary key or of each secondary index (a pinned prefix, optionally followed by a
 * range on the next column), and the full scan; the cheapest by {@link CostModel} wins (docs/decisions.md
 * D19). Ties go to the earlier candidate in that order.
 *
 * <p>The comparisons recognised are {@code col = v}, {@code v = col}, {@code col < v} (and the other
 * inequalities, both ways round), {@code col BETWEEN}/{@code IN} (Calcite's SEARCH), where {@code v} is any
 * expression without column references (literals, parameters, outer columns of a correlated subquery).
 */
final class AccessPaths {
    /** Most primary keys one statement probes individually (cross product of IN lists). */
    static final int KEYS_MAX = 1024;

    private final TableDef table;
    private final RexCompiler compiler;
    private final CostModel cost;
    /** Probe expressions reference no column of the scan, so they compile against any row type. */
    private final RelDataType rowType;
    private final Map<Integer, List<Scalar>> points = new HashMap<>();
    private final Map<Integer, Bound> lower = new HashMap<>();
    private final Map<Integer, Bound> upper = new HashMap<>();
    private final Map<Integer, String> text = new HashMap<>();

    private record Bound(Scalar value, boolean inclusive) {}

    /** A candidate path and what the cost model expects of it. */
    record Choice(ScanNode.Access access, CostModel.Estimate estimate) {}

    AccessPaths(TableDef table, RexCompiler compiler, RelDataType scanRowType, CostModel cost) {
        this.table = table;
        this.compiler = compiler;
        this.rowType = scanRowType;
        this.cost = cost;
    }

    Choice choose(RexNode condition) {
        for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
            collect(conjunct);
        }
        Choice best = null;
        ScanNode.Access.Keys keys = primaryKeyLookup();
        if (keys != null) {
            best = new Choice(keys, cost.keys(keys.keys().size()));
        }
        if (table.hasPrimaryKey()) {
            best = cheaper(best, range(TableKeys.PRIMARY_INDEX_ID, table.name() + "_pkey", table.primaryKey(), List.of(), true));
        }
        for (IndexDef index : table.indexes()) {
            best = cheaper(best, range(index.indexId(), index.name(), index.columns(), index.descending(), index.unique()));
        }
        return cheaper(best, new Choice(new ScanNode.Access.Full(), cost.full()));
    }

    /** {@code best} unless {@code candidate} (null: not usable) costs strictly less. */
    private static Choice cheaper(Choice best, Choice candidate) {
        if (candidate == null) {
            return best;
        }
        return best == null || candidate.estimate().cost() < best.estimate().cost() ? candidate : best;
    }

    private void collect(RexNode conjunct) {
        if (!(conjunct instanceof RexCall call)) {
            return;
        }
        if (call.getKind() == SqlKind.SEARCH) {
            collectSearch(call);
            return;
        }
        if (call.getOperands().size() != 2) {
            return;
        }
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        SqlKind kind = call.getKind();
        if (a instanceof RexInputRef ref && isConstant(b)) {
            constrain(ref.getIndex(), kind, b, call);
        } else if (b instanceof RexInputRef ref && isConstant(a)) {
            constrain(ref.getIndex(), kind.reverse(), a, call);
        }
    }

    private void constrain(int column, SqlKind kind, RexNode value, RexCall call) {
        Scalar v = compiler.compile(value, rowType);
        switch (kind) {
            case EQUALS:
                points.putIfAbsent(column, List.of(v));
                break;
            case GREATER_THAN:
                lower.putIfAbsent(column, new Bound(v, false));
                break;
            case GREATER_THAN_OR_EQUAL:
                lower.putIfAbsent(column, new Bound(v, true));
                break;
            case LESS_THAN:
                upper.putIfAbsent(column, new Bound(v, false));
                break;
            case LESS_THAN_OR_EQUAL:
                upper.putIfAbsent(column, new Bound(v, true));
                break;
            default:
                return;
        }
        text.merge(column, call.toString(), (x, y) -> x + " AND " + y);
    }

    private void collectSearch(RexCall call) {
        if (!(call.getOperands().get(0) instanceof RexInputRef ref) || !(call.getOperands().get(1) instanceof RexLiteral lit)) {
            return;
        }
        Sarg<?> sarg = lit.getValueAs(Sarg.class);
        if (sarg == null) {
            return;
        }
        int column = ref.getIndex();
        if (sarg.isPoints() && sarg.pointCount <= KEYS_MAX) {
            List<Scalar> values = new ArrayList<>();
            for (Range<?> r : sarg.rangeSet.asRanges()) {
                Object v = javaValue(r.lowerEndpoint());
                if (v == null) {
                    return;
                }
                values.add((row, bindings) -> v);
            }
            points.putIfAbsent(column, values);
            text.merge(column, call.toString(), (x, y) -> x + " AND " + y);
        } else if (sarg.rangeSet.asRanges().size() == 1) {
            Range<?> r = sarg.rangeSet.asRanges().iterator().next();
            if (r.hasLowerBound() && javaValue(r.lowerEndpoint()) != null) {
                Object v = javaValue(r.lowerEndpoint());
                lower.putIfAbsent(column, new Bound((row, b) -> v, r.lowerBoundType() == BoundType.CLOSED));
            }
            if (r.hasUpperBound() && javaValue(r.upperEndpoint()) != null) {
                Object v = javaValue(r.upperEndpoint());
                upper.putIfAbsent(column, new Bound((row, b) -> v, r.upperBoundType() == BoundType.CLOSED));
            }
            text.merge(column, call.toString(), (x, y) -> x + " AND " + y);
        }
    }

    /** A Sarg endpoint (Calcite's internal literal form) as a plain Java value, or null if not a key type. */
    private static Object javaValue(Object endpoint) {
        if (endpoint instanceof BigDecimal || endpoint instanceof Boolean) {
            return endpoint;
        }
        if (endpoint instanceof NlsString s) {
            return s.getValue();
        }
        return null;
    }

    private static boolean isConstant(RexNode node) {
        return !RexUtil.containsInputRef(node) && RexUtil.isDeterministic(node);
    }

    private ScanNode.Access.Keys primaryKeyLookup() {
        if (!table.hasPrimaryKey()) {
            return null;
        }
        List<List<Scalar>> keys = new ArrayList<>();
        keys.add(List.of());
        StringBuilder description = new StringBuilder();
        for (int column : table.primaryKey()) {
            List<Scalar> values = points.get(column);
            if (values == null || keys.size() * values.size() > KEYS_MAX) {
                return null;
            }
            List<List<Scalar>> next = new ArrayList<>();
            for (List<Scalar> prefix : keys) {
                for (Scalar v : values) {
                    List<Scalar> key = new ArrayList<>(prefix);
                    key.add(v);
                    next.add(key);
                }
            }
            keys = next;
            description.append(description.length() == 0 ? "" : " AND ").append(text.get(column));
        }
        return new ScanNode.Access.Keys(keys, description.toString());
    }

    /** The range of an index the conjuncts allow, or null when they constrain none of its leading columns. */
    private Choice range(int indexId, String name, List<Integer> columns, List<Boolean> descending, boolean unique) {
        List<Scalar> equal = new ArrayList<>();
        StringBuilder description = new StringBuilder();
        int i = 0;
        while (i < columns.size()) {
            List<Scalar> values = points.get(columns.get(i));
            if (values == null || values.size() != 1) {
                break;
            }
            equal.add(values.get(0));
            description.append(description.length() == 0 ? "" : " AND ").append(text.get(columns.get(i)));
            i++;
        }
        Bound lo = null;
        Bound hi = null;
        if (i < columns.size() && (descending.isEmpty() || !descending.get(i))) {
            lo = lower.get(columns.get(i));
            hi = upper.get(columns.get(i));
            if (lo != null || hi != null) {
                description.append(description.length() == 0 ? "" : " AND ").append(text.get(columns.get(i)));
            }
        }
        if (equal.isEmpty() && lo == null && hi == null) {
            return null;
        }
        ScanNode.Access access = new ScanNode.Access.Range(indexId, name, equal, lo == null ? null : lo.value(),
                lo != null && lo.inclusive(), hi == null ? null : hi.value(), hi != null && hi.inclusive(), "(" + description + ")");
        return new Choice(access, cost.range(indexId, columns, unique, equal.size(), lo != null, hi != null));
    }
}
