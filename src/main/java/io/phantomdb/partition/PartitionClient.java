package io.phantomdb.partition;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Sends the partition protocol through Cluster Sharding, wherever the partition lives. The ask timeout is
 * the configured partition-request timeout: a partition that does not answer in time fails the statement
 * instead of hanging it.
 */
public final class PartitionClient {
    private final ClusterSharding sharding;
    private final Duration timeout;
    private final java.util.concurrent.Executor executor;

    public PartitionClient(ActorSystem<?> system, Duration timeout) {
        this.sharding = ClusterSharding.get(system);
        this.timeout = timeout;
        this.executor = system.executionContext();
    }

    private EntityRef<PartitionEntity.Command> ref(PartitionId id) {
        return sharding.entityRefFor(PartitionEntity.TYPE_KEY, id.entityId());
    }

    /** Applies the mutations atomically in one partition; completes with the commit timestamp once durable. */
    public CompletionStage<Long> write(PartitionId id, List<Mutation> mutations, long timestamp) {
        return PekkoFutures.of(ref(id).askWithStatus(replyTo -> new PartitionEntity.Write(mutations, timestamp, replyTo), timeout), executor);
    }

    /**
     * Two-phase commit, phase one: makes {@code mutations} durable as {@code txnId}'s PREPARE record at
     * {@code timestamp} without applying them ({@link PartitionEntity.Prepare}).
     */
    public CompletionStage<Long> prepare(PartitionId id, long txnId, List<Mutation> mutations, long timestamp) {
        return PekkoFutures.of(ref(id).askWithStatus(
                replyTo -> new PartitionEntity.Prepare(txnId, mutations, timestamp, replyTo), timeout), executor);
    }

    /** Phase two, commit: applies {@code txnId}'s prepared mutations at {@code timestamp} ({@link PartitionEntity.CommitPrepared}). */
    public CompletionStage<Long> commitPrepared(PartitionId id, long txnId, long timestamp) {
        return PekkoFutures.of(ref(id).askWithStatus(
                replyTo -> new PartitionEntity.CommitPrepared(txnId, timestamp, replyTo), timeout), executor);
    }

    /** Phase two, abort: drops {@code txnId}'s PREPARE record ({@link PartitionEntity.AbortPrepared}). */
    public CompletionStage<Long> abortPrepared(PartitionId id, long txnId, long timestamp) {
        return PekkoFutures.of(ref(id).askWithStatus(
                replyTo -> new PartitionEntity.AbortPrepared(txnId, timestamp, replyTo), timeout), executor);
    }

    /** Closes the partition's engine and stops its entity. */
    public CompletionStage<Long> stop(PartitionId id) {
        return PekkoFutures.of(ref(id).askWithStatus(PartitionEntity.Stop::new, timeout), executor);
    }

    /** Deletes a dropped table's partition: engine closed, files removed, entity stopped. */
    public CompletionStage<Long> destroy(PartitionId id) {
        return PekkoFutures.of(ref(id).askWithStatus(PartitionEntity.Destroy::new, timeout), executor);
    }

    /** Starts the partition (opening its engine); completes with its highest commit timestamp. */
    public CompletionStage<Long> start(PartitionId id) {
        return PekkoFutures.of(ref(id).askWithStatus(PartitionEntity.Start::new, timeout), executor);
    }
}
