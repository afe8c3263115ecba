package io.phantomdb.txn.coordinator;

import io.phantomdb.partition.PartitionId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bookkeeping of one {@link TxnCoordinator} incarnation handing its decision (commit or abort) to the
 * participants: which partitions still owe an acknowledgement, which attempt is the current one for each, and
 * whether a failed attempt may be retried ({@code retriesMax} retries after the first attempt). An answer to an
 * attempt that is no longer current (its partition acknowledged meanwhile, or an earlier incarnation sent it) is
 * recognised by identity and ignored. Not thread-safe: confined to the entity.
 */
final class DecisionDelivery {

    /** One call of commit or abort to one partition; {@code number} 1 is the first attempt. Compared by identity. */
    static final class Attempt {
        final PartitionId partition;
        final int number;

        private Attempt(PartitionId partition, int number) {
            this.partition = partition;
            this.number = number;
        }

        @Override
        public String toString() {
            return partition + "#" + number;
        }
    }

    private final int retriesMax;
    /** Partitions that have not acknowledged the decision yet, in partition order. */
    private final Set<PartitionId> unacknowledged;
    /** The current attempt of each partition being called or waiting for a retry; the others gave up. */
    private final Map<PartitionId, Attempt> current = new HashMap<>();
    private int acknowledged;

    DecisionDelivery(Collection<PartitionId> participants, int retriesMax) {
        assert !participants.isEmpty() : "a transaction has participants";
        this.retriesMax = retriesMax;
        this.unacknowledged = new TreeSet<>(participants);
    }

    /** First attempts for every partition that owes an acknowledgement and is not being called: send them all. */
    List<Attempt> startIdle() {
        List<Attempt> started = new ArrayList<>();
        for (PartitionId partition : unacknowledged) {
            if (!current.containsKey(partition)) {
                Attempt attempt = new Attempt(partition, 1);
                current.put(partition, attempt);
                started.add(attempt);
            }
        }
        return started;
    }

    boolean isCurrent(Attempt attempt) {
        return current.get(attempt.partition) == attempt;
    }

    /** The partition acknowledged; returns whether it was the first to (in this delivery). */
    boolean acknowledge(Attempt attempt) {
        assert isCurrent(attempt) : attempt;
        current.remove(attempt.partition);
        boolean removed = unacknowledged.remove(attempt.partition);
        assert removed : attempt;
        acknowledged++;
        return acknowledged == 1;
    }

    /**
     * The attempt failed. Returns the retry to send after a backoff (already current), or null when the
     * partition's retries are used up: then it is no longer called until {@link #startIdle} starts over.
     */
    Attempt failed(Attempt attempt) {
        assert isCurrent(attempt) : attempt;
        if (attempt.number > retriesMax) {
            current.remove(attempt.partition);
            return null;
        }
        Attempt retry = new Attempt(attempt.partition, attempt.number + 1);
        current.put(attempt.partition, retry);
        return retry;
    }

    /** Every participant acknowledged: the transaction is complete. */
    boolean isComplete() {
        return unacknowledged.isEmpty();
    }

    /** No call in flight or waiting for a retry (complete, or every remaining partition gave up). */
    boolean isIdle() {
        return current.isEmpty();
    }

    List<PartitionId> unacknowledged() {
        return List.copyOf(unacknowledged);
    }
}
