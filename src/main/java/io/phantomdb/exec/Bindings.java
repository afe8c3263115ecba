package io.phantomdb.exec;

/**
 * What an expression reads besides its input row: statement parameters ({@code $1..$n}) and the current
 * values of correlation variables (the outer row of a correlated subquery). A compiled plan is reused
 * across executions (plan cache), so these are supplied per execution, never baked into the plan.
 */
public interface Bindings {
    /** Value of parameter {@code $(index+1)}, already of the parameter's declared type (or null). */
    Object parameter(int index);

    /** The current outer row bound to correlation variable {@code id} ({@code $cor<id>}). */
    Object[] correlated(int id);

    /** Binds correlation variable {@code id} to {@code row}; used by the correlate operator only. */
    void bindCorrelated(int id, Object[] row);

    Bindings EMPTY = new Bindings() {
        @Override
        public Object parameter(int index) {
            throw new IllegalStateException("no parameter $" + (index + 1) + " bound");
        }

        @Override
        public Object[] correlated(int id) {
            throw new IllegalStateException("no correlation variable $cor" + id + " bound");
        }

        @Override
        public void bindCorrelated(int id, Object[] row) {
            throw new IllegalStateException("EMPTY bindings are read-only");
        }
    };
}
