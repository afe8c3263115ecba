package io.phantomdb.partition;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineClosedException;
import io.phantomdb.storage.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
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
    private final Executor executor;

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
     * As {@link #write(PartitionId, List, long)}, but straight into the partition's engine when it runs on this
     * node (its engine is registered in {@code local}); through the entity otherwise (another node, not started
     * yet, or failed to open: the entity answers with the error).
     *
     * <p>Why: a write has nothing to do in the entity but hand the batch to the engine's commit queue, which
     * is itself the partition's single writer (one commit thread, batches applied in queue order). Through the
     * entity, a commit crossed threads six times (shard region, shard, entity, commit thread, entity again for
     * the reply, the caller's executor); straight, twice: the caller queues the batch on the commit thread,
     * which hands the durable result to {@link #executor} - or, when the caller's thread is itself an
     * {@link Executor} (a pgwire selector thread, which runs its connections' statements), back to that thread:
     * the statement then goes on where it started, with one hand-off instead of two. Never to run on the commit
     * thread itself: a continuation
     * there (releasing row locks, starting the next statement) would delay the next group's fsync, and one
     * that queued a write while the queue is full would block the only thread that can drain it. The caller's
     * thread blocks only when the engine's write queue is full (phantom.storage.write-queue-max commits).
     *
     * <p>No ask timeout here: the write is already queued when this returns, so it either becomes durable or
     * fails with the engine (a write stall ends with its own timeout); a timeout could not take it back.
     *
     * <p>{@code timestamp} must be set (&gt; 0): the caller owns the commit timestamp, as in every commit.
     */
    public CompletionStage<Long> write(PartitionRegistry local, PartitionId id, List<Mutation> mutations, long timestamp) {
        Engine engine = local.engine(id).orElse(null);
        if (engine == null) {
            return write(id, mutations, timestamp);
        }
        return writeDirect(engine, id, mutations, timestamp, answerExecutor(executor), () -> write(id, mutations, timestamp));
    }

    /** Where a direct write's answer runs: on the calling thread when it is an event loop's {@link Executor}. */
    static Executor answerExecutor(Executor otherwise) {
        return Thread.currentThread() instanceof Executor loop ? loop : otherwise;
    }

    /**
     * The direct write: queues the batch on {@code engine}'s commit thread, which completes the answer on
     * {@code executor} once the batch is durable; a storage failure becomes 58030 / XX001 as from the entity.
     * An engine closed before the batch reached its WAL (the partition stopped, or moved to another node, since
     * it was looked up) wrote nothing of it: then the write goes {@code elsewhere} (through the entity).
     */
    static CompletableFuture<Long> writeDirect(Engine engine, PartitionId id, List<Mutation> mutations, long timestamp,
            Executor executor, Supplier<CompletionStage<Long>> elsewhere) {
        if (timestamp <= 0) {
            throw new IllegalArgumentException("a direct write needs its commit timestamp: " + timestamp);
        }
        CompletableFuture<Long> durable;
        try {
            durable = engine.writeAsync(PartitionEntity.toBatch(mutations, timestamp));
        } catch (EngineClosedException e) {
            return elsewhere.get().toCompletableFuture();
        } catch (StorageException e) { // stopped after an earlier failure
            return CompletableFuture.failedFuture(PartitionEntity.storageError("write to partition " + id + " failed", e));
        }
        CompletableFuture<Long> answered = new CompletableFuture<>();
        durable.whenComplete((ts, failure) -> { // on the commit thread (or here, if already complete)
            Throwable cause = PhantomSqlException.unwrap(failure);
            if (cause instanceof EngineClosedException) {
                executor.execute(() -> elsewhere.get().whenComplete((t, e) -> {
                    if (e == null) {
                        answered.complete(t);
                    } else {
                        answered.completeExceptionally(e);
                    }
                }));
                return;
            }
            if (cause == null) {
                executor.execute(() -> answered.complete(ts));
            } else {
                PhantomSqlException error = PartitionEntity.storageError("write to partition " + id + " failed", cause);
                executor.execute(() -> answered.completeExceptionally(error));
            }
        });
        return answered;
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
