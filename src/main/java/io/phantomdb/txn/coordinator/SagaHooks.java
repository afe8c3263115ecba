package io.phantomdb.txn.coordinator;

/**
 * Called by the {@link SagaCoordinator} at each step boundary, on the coordinator's actor, so crash tests can
 * stop it exactly there (a hook that throws stops the coordinator, as a crash would). Production uses
 * {@link #NONE}.
 */
@FunctionalInterface
public interface SagaHooks {

    /** A step boundary. */
    enum Point {
        /** Before a step's transaction starts (also before each retry). */
        STEP_STARTING,
        /** After a step's transaction ended (committed or failed), before the coordinator journals the result. */
        STEP_FINISHED,
        /** Before a compensation's transaction starts (also before each retry). */
        COMPENSATION_STARTING,
        /** After a compensation's transaction ended, before the coordinator journals the result. */
        COMPENSATION_FINISHED
    }

    /** @param step 1-based step number */
    void reached(Point point, String sagaId, int step);

    /** Does nothing. */
    SagaHooks NONE = (point, sagaId, step) -> { };
}
