package io.phantomdb.txn.coordinator;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PekkoFutures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Asks transactions' {@link TxnCoordinator}s through Cluster Sharding, wherever they live ({@link
 * TxnCoordinator#init} must have run on the node). Answers complete on the actor system's dispatcher (see
 * {@link PekkoFutures} for why). Thread-safe.
 *
 * <p>{@code askTimeout} (suggested config {@code phantom.txn.commit-timeout}, default 60 s) bounds how long a
 * caller waits. A commit can legitimately take longer when participants hang: up to participant-timeout x
 * (2 + decision-retries-max) plus the retry backoffs. A commit not answered in time fails with
 * SQLSTATE 58030 (08007 once registered) saying the outcome is unknown; the coordinator carries on regardless
 * and {@link #outcome} tells the decision.
 */
public final class TxnCoordinatorClient {
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;

    public TxnCoordinatorClient(ActorSystem<?> system, Duration askTimeout) {
        if (askTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("askTimeout must be at least 1 ms: " + askTimeout);
        }
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = askTimeout;
        this.executor = system.executionContext();
    }

    private EntityRef<TxnCoordinator.Command> coordinator(long txnId) {
        return sharding.entityRefFor(TxnCoordinator.TYPE_KEY, Long.toString(txnId));
    }

    /**
     * Two-phase commit of {@code writes} (every partition the transaction wrote, with its mutations). Completes
     * with the commit decision once every participant applied it; fails with the PhantomSqlException that
     * aborted the transaction, or one saying its resolution is unknown.
     */
    public CompletionStage<Decision> commit(long txnId, Map<PartitionId, List<Mutation>> writes, long prepareTimestamp,
            long commitTimestamp) {
        Map<PartitionId, List<Mutation>> copy = Map.copyOf(writes);
        return translated(txnId, coordinator(txnId).askWithStatus(
                replyTo -> new TxnCoordinator.Commit(txnId, copy, prepareTimestamp, commitTimestamp, replyTo), askTimeout));
    }

    /** The decision of {@code txnId}; an undecided transaction is aborted by asking, an unknown one is ABORTED. */
    public CompletionStage<Decision> outcome(long txnId) {
        return translated(txnId, coordinator(txnId).ask(TxnCoordinator.Outcome::new, askTimeout));
    }

    private CompletionStage<Decision> translated(long txnId, CompletionStage<Decision> pekko) {
        CompletableFuture<Decision> result = new CompletableFuture<>();
        PekkoFutures.of(pekko, executor).whenComplete((decision, failure) -> {
            if (failure == null) {
                result.complete(decision);
            } else {
                result.completeExceptionally(translate(txnId, failure));
            }
        });
        return result;
    }

    private Throwable translate(long txnId, Throwable failure) {
        if (failure instanceof TimeoutException) { // Pekko's AskTimeoutException
            return new PhantomSqlException(SqlState.TRANSACTION_RESOLUTION_UNKNOWN, "the coordinator of transaction " + txnId
                    + " did not answer within " + askTimeout + " (phantom.txn.commit-timeout): its outcome is unknown",
                    failure);
        }
        return failure;
    }
}
