package io.phantomdb.partition;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.fs.FileSystem;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * One table partition as a Cluster Sharding entity (DESIGN.md "Partitions"): it owns one storage engine in
 * its own directory {@code <data-dir>/partitions/<tableId>-<n>} and is the single writer of its data.
 *
 * <pre>
 *   Write(mutations, ts) --> [entity] --engine.writeAsync--> (durable) --> StatusReply(ts) to the writer
 *   reads ---------------------------------> PartitionRegistry --> engine (concurrent read path, no mailbox)
 * </pre>
 *
 * <p>Lifetime: the engine is opened when the entity starts and closed when it stops; the entity is not
 * passivated (an idle partition keeps its engine open), because readers use the engine directly through the
 * {@link PartitionRegistry}. Opening a corrupt or unreadable engine does not crash the node: the entity stays
 * up in a failed state and answers every write with the error (SQLSTATE XX001 or 58030).
 *
 * <p>Runs on Pekko's blocking-I/O dispatcher, since opening an engine reads files. Writes themselves do not
 * block the actor: the engine's commit thread completes a future that is piped back to the entity.
 */
public final class PartitionEntity extends AbstractBehavior<PartitionEntity.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "partition");

    /** Messages of the partition protocol. */
    public sealed interface Command {}

    /** Applies the mutations atomically at {@code timestamp} (0 = engine assigns); replies once durable. */
    public record Write(List<Mutation> mutations, long timestamp, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /** Starts the partition if needed; replies with the engine's highest commit timestamp. */
    public record Start(ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /**
     * Closes the engine, deletes the partition's directory and stops: its table was dropped. Replies once the
     * files are gone.
     */
    public record Destroy(ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /** Closes the engine and stops the entity (node shutdown); replies once the engine is closed. */
    public record Stop(ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /** Internal: a write became durable (or failed). */
    private record WriteDone(Long timestamp, Throwable failure, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /** What every partition of the node shares. */
    public record Environment(FileSystem fs, Path dataDir, EngineOptions options, PartitionRegistry registry) {}

    private final PartitionId id;
    private final Environment env;
    private final Engine engine;
    private final PhantomSqlException openFailure;

    /** Registers the entity type with Cluster Sharding on this node. */
    public static void init(ActorSystem<?> system, Environment env) {
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(PartitionId.parse(ctx.getEntityId()), env))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy())
                .withEntityProps(DispatcherSelector.blocking()));
    }

    public static Behavior<Command> create(PartitionId id, Environment env) {
        return Behaviors.setup(ctx -> new PartitionEntity(ctx, id, env));
    }

    /** Directory of a partition's engine. */
    public static Path directory(Path dataDir, PartitionId id) {
        return dataDir.resolve("partitions").resolve(id.entityId());
    }

    private PartitionEntity(ActorContext<Command> context, PartitionId id, Environment env) {
        super(context);
        this.id = id;
        this.env = env;
        Engine opened = null;
        PhantomSqlException failure = null;
        try {
            opened = Engine.open(env.fs(), directory(env.dataDir(), id), env.options());
            env.registry().register(id, opened);
        } catch (StorageException e) {
            failure = storageError("cannot open partition " + id, e);
            context.getLog().error("partition {} failed to open; it refuses reads and writes", id, e);
        }
        this.engine = opened;
        this.openFailure = failure;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(WriteDone.class, this::onWriteDone)
                .onMessage(Start.class, this::onStart)
                .onMessage(Destroy.class, this::onDestroy)
                .onMessage(Stop.class, this::onStopCommand)
                .onSignal(PostStop.class, signal -> onStop())
                .build();
    }

    private Behavior<Command> onStart(Start start) {
        if (openFailure != null) {
            start.replyTo().tell(StatusReply.error(openFailure));
        } else {
            start.replyTo().tell(StatusReply.success(engine.lastTimestamp()));
        }
        return this;
    }

    private Behavior<Command> onWrite(Write write) {
        if (openFailure != null) {
            write.replyTo().tell(StatusReply.error(openFailure));
            return this;
        }
        getContext().pipeToSelf(engine.writeAsync(toBatch(write)), (ts, failure) -> new WriteDone(ts, failure, write.replyTo()));
        return this;
    }

    private static WriteBatch toBatch(Write write) {
        WriteBatch batch = new WriteBatch();
        if (write.timestamp() != 0) {
            batch.timestamp(write.timestamp());
        }
        for (Mutation m : write.mutations()) {
            if (m instanceof Mutation.Put put) {
                batch.put(put.key(), put.value());
            } else {
                batch.delete(((Mutation.Delete) m).key());
            }
        }
        return batch;
    }

    private Behavior<Command> onWriteDone(WriteDone done) {
        if (done.failure() == null) {
            done.replyTo().tell(StatusReply.success(done.timestamp()));
        } else {
            Throwable cause = done.failure().getCause() != null ? done.failure().getCause() : done.failure();
            done.replyTo().tell(StatusReply.error(storageError("write to partition " + id + " failed", cause)));
        }
        return this;
    }

    private Behavior<Command> onStopCommand(Stop stop) {
        onStop();
        stop.replyTo().tell(StatusReply.success(0L));
        return Behaviors.stopped();
    }

    private Behavior<Command> onDestroy(Destroy destroy) {
        onStop();
        try {
            deleteRecursively(directory(env.dataDir(), id));
            destroy.replyTo().tell(StatusReply.success(0L));
        } catch (java.io.IOException e) {
            destroy.replyTo().tell(StatusReply.error(storageError("cannot delete partition " + id, e)));
        }
        return Behaviors.stopped();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private boolean stopped;

    private Behavior<Command> onStop() {
        if (stopped) {
            return this;
        }
        stopped = true;
        if (engine != null) {
            env.registry().deregister(id, engine);
            engine.close();
        }
        return this;
    }

    /** A storage failure as a user-visible error: XX001 for corruption, 58030 for other I/O errors. */
    public static PhantomSqlException storageError(String what, Throwable cause) {
        SqlState state = cause instanceof CorruptionException ? SqlState.DATA_CORRUPTED : SqlState.IO_ERROR;
        return new PhantomSqlException(state, what + ": " + cause.getMessage(), cause);
    }
}
