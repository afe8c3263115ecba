package io.phantomdb.exec;

/**
 * A compiled scalar expression: evaluates against one input row and the execution's {@link Bindings}.
 * The result follows the {@link io.phantomdb.catalog.DataType} class invariant for the expression's type;
 * {@code null} is SQL NULL (also for predicates: UNKNOWN). Expected failures (division by zero, overflow,
 * bad cast) throw {@link io.phantomdb.error.PhantomSqlException} with their SQLSTATE.
 *
 * <p>Implementations are immutable and thread-safe; all per-execution state lives in the bindings.
 */
@FunctionalInterface
public interface Scalar {
    Object eval(Object[] row, Bindings bindings);
}
