package io.phantomdb.txn.coordinator;

import java.util.Objects;

/**
 * What running one step (or one compensation) as a local transaction came to, as {@link SagaSteps} reports it.
 *
 * @param error the failure's text (with its SQLSTATE) for RETRYABLE and FAILED; null otherwise
 */
public record StepResult(Kind kind, String error) implements SagaSerializable {

    public enum Kind {
        /** The transaction committed. */
        DONE,
        /** An earlier run of this (saga id, step) already committed; this run changed nothing. */
        ALREADY_DONE,
        /** It did not commit, and running it again may succeed (serialization failure, deadlock, timeout). */
        RETRYABLE,
        /** It did not commit and will not: a constraint, a bad statement. */
        FAILED
    }

    public StepResult {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.RETRYABLE || kind == Kind.FAILED) != (error != null)) {
            throw new IllegalArgumentException("an error text goes with RETRYABLE and FAILED only: " + kind);
        }
    }

    public static StepResult done() {
        return new StepResult(Kind.DONE, null);
    }

    public static StepResult alreadyDone() {
        return new StepResult(Kind.ALREADY_DONE, null);
    }

    public static StepResult retryable(String error) {
        return new StepResult(Kind.RETRYABLE, error);
    }

    public static StepResult failed(String error) {
        return new StepResult(Kind.FAILED, error);
    }

    /** Whether the step's effects are committed (by this run or an earlier one). */
    public boolean committed() {
        return kind == Kind.DONE || kind == Kind.ALREADY_DONE;
    }
}
