package io.phantomdb.txn.coordinator;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The {@link TxnCoordinator}'s calls to {@link Participants}, each bounded by the participant timeout. Every call
 * completes normally, with null when the participant acknowledged and with a {@link Failure} otherwise (an error,
 * a timeout, or an exception thrown by the call itself), so that the entity gets exactly one answer per call and
 * never has to tell a broken participant from a slow one. Thread-safe: holds no mutable state.
 */
final class ParticipantCalls {

    /** What a participant call does, for messages. */
    enum Kind { PREPARE, COMMIT, ABORT }

    /** A call that did not succeed: which partition, which call, and why. */
    record Failure(PartitionId partition, Kind kind, Throwable cause, Duration timeout) {

        /**
         * The error to give the client: the participant's own if it is a PhantomSqlException (a conflict, a
         * storage error, with its SQLSTATE), otherwise 58030 naming the partition and the call.
         */
        PhantomSqlException toSqlException(long txnId) {
            if (cause instanceof PhantomSqlException sql) {
                return sql;
            }
            String call = kind.name().toLowerCase(java.util.Locale.ROOT);
            if (cause instanceof TimeoutException) {
                return new PhantomSqlException(SqlState.IO_ERROR, "partition " + partition + " did not answer the " + call
                        + " of transaction " + txnId + " within " + timeout + " (phantom.txn.participant-timeout)", cause);
            }
            return new PhantomSqlException(SqlState.IO_ERROR, "the " + call + " of transaction " + txnId
                    + " failed at partition " + partition + ": " + cause, cause);
        }
    }

    private final Participants participants;
    private final Duration timeout;

    ParticipantCalls(Participants participants, Duration timeout) {
        this.participants = participants;
        this.timeout = timeout;
    }

    CompletableFuture<Failure> prepare(PartitionId partition, long txnId, List<Mutation> mutations, long prepareTimestamp) {
        return bounded(partition, Kind.PREPARE, () -> participants.prepare(partition, txnId, mutations, prepareTimestamp));
    }

    CompletableFuture<Failure> commit(PartitionId partition, long txnId, long commitTimestamp) {
        return bounded(partition, Kind.COMMIT, () -> participants.commit(partition, txnId, commitTimestamp));
    }

    CompletableFuture<Failure> abort(PartitionId partition, long txnId) {
        return bounded(partition, Kind.ABORT, () -> participants.abort(partition, txnId));
    }

    private CompletableFuture<Failure> bounded(PartitionId partition, Kind kind, Supplier<CompletionStage<Void>> call) {
        // A fresh future, so the timeout never completes (and thereby alters) the participant's own future.
        CompletableFuture<Void> answer = new CompletableFuture<>();
        try {
            call.get().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(null);
                }
            });
        } catch (RuntimeException e) { // a participant that throws instead of failing its future
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> failure == null ? null : new Failure(partition, kind, PhantomSqlException.unwrap(failure), timeout));
    }

}
