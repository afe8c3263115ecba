package io.phantomdb.txn.coordinator;

/**
 * Test hook: told each time a {@link TxnCoordinator} reaches a step of two-phase commit, on the entity's own
 * thread, after the step took effect (an event is durable once its step is reached) and before anything the
 * next step does. Crash tests use it to stop the coordinator exactly there: a hook that throws fails the entity
 * at once (nothing of the next step happens; the entity recovers from its journal when next asked), and a hook
 * that terminates the ActorSystem simulates a node crash (work already handed to participants may still land).
 * Production passes {@link #NONE}.
 */
@FunctionalInterface
public interface CrashPoints {

    /** The steps, in the order a committing transaction reaches them. */
    enum Step {
        /**
         * The coordinator took the commit; nothing is journaled yet (presumed abort, decisions D27) and no prepare
         * has been sent.
         */
        STARTED,
        /** Every participant acknowledged its prepare; the commit decision is not yet durable. Commit only. */
        PREPARED,
        /** {@code Decided} (commit or abort) is durable; no commit or abort has been sent. */
        DECIDED,
        /**
         * The first participant acknowledged the commit (first in this incarnation of the entity); the others
         * may not have applied it. Commit only.
         */
        PARTIALLY_COMMITTED,
        /** {@code Completed} is durable: every participant acknowledged; the client has not been answered. */
        COMPLETED
    }

    /** No hook: what production uses. */
    CrashPoints NONE = (step, txnId) -> { };

    void reached(Step step, long txnId);
}
