package io.phantomdb.txn.coordinator;

/** Where a saga stands (SHOW SAGAS, the embedded API's {@link SagaOutcome}). */
public enum SagaStatus {
    /** Steps are running forward. */
    RUNNING,
    /** A step failed; the steps before it are being undone, last first. */
    COMPENSATING,
    /** Every step committed. Final. */
    COMPLETED,
    /** A step failed and every step before it was undone (or nothing had run). Final. */
    COMPENSATED,
    /** A compensation failed: the saga stopped half-undone and needs an operator (see the error). Final. */
    FAILED,
    /** No saga has this id (the coordinator has no events for it). */
    UNKNOWN;

    /** Whether the saga can no longer change. */
    public boolean terminal() {
        return this == COMPLETED || this == COMPENSATED || this == FAILED;
    }
}
