package io.phantomdb.txn.coordinator;

/**
 * The outcome of a distributed transaction, as its {@link TxnCoordinator} decided it.
 *
 * @param committed       true: every participant applies the prepared writes; false: every participant drops them
 * @param commitTimestamp the timestamp the writes become visible at when committed; 0 when aborted
 */
public record Decision(boolean committed, long commitTimestamp) implements CoordinatorSerializable {

    /** Abort (also the answer for a transaction the coordinator never heard of: presumed abort). */
    public static final Decision ABORTED = new Decision(false, 0);

    public Decision {
        if (!committed && commitTimestamp != 0) {
            throw new IllegalArgumentException("an aborted decision has no commit timestamp: " + commitTimestamp);
        }
    }

    public static Decision committedAt(long commitTimestamp) {
        return new Decision(true, commitTimestamp);
    }
}
