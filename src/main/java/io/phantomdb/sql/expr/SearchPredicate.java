package io.phantomdb.sql.expr;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.Sarg;

/**
 * {@code SEARCH(x, Sarg[...])}, Calcite's form of IN lists, BETWEEN and merged range conditions, evaluated
 * directly: the Sarg's ranges are sorted and disjoint, so membership is a binary search (a long IN list
 * costs O(log n) per row, not n comparisons). A NULL {@code x} yields the Sarg's {@code nullAs}: UNKNOWN
 * gives NULL, and the TRUE/FALSE variants encode "OR x IS NULL" / "AND x IS NOT NULL".
 */
final class SearchPredicate {
    private SearchPredicate() {}

    /** One range of the Sarg with endpoints as run-time values; a null endpoint is unbounded. */
    private record Interval(Object lower, boolean lowerClosed, Object upper, boolean upperClosed) {
        boolean below(Object value, Comparator<Object> ordering) {
            if (lower == null) {
                return false;
            }
            int c = ordering.compare(value, lower);
            return c < 0 || (c == 0 && !lowerClosed);
        }

        boolean above(Object value, Comparator<Object> ordering) {
            if (upper == null) {
                return false;
            }
            int c = ordering.compare(value, upper);
            return c > 0 || (c == 0 && !upperClosed);
        }
    }

    static Scalar compile(Compilation c, RexCall call) {
        RexNode operand = call.getOperands().get(0);
        RexLiteral literal = (RexLiteral) call.getOperands().get(1);
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        DataType operandType = c.typeOf(operand);
        DataType endpointType = endpointType(sarg, c.typeOf(literal));
        DataType domain = Comparisons.domain(operandType, endpointType);
        if (domain == null) {
            // Mixed families (not produced by Calcite's own simplifier): fall back to plain comparisons.
            return c.compile(RexUtil.expandSearch(c.rexBuilder(), null, call));
        }
        Interval[] intervals = intervals(sarg, endpointType);
        Comparator<Object> ordering = Comparisons.ordering(domain);
        Boolean ifNull = nullResult(sarg.nullAs);
        Scalar value = c.compile(operand);
        return (row, bindings) -> {
            Object v = value.eval(row, bindings);
            return v == null ? ifNull : contains(intervals, v, ordering);
        };
    }

    private static Boolean nullResult(RexUnknownAs nullAs) {
        switch (nullAs) {
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /**
     * The type to hold endpoints in: the literal's own, except that an integral Sarg whose endpoints are not
     * all whole numbers keeps them as DECIMAL rather than rounding them.
     */
    private static DataType endpointType(Sarg<?> sarg, DataType literalType) {
        if (!Casts.isIntegral(literalType)) {
            return literalType;
        }
        for (Range<?> range : sarg.rangeSet.asRanges()) {
            if ((range.hasLowerBound() && !isWhole(range.lowerEndpoint()))
                    || (range.hasUpperBound() && !isWhole(range.upperEndpoint()))) {
                return DataType.DECIMAL;
            }
        }
        return DataType.BIGINT;
    }

    private static boolean isWhole(Comparable<?> endpoint) {
        try {
            new BigDecimal(endpoint.toString()).longValueExact();
            return true;
        } catch (ArithmeticException | NumberFormatException notWhole) {
            return false;
        }
    }

    private static Interval[] intervals(Sarg<?> sarg, DataType endpointType) {
        List<Interval> intervals = new ArrayList<>();
        for (Range<?> range : sarg.rangeSet.asRanges()) {
            Object lower = range.hasLowerBound() ? Literals.fromCalcite(range.lowerEndpoint(), endpointType) : null;
            Object upper = range.hasUpperBound() ? Literals.fromCalcite(range.upperEndpoint(), endpointType) : null;
            intervals.add(new Interval(lower, range.hasLowerBound() && range.lowerBoundType() == BoundType.CLOSED,
                    upper, range.hasUpperBound() && range.upperBoundType() == BoundType.CLOSED));
        }
        return intervals.toArray(new Interval[0]);
    }

    /** Binary search over sorted, disjoint intervals. */
    private static Boolean contains(Interval[] intervals, Object value, Comparator<Object> ordering) {
        int low = 0;
        int high = intervals.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Interval interval = intervals[middle];
            if (interval.below(value, ordering)) {
                high = middle - 1;
            } else if (interval.above(value, ordering)) {
                low = middle + 1;
            } else {
                return Boolean.TRUE;
            }
        }
        return Boolean.FALSE;
    }
}
