package io.phantomdb.txn.coordinator;

import java.util.Objects;

/**
 * One named step of a saga: a SQL statement run as one local transaction, and the statement that undoes it
 * ({@code compensation}, null when the step has nothing to undo). Both may use the saga's parameters
 * {@code $1..$n}. Immutable.
 */
public record SagaStep(String name, String sql, String compensation) implements SagaSerializable {
    public SagaStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
    }

    /** Whether undoing this step runs a statement (false: nothing to undo). */
    public boolean compensates() {
        return compensation != null;
    }
}
