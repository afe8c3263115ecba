package io.phantomdb.exec.operator;

import io.phantomdb.catalog.DataType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One aggregate of a {@link Operators#hashAggregate}: the function, its argument columns, DISTINCT, the result
 * type (whose {@link DataType#javaClass()} every result has) and, for a DECIMAL result of AVG, the scale to round
 * to (HALF_UP; a negative scale means 16, PostgreSQL's minimum significant digits of a numeric division).
 * {@code filterColumn} is -1, or a BOOLEAN input column: only rows where it is TRUE are aggregated (FILTER (WHERE)).
 */
public record AggregateCall(AggregateKind kind, int[] arguments, boolean distinct, DataType resultType,
        int resultScale, int filterColumn) {

    public AggregateCall {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resultType, "resultType");
        arguments = arguments.clone();
        int required = kind == AggregateKind.COUNT_STAR || kind == AggregateKind.COUNT ? 0 : 1; // COUNT() = COUNT(*)
        if (arguments.length < required || (kind != AggregateKind.COUNT && kind != AggregateKind.COUNT_STAR
                && arguments.length > 1)) {
            throw new IllegalArgumentException(kind + " takes " + required + " argument(s), got "
                    + Arrays.toString(arguments));
        }
        if (filterColumn < -1) {
            throw new IllegalArgumentException("filterColumn must be -1 or a column: " + filterColumn);
        }
    }

    /** A plain call: not DISTINCT, no FILTER, default scale. */
    public static AggregateCall of(AggregateKind kind, DataType resultType, int... arguments) {
        return new AggregateCall(kind, arguments, false, resultType, -1, -1);
    }

    @Override
    public int[] arguments() {
        return arguments.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AggregateCall that && kind == that.kind && Arrays.equals(arguments, that.arguments)
                && distinct == that.distinct && resultType == that.resultType && resultScale == that.resultScale
                && filterColumn == that.filterColumn;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(arguments), distinct, resultType, resultScale, filterColumn);
    }

    @Override
    public String toString() {
        return kind + (distinct ? "(DISTINCT " : "(") + Arrays.toString(arguments) + ") -> " + resultType
                + (filterColumn >= 0 ? " FILTER $" + filterColumn : "");
    }
}
