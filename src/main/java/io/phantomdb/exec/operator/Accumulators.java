package io.phantomdb.exec.operator;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.RowSizes;
import io.phantomdb.exec.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/** Builds the {@link Accumulator} of each {@link AggregateKind}, wrapped for DISTINCT and FILTER as asked. */
final class Accumulators {
    /** Per-group state of one call, for memory accounting. */
    static final int ACCUMULATOR_BYTES = 48;
    /** A hash-set entry besides the key itself. */
    private static final int SET_ENTRY_BYTES = 48;
    /** PostgreSQL's minimum significant digits of a numeric division, the AVG scale when none is given. */
    private static final int DEFAULT_AVG_SCALE = 16;

    private Accumulators() {}

    /** A factory of fresh accumulators (one per group) for {@code call}. */
    static Supplier<Accumulator> factory(AggregateCall call) {
        int[] args = call.arguments();
        Supplier<Accumulator> plain = plain(call, args);
        Supplier<Accumulator> deduplicated = call.distinct() ? () -> new Distinct(plain.get(), args) : plain;
        int filter = call.filterColumn();
        return filter < 0 ? deduplicated : () -> new Filtered(deduplicated.get(), filter);
    }

    private static Supplier<Accumulator> plain(AggregateCall call, int[] args) {
        DataType type = call.resultType();
        switch (call.kind()) {
            case COUNT_STAR:
                return () -> new Count(type, new int[0]);
            case COUNT:
                return () -> new Count(type, args);
            case SUM:
                return () -> new Sum(type, args[0], false);
            case SUM0:
                return () -> new Sum(type, args[0], true);
            case AVG:
                int scale = call.resultScale() < 0 ? DEFAULT_AVG_SCALE : call.resultScale();
                return () -> new Avg(type, args[0], scale);
            case MIN:
                return () -> new Extreme(type, args[0], -1);
            case MAX:
                return () -> new Extreme(type, args[0], 1);
            case SINGLE_VALUE:
                return () -> new SingleValue(type, args[0]);
            case BOOL_AND:
                return () -> new Bool(args[0], true);
            case BOOL_OR:
                return () -> new Bool(args[0], false);
            case ANY_VALUE:
                return () -> new AnyValue(type, args[0]);
            default:
                throw new IllegalArgumentException("unknown aggregate " + call.kind());
        }
    }

    /** COUNT(x, ...) counts rows whose arguments are all non-NULL; with no arguments, COUNT(*). */
    private static final class Count implements Accumulator {
        private final DataType type;
        private final int[] args;
        private long count;

        Count(DataType type, int[] args) {
            this.type = type;
            this.args = args;
        }

        @Override
        public long add(Object[] row) {
            for (int arg : args) {
                if (row[arg] == null) {
                    return 0;
                }
            }
            count++;
            return 0;
        }

        @Override
        public Object result() {
            return ResultTypes.convert(count, type);
        }
    }

    /** SUM (NULL on no input) and SUM0 (0 on no input); range checked against the result type at the end. */
    private static final class Sum implements Accumulator {
        private final DataType type;
        private final int arg;
        private final boolean zeroWhenEmpty;
        private final NumericSum sum = new NumericSum();

        Sum(DataType type, int arg, boolean zeroWhenEmpty) {
            this.type = type;
            this.arg = arg;
            this.zeroWhenEmpty = zeroWhenEmpty;
        }

        @Override
        public long add(Object[] row) {
            Object value = row[arg];
            if (value != null) {
                sum.add((Number) value);
            }
            return 0;
        }

        @Override
        public Object result() {
            Number total = sum.total();
            if (total == null) {
                return zeroWhenEmpty ? ResultTypes.convert(0L, type) : null;
            }
            return ResultTypes.convert(total, type);
        }
    }

    /**
     * AVG: exact sum divided by the count. A DECIMAL result is rounded HALF_UP to its scale; a floating result is
     * a double division; an integral result (Calcite's default type for AVG of an integer) truncates like integer
     * division.
     */
    private static final class Avg implements Accumulator {
        private final DataType type;
        private final int arg;
        private final int scale;
        private final NumericSum sum = new NumericSum();

        Avg(DataType type, int arg, int scale) {
            this.type = type;
            this.arg = arg;
            this.scale = scale;
        }

        @Override
        public long add(Object[] row) {
            Object value = row[arg];
            if (value != null) {
                sum.add((Number) value);
            }
            return 0;
        }

        @Override
        public Object result() {
            Number total = sum.total();
            if (total == null) {
                return null;
            }
            if (type == DataType.REAL || type == DataType.DOUBLE) {
                double average = (total instanceof BigDecimal d ? d.doubleValue() : total.doubleValue()) / sum.count();
                return ResultTypes.convert(average, type);
            }
            BigDecimal count = BigDecimal.valueOf(sum.count());
            BigDecimal exact = ResultTypes.toDecimal(total);
            if (type == DataType.DECIMAL) {
                return exact.divide(count, scale, RoundingMode.HALF_UP);
            }
            return ResultTypes.convert(exact.divide(count, 0, RoundingMode.DOWN), type);
        }
    }

    /** MIN ({@code sign} -1) or MAX ({@code sign} 1) by {@link Values#compare}. */
    private static final class Extreme implements Accumulator {
        private final DataType type;
        private final int arg;
        private final int sign;
        private Object best;

        Extreme(DataType type, int arg, int sign) {
            this.type = type;
            this.arg = arg;
            this.sign = sign;
        }

        @Override
        public long add(Object[] row) {
            Object value = row[arg];
            if (value != null && (best == null || Integer.signum(Values.compare(value, best)) == sign)) {
                best = value;
            }
            return 0;
        }

        @Override
        public Object result() {
            return ResultTypes.convert(best, type);
        }
    }

    /** The value of a scalar subquery: NULL on no row, error 21000 on a second row (even a NULL one). */
    private static final class SingleValue implements Accumulator {
        private final DataType type;
        private final int arg;
        private boolean seen;
        private Object value;

        SingleValue(DataType type, int arg) {
            this.type = type;
            this.arg = arg;
        }

        @Override
        public long add(Object[] row) {
            if (seen) {
                throw new PhantomSqlException(SqlState.CARDINALITY_VIOLATION,
                        "more than one row returned by a subquery used as an expression");
            }
            seen = true;
            value = row[arg];
            return 0;
        }

        @Override
        public Object result() {
            return ResultTypes.convert(value, type);
        }
    }

    /** BOOL_AND ({@code and}) / BOOL_OR over the non-NULL inputs; NULL when there are none. */
    private static final class Bool implements Accumulator {
        private final int arg;
        private final boolean and;
        private Boolean result;

        Bool(int arg, boolean and) {
            this.arg = arg;
            this.and = and;
        }

        @Override
        public long add(Object[] row) {
            Boolean value = (Boolean) row[arg];
            if (value != null) {
                result = result == null ? value : (and ? result && value : result || value);
            }
            return 0;
        }

        @Override
        public Object result() {
            return result;
        }
    }

    /** ANY_VALUE: the first non-NULL input. */
    private static final class AnyValue implements Accumulator {
        private final DataType type;
        private final int arg;
        private Object value;

        AnyValue(DataType type, int arg) {
            this.type = type;
            this.arg = arg;
        }

        @Override
        public long add(Object[] row) {
            if (value == null) {
                value = row[arg];
            }
            return 0;
        }

        @Override
        public Object result() {
            return ResultTypes.convert(value, type);
        }
    }

    /** DISTINCT: passes a row on only the first time its argument values (by {@link Values#keyOf}) are seen. */
    private static final class Distinct implements Accumulator {
        private final Accumulator inner;
        private final int[] args;
        private final Set<Object> seen = new HashSet<>();

        Distinct(Accumulator inner, int[] args) {
            this.inner = inner;
            this.args = args;
        }

        @Override
        public long add(Object[] row) {
            Object key = args.length == 1 ? Values.keyOf(row[args[0]]) : Values.groupKey(row, args);
            if (!seen.add(key)) {
                return 0;
            }
            long bytes = SET_ENTRY_BYTES;
            for (int arg : args) {
                bytes += RowSizes.estimate(row[arg]);
            }
            return bytes + inner.add(row);
        }

        @Override
        public Object result() {
            return inner.result();
        }
    }

    /** FILTER (WHERE c): only rows whose filter column is TRUE reach the aggregate. */
    private static final class Filtered implements Accumulator {
        private final Accumulator inner;
        private final int filterColumn;

        Filtered(Accumulator inner, int filterColumn) {
            this.inner = inner;
            this.filterColumn = filterColumn;
        }

        @Override
        public long add(Object[] row) {
            return Boolean.TRUE.equals(row[filterColumn]) ? inner.add(row) : 0;
        }

        @Override
        public Object result() {
            return inner.result();
        }
    }
}
