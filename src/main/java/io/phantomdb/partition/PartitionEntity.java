package io.phantomdb.partition;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.fs.FileSystem;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   a commit from this node --------------> PartitionClient --> engine.writeAsync (no mailbox either: the
 *                                            engine's commit queue is the single writer; Write is the path
 *                                            for other nodes and for a partition not started here yet)
 *
 *   two-phase commit (participant side, DESIGN.md "Transactions"):
 *   Prepare(txn, mutations, ts)  --> one PREPARE record (PreparedRecords) at ts: durable, invisible to reads
 *   CommitPrepared(txn, ts)      --> one batch at ts: the recorded mutations + delete of the record
 *   AbortPrepared(txn, ts)       --> one batch: delete of the record
 * </pre>
 *
 * <p>The 2PC commands of one transaction run one at a time: while one of them is being written, later ones
 * for the same transaction wait in the entity (at most {@link Environment#twoPhaseDeferredMax()} per
 * partition), because a commit or abort must read the PREPARE record, and the engine shows a write only once
 * it is durable. Every 2PC command carries a timestamp from the node's hybrid clock; none is engine-assigned.
 * The transactions holding a PREPARE record here (in doubt) are listed by {@link PartitionRegistry#inDoubt}.
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

    /** The two-phase-commit commands: each names its transaction and takes its timestamp from the clock. */
    sealed interface TwoPhase extends Command {
        long txnId();

        long timestamp();

        ActorRef<StatusReply<Long>> replyTo();
    }

    /**
     * Writes {@code mutations} durably as the PREPARE record of {@code txnId} at {@code timestamp} (&gt; 0)
     * without applying them; replies with the record's timestamp. Idempotent: a repeated prepare rewrites the
     * record (or, if the record is already at or after {@code timestamp}, leaves it). Fails with 25000 if the
     * transaction was already committed or aborted here, and with XX000 if a mutation's key lies in the
     * reserved space (first byte 0x00).
     */
    public record Prepare(long txnId, List<Mutation> mutations, long timestamp, ActorRef<StatusReply<Long>> replyTo)
            implements TwoPhase {}

    /**
     * Applies the prepared mutations of {@code txnId} at exactly {@code timestamp} and deletes the record, in
     * one atomic batch; replies with {@code timestamp}, or with 0 when there is no record (already committed:
     * nothing to do). {@code timestamp} must be above the record's timestamp (else XX000, nothing written).
     */
    public record CommitPrepared(long txnId, long timestamp, ActorRef<StatusReply<Long>> replyTo) implements TwoPhase {}

    /**
     * Deletes the PREPARE record of {@code txnId} without applying it; replies with the tombstone's
     * timestamp, or 0 when there is no record. The tombstone goes at {@code timestamp}, or just above the
     * record's timestamp if that is higher (an abort has no visibility point; its tombstone only has to
     * shadow the record).
     */
    public record AbortPrepared(long txnId, long timestamp, ActorRef<StatusReply<Long>> replyTo) implements TwoPhase {}

    /** Internal: a 2PC write became durable (or failed); {@code inDoubtAfter} says whether a record remains. */
    private record TwoPhaseDone(TwoPhase command, boolean inDoubtAfter, Long timestamp, Throwable failure)
            implements Command {}

    /** Internal: a write became durable (or failed). */
    private record WriteDone(Long timestamp, Throwable failure, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /**
     * What every partition of the node shares. {@code twoPhaseDeferredMax} bounds the 2PC commands a partition
     * holds back while an earlier command of the same transaction is being written (retries, in practice).
     */
    public record Environment(FileSystem fs, Path dataDir, EngineOptions options, PartitionRegistry registry,
            int twoPhaseDeferredMax) {
        /** Default for {@code twoPhaseDeferredMax}: far above the few retries one transaction sends. */
        public static final int TWO_PHASE_DEFERRED_MAX_DEFAULT = 1_000;

        public Environment {
            if (twoPhaseDeferredMax < 1) {
                throw new IllegalArgumentException("twoPhaseDeferredMax must be positive: " + twoPhaseDeferredMax);
            }
        }

        public Environment(FileSystem fs, Path dataDir, EngineOptions options, PartitionRegistry registry) {
            this(fs, dataDir, options, registry, TWO_PHASE_DEFERRED_MAX_DEFAULT);
        }
    }

    private final PartitionId id;
    private final Environment env;
    private final Engine engine;
    private final PhantomSqlException openFailure;
    /** Transactions with a 2PC write in flight, each with the commands of it that wait for that write. */
    private final Map<Long, ArrayDeque<TwoPhase>> twoPhaseWriting = new HashMap<>();
    /** Commands waiting in {@link #twoPhaseWriting}, over all transactions. */
    private int twoPhaseDeferred;

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
            Set<Long> inDoubt = preparedTransactions(opened);
            env.registry().register(id, opened);
            env.registry().restoreInDoubt(id, inDoubt);
        } catch (StorageException e) {
            if (opened != null) {
                opened.close();
                opened = null;
            }
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
                .onMessage(TwoPhase.class, this::onTwoPhase)
                .onMessage(TwoPhaseDone.class, this::onTwoPhaseDone)
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
        getContext().pipeToSelf(engine.writeAsync(toBatch(write.mutations(), write.timestamp())),
                (ts, failure) -> new WriteDone(ts, failure, write.replyTo()));
        return this;
    }

    /** The engine batch of a {@link Write}: {@code timestamp} 0 lets the engine assign one. */
    static WriteBatch toBatch(List<Mutation> mutations, long timestamp) {
        WriteBatch batch = new WriteBatch();
        if (timestamp != 0) {
            batch.timestamp(timestamp);
        }
        for (Mutation m : mutations) {
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

    /** The transactions with a PREPARE record in {@code engine}: those in doubt since before a restart. */
    private static Set<Long> preparedTransactions(Engine engine) {
        Set<Long> found = new HashSet<>();
        try (KvIterator it = engine.scan(PreparedRecords.rangeLow(), PreparedRecords.rangeHigh(), Long.MAX_VALUE, false)) {
            while (it.next()) {
                found.add(PreparedRecords.txnId(it.key()));
            }
        }
        return found;
    }

    private Behavior<Command> onTwoPhase(TwoPhase command) {
        if (openFailure != null) {
            command.replyTo().tell(StatusReply.error(openFailure));
            return this;
        }
        ArrayDeque<TwoPhase> waiting = twoPhaseWriting.get(command.txnId());
        if (waiting == null) {
            runTwoPhase(command);
        } else if (twoPhaseDeferred >= env.twoPhaseDeferredMax()) {
            command.replyTo().tell(StatusReply.error(new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                    "partition " + id + " already holds back " + twoPhaseDeferred + " two-phase commands")));
        } else {
            waiting.add(command);
            twoPhaseDeferred++;
        }
        return this;
    }

    /** Plans the command against the engine's current state, then replies at once or writes its batch. */
    private void runTwoPhase(TwoPhase command) {
        assert !twoPhaseWriting.containsKey(command.txnId()) : "one 2PC write per transaction at a time";
        TwoPhaseStep step;
        try {
            step = TwoPhaseStep.plan(engine, command);
        } catch (RuntimeException e) {
            command.replyTo().tell(StatusReply.error(twoPhaseError(command, e)));
            return;
        }
        if (step.batch() == null) {
            command.replyTo().tell(StatusReply.success(step.replyNow()));
            return;
        }
        java.util.concurrent.CompletableFuture<Long> written;
        try {
            written = engine.writeAsync(step.batch());
        } catch (RuntimeException e) {
            command.replyTo().tell(StatusReply.error(twoPhaseError(command, e)));
            return;
        }
        twoPhaseWriting.put(command.txnId(), new ArrayDeque<>());
        getContext().pipeToSelf(written, (ts, failure) -> new TwoPhaseDone(command, step.inDoubtAfter(), ts, failure));
    }

    private Behavior<Command> onTwoPhaseDone(TwoPhaseDone done) {
        TwoPhase command = done.command();
        if (done.failure() == null) {
            if (done.inDoubtAfter()) {
                env.registry().prepared(id, command.txnId());
            } else {
                env.registry().resolved(id, command.txnId());
            }
            command.replyTo().tell(StatusReply.success(done.timestamp()));
        } else {
            Throwable cause = done.failure().getCause() != null ? done.failure().getCause() : done.failure();
            command.replyTo().tell(StatusReply.error(storageError("two-phase write to partition " + id + " failed", cause)));
        }
        ArrayDeque<TwoPhase> waiting = twoPhaseWriting.remove(command.txnId());
        twoPhaseDeferred -= waiting.size();
        // Replay in arrival order; as soon as one starts a write, the rest wait for that one.
        for (TwoPhase next = waiting.poll(); next != null; next = waiting.poll()) {
            ArrayDeque<TwoPhase> writing = twoPhaseWriting.get(next.txnId());
            if (writing == null) {
                runTwoPhase(next);
            } else {
                writing.add(next);
                twoPhaseDeferred++;
            }
        }
        return this;
    }

    private PhantomSqlException twoPhaseError(TwoPhase command, RuntimeException e) {
        if (e instanceof PhantomSqlException sql) {
            return sql;
        }
        String what = command.getClass().getSimpleName() + " of transaction " + command.txnId() + " at partition " + id;
        if (e instanceof StorageException) {
            return storageError(what + " failed", e);
        }
        return new PhantomSqlException(SqlState.INTERNAL_ERROR, what + ": " + e.getMessage(), e);
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
