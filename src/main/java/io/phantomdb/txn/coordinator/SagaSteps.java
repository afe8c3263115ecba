package io.phantomdb.txn.coordinator;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * How the {@link SagaCoordinator} acts on the database without depending on the SQL layer above it
 * (implemented by {@code io.phantomdb.sql.SagaStepRunner}). Both methods are called from the coordinator
 * actor; their stages may complete on any thread.
 */
public interface SagaSteps {
    /**
     * Runs {@code sql} with {@code params} as ONE local transaction that also records the marker
     * (sagaId, step, compensation ? undo : do), so that a second run of the same step changes nothing and
     * reports {@link StepResult.Kind#ALREADY_DONE}. Never completes exceptionally for a failure of the
     * statement (that is a RETRYABLE or FAILED result); an exceptional completion counts as retryable.
     *
     * @param step 1-based step number
     */
    CompletionStage<StepResult> run(String sagaId, int step, boolean compensation, String sql, List<SagaParam> params);

    /**
     * Records {@code progress} where users see it (SHOW SAGAS). Called in order, each after the previous one
     * completed; idempotent (the same progress may be reported again after a restart).
     */
    CompletionStage<Void> report(SagaOutcome progress);
}
