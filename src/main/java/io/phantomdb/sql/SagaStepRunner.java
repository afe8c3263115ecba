package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.coordinator.SagaOutcome;
import io.phantomdb.txn.coordinator.SagaParam;
import io.phantomdb.txn.coordinator.SagaSteps;
import io.phantomdb.txn.coordinator.StepResult;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs saga steps as local transactions in sessions of this node (the {@link SagaSteps} of the
 * SagaCoordinator):
 *
 * <pre>
 *   BEGIN; INSERT marker (saga id, step, 'do' | 'undo'); the step's statements; COMMIT
 * </pre>
 *
 * The marker goes first, so a second run of a committed step stops at its primary key (23505) before
 * touching anything: ALREADY_DONE. A forward step that failed for good is fenced - its marker is written
 * with {@code fenced = true} and the error - so that an attempt still in flight (after a timeout) can never
 * commit later, and a run after a crash learns that the step failed instead of thinking it done.
 *
 * <p>Retryable: 40001, 40P01, 55P03 (a lock wait timed out) and failures that are not SQL errors
 * (timeouts, a partition restarting). Thread-safe: every run has its own session.
 */
final class SagaStepRunner implements SagaSteps {
    private static final String INSERT_MARKER = "INSERT INTO " + SagaTables.MARKERS
            + " (saga_id, step, kind, fenced, error) VALUES ($1, $2, $3, $4, $5)";
    private static final String READ_MARKER = "SELECT fenced, error FROM " + SagaTables.MARKERS
            + " WHERE saga_id = $1 AND step = $2 AND kind = $3";
    private static final String UPDATE_RUN = "UPDATE " + SagaTables.RUNS
            + " SET status = $2, step = $3, step_name = $4, error = $5 WHERE saga_id = $1";
    private static final String INSERT_RUN = "INSERT INTO " + SagaTables.RUNS
            + " (saga_id, name, status, step, step_name, error) VALUES ($1, $2, $3, $4, $5, $6)";

    private final Supplier<SessionState> sessions;

    SagaStepRunner(Supplier<SessionState> sessions) {
        this.sessions = sessions;
    }

    @Override
    public CompletionStage<StepResult> run(String sagaId, int step, boolean compensation, String sql,
            List<SagaParam> params) {
        Object[] values = SagaParam.values(params);
        String kind = compensation ? "undo" : "do";
        SessionState session = sessions.get();
        AtomicBoolean marked = new AtomicBoolean();
        CompletionStage<?> chain;
        try {
            chain = session.query("BEGIN", SagaTables.NO_PARAMETERS)
                    .thenCompose(r -> session.query(INSERT_MARKER, new Object[] {sagaId, step, kind, false, null}))
                    .thenRun(() -> marked.set(true));
            for (String statement : SagaStatement.statements(sql)) {
                chain = chain.thenCompose(r -> session.query(statement, arguments(statement, values)));
            }
            chain = chain.thenCompose(r -> session.query("COMMIT", SagaTables.NO_PARAMETERS));
        } catch (RuntimeException e) {
            chain = CompletableFuture.failedFuture(e);
        }
        return chain.handle((r, e) -> {
            session.close(); // rolls back what a failure left open; nothing after COMMIT
            if (e == null) {
                return CompletableFuture.completedFuture(StepResult.done());
            }
            PhantomSqlException error = SagaTables.sqlError(e);
            if (!marked.get() && error != null && error.state() == SqlState.UNIQUE_VIOLATION) {
                return marker(sagaId, step, kind, SagaTables.describe(e)); // an earlier run got here first
            }
            if (retryable(error)) {
                return CompletableFuture.completedFuture(StepResult.retryable(SagaTables.describe(e)));
            }
            return compensation ? CompletableFuture.completedFuture(StepResult.failed(SagaTables.describe(e)))
                    : fence(sagaId, step, SagaTables.describe(e));
        }).thenCompose(result -> result);
    }

    /** The values of the $n a statement uses: the first n of the saga's parameters. */
    private static Object[] arguments(String statement, Object[] values) {
        int count = Parameters.rewrite(statement).count();
        if (count > values.length) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                    "statement uses $" + count + " but the saga has " + values.length + " parameter(s)");
        }
        return Arrays.copyOf(values, count);
    }

    private static boolean retryable(PhantomSqlException error) {
        return error == null || error.state().retryable() || error.state() == SqlState.LOCK_NOT_AVAILABLE;
    }

    /** Makes sure a failed forward step can never commit later: FAILED once fenced, else what its marker says. */
    private CompletionStage<StepResult> fence(String sagaId, int step, String error) {
        return SagaTables.run(sessions, INSERT_MARKER, sagaId, step, "do", true, error).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(StepResult.failed(error));
            }
            PhantomSqlException fenceError = SagaTables.sqlError(e);
            if (fenceError != null && fenceError.state() == SqlState.UNIQUE_VIOLATION) {
                return marker(sagaId, step, "do", error);
            }
            return CompletableFuture.completedFuture(StepResult.retryable("the step failed (" + error
                    + ") but could not be fenced, its outcome is unknown: " + SagaTables.describe(e)));
        }).thenCompose(result -> result);
    }

    /** What the existing marker says: committed (ALREADY_DONE) or fenced (FAILED with the stored error). */
    private CompletionStage<StepResult> marker(String sagaId, int step, String kind, String context) {
        return SagaTables.run(sessions, READ_MARKER, sagaId, step, kind).handle((r, e) -> {
            if (e != null) {
                return StepResult.retryable("could not read the marker after " + context + ": " + SagaTables.describe(e));
            }
            if (r.rows().isEmpty()) {
                return StepResult.retryable("marker vanished after " + context); // only a manual delete does this
            }
            Object[] row = r.rows().get(0);
            return Boolean.TRUE.equals(row[0]) ? StepResult.failed(String.valueOf(row[1])) : StepResult.alreadyDone();
        });
    }

    @Override
    public CompletionStage<Void> report(SagaOutcome p) {
        return SagaTables.run(sessions, UPDATE_RUN, p.sagaId(), p.status().name(), p.step(), p.stepName(), p.error())
                .thenCompose(r -> r.count() > 0 || p.name() == null ? CompletableFuture.completedFuture(r)
                        : SagaTables.run(sessions, INSERT_RUN, p.sagaId(), p.name(), p.status().name(), p.step(),
                                p.stepName(), p.error()))
                .thenApply(r -> null);
    }
}
