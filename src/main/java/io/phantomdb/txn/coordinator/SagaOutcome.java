package io.phantomdb.txn.coordinator;

/**
 * A saga's status as its coordinator knows it: final when {@code status.terminal()}, else a snapshot.
 *
 * @param name the saga definition's name; null when {@code status} is UNKNOWN
 * @param step 1-based number of the step the saga is at: running (RUNNING), being undone (COMPENSATING), the
 *     step that failed (COMPENSATED), whose compensation failed (FAILED), or the last one (COMPLETED); 0 when
 *     there is none
 * @param stepName that step's name, or null
 * @param error why the saga is compensating, compensated or failed; null otherwise
 */
public record SagaOutcome(String sagaId, String name, SagaStatus status, int step, String stepName, String error)
        implements SagaSerializable {}
