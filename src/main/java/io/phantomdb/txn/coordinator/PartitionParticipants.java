package io.phantomdb.txn.coordinator;

import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link Participants} on the table partitions: each call is one request to the partition's entity through
 * Cluster Sharding ({@link PartitionClient}), failing after the client's request timeout.
 *
 * <p>An abort writes a tombstone over the PREPARE record, and every partition write carries a timestamp of the
 * node's hybrid clock; {@link Participants#abort} has none, so each abort takes one from {@code abortTimestamps}.
 */
public final class PartitionParticipants implements Participants {
    private final PartitionClient partitions;
    private final LongSupplier abortTimestamps;

    /** {@code abortTimestamps} hands out a fresh clock timestamp per call (e.g. from the node's Timestamps). */
    public PartitionParticipants(PartitionClient partitions, LongSupplier abortTimestamps) {
        this.partitions = partitions;
        this.abortTimestamps = abortTimestamps;
    }

    @Override
    public CompletionStage<Void> prepare(PartitionId partition, long txnId, List<Mutation> mutations, long prepareTimestamp) {
        return partitions.prepare(partition, txnId, mutations, prepareTimestamp).thenAccept(ts -> {});
    }

    @Override
    public CompletionStage<Void> commit(PartitionId partition, long txnId, long commitTimestamp) {
        return partitions.commitPrepared(partition, txnId, commitTimestamp).thenAccept(ts -> {});
    }

    @Override
    public CompletionStage<Void> abort(PartitionId partition, long txnId) {
        return partitions.abortPrepared(partition, txnId, abortTimestamps.getAsLong()).thenAccept(ts -> {});
    }
}
