package io.phantomdb.txn.coordinator;

import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The participant side of two-phase commit as the {@link TxnCoordinator} sees it: one partition each. Every
 * call is idempotent (a retried prepare, commit or abort of the same transaction has the same effect as one).
 */
public interface Participants {
    /**
     * Makes {@code mutations} durable at {@code partition} as a PREPARE record of {@code txnId}, written at
     * {@code prepareTimestamp}, without applying them: not visible to reads, kept across restarts until the
     * decision. Completes once durable; fails if the partition cannot prepare (then the decision is abort).
     */
    CompletionStage<Void> prepare(PartitionId partition, long txnId, List<Mutation> mutations, long prepareTimestamp);

    /**
     * Applies the prepared mutations of {@code txnId} at {@code commitTimestamp} and removes the record, in one
     * atomic write. Completes at once if there is no record (already committed).
     */
    CompletionStage<Void> commit(PartitionId partition, long txnId, long commitTimestamp);

    /** Removes the PREPARE record of {@code txnId} without applying it (no record: nothing to do). */
    CompletionStage<Void> abort(PartitionId partition, long txnId);

    /** Settles {@code partition}'s PREPARE record of {@code txnId} as {@code decision} says. */
    default CompletionStage<Void> apply(PartitionId partition, long txnId, Decision decision) {
        return decision.committed() ? commit(partition, txnId, decision.commitTimestamp()) : abort(partition, txnId);
    }
}
