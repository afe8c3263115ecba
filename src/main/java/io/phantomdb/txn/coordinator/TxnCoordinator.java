package io.phantomdb.txn.coordinator;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.txn.coordinator.CrashPoints.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Two-phase commit of one transaction that wrote to several partitions (DESIGN.md "Transactions"): a
 * Cluster-Sharding entity per transaction ({@link #TYPE_KEY}, entity id = the transaction id in decimal), event
 * sourced on Phantom-DB's own journal so that its decision survives crashes.
 *
 * <pre>
 *   Commit --> prepare all (parallel, each bounded by participant-timeout; nothing journaled before: presumed abort)
 *      all prepared --persist Decided(commit, participants)--> commit all --all acknowledged--> reply COMMITTED,
 *                                                                                            persist Completed
 *      any failed   --persist Decided(abort, participants)---> abort all  --all acknowledged--> reply the error,
 *                                                                                            persist Completed
 *   Outcome (an in-doubt participant): no events: persist Decided(abort) + Completed (the fence), ABORTED;
 *      while this incarnation prepares: persist Decided(abort), drive aborts, ABORTED;  Decided/Completed: the decision.
 * </pre>
 *
 * <p>Presumed abort (decisions D27): the journal holds no record before the decision. A coordinator that crashes
 * while preparing recovers with no events, and a transaction without a decision is aborted: the first Outcome
 * question journals that abort (and Completed) before answering, so a Commit that arrives later (a delayed message,
 * a retry) finds the transaction finished as aborted and can never commit what a participant was told to drop.
 * The participants of such a transaction are settled by whoever asks (the committing session, or a restarting
 * partition). Journals written before D27 may hold a {@code Started} event: it still replays into
 * {@link Undecided}, which aborts every listed participant as before.
 *
 * <p>Only the participant list and the decision are journaled; the mutations live in the participants' PREPARE
 * records. States: {@link NotStarted} (no events) → {@link Resolving} → {@link Finished}; {@link Undecided} only
 * from a pre-D27 journal. Recovery skips the snapshot store (the entity never takes a snapshot).
 * A decision call (commit or abort) that fails is retried with backoff up to decision-retries-max times; past
 * that the client is told the resolution is unknown (commit) or the abort error, and the entity keeps its
 * decision: an Outcome question, or the entity's next recovery, drives it again. After Completed the entity
 * stops (passivates); a later question recovers it from the journal.
 *
 * <p>Recovery: an entity that recovers into Undecided lost its prepare round with its previous incarnation, so it
 * decides abort at once; one that recovers into Resolving hands its decision to every participant again (all
 * participant calls are idempotent). Both happen through {@link Resume}, which the entity sends itself.
 *
 * <p>Confinement: all fields below are touched only on the entity's thread; participant answers arrive as
 * messages ({@code pipeToSelf}). Answers from an earlier round or incarnation are recognised by identity and
 * ignored.
 */
public final class TxnCoordinator extends EventSourcedBehavior<TxnCoordinator.Command, TxnCoordinator.Event,
        TxnCoordinator.State> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "txn-coordinator");

    /** Restarts after a failed journal write: recovery then finds what was written (named limits, not config). */
    static final Duration PERSIST_RESTART_BACKOFF_MIN = Duration.ofMillis(200);
    static final Duration PERSIST_RESTART_BACKOFF_MAX = Duration.ofSeconds(10);
    static final double PERSIST_RESTART_BACKOFF_RANDOM_FACTOR = 0.2;

    // ------------------------------------------------------------------------------------------ protocol

    public sealed interface Command {}

    /**
     * Runs two-phase commit of {@code txnId}'s {@code writes} (every partition it wrote, with its mutations):
     * prepares at {@code prepareTimestamp}, commits at {@code commitTimestamp}. Replies once every participant
     * applied the commit (so the client reads its writes), or with the error that aborted it. Sent again for a
     * transaction that already has a coordinator, it waits for that transaction's outcome instead. Refused with
     * XX000, before anything is written, unless {@code 0 < prepareTimestamp < commitTimestamp} and there are writes.
     */
    public record Commit(long txnId, Map<PartitionId, List<Mutation>> writes, long prepareTimestamp,
            long commitTimestamp, ActorRef<StatusReply<Decision>> replyTo) implements Command {}

    /** The decision of this transaction, asked by an in-doubt participant; undecided transactions are aborted. */
    public record Outcome(ActorRef<Decision> replyTo) implements Command, CoordinatorSerializable {}

    /** Internal: every prepare of {@code round} answered; {@code failures} lists those that did not succeed. */
    private record PrepareFinished(PrepareRound round, List<ParticipantCalls.Failure> failures) implements Command {}

    /** Internal: a commit or abort call answered ({@code failure} null = acknowledged). */
    private record DeliveryAnswered(DecisionDelivery.Attempt attempt, ParticipantCalls.Failure failure)
            implements Command {}

    /** Internal timer: send {@code attempt} (a retry). */
    private record RetryDue(DecisionDelivery.Attempt attempt) implements Command {}

    /** Internal, sent to itself after recovery: finish what the previous incarnation left (see class comment). */
    private enum Resume implements Command { INSTANCE }

    // ------------------------------------------------------------------------------------------ events

    /** The journaled events (frozen: see {@link CoordinatorSerializable}). */
    public sealed interface Event extends CoordinatorSerializable {}

    /**
     * 2PC began with these participants (partition order). No longer written (presumed abort, decisions D27): kept
     * so that journals written before still replay.
     */
    public record Started(List<PartitionId> participants) implements Event {
        public Started {
            participants = List.copyOf(participants);
        }
    }

    /**
     * The decision: commit at {@code commitTimestamp}, or abort ({@code commitTimestamp} 0), to be handed to
     * {@code participants} (partition order). Events written before D27 have no participants (their
     * {@link Started} listed them): they read back as an empty list.
     */
    public record Decided(boolean commit, long commitTimestamp, List<PartitionId> participants) implements Event {
        public Decided {
            participants = participants == null ? List.of() : List.copyOf(participants);
        }
    }

    /** Every participant acknowledged the decision. */
    public enum Completed implements Event { INSTANCE }

    // ------------------------------------------------------------------------------------------ states

    sealed interface State {}

    enum NotStarted implements State { INSTANCE }

    record Undecided(List<PartitionId> participants) implements State {}

    record Resolving(List<PartitionId> participants, Decision decision) implements State {}

    record Finished(List<PartitionId> participants, Decision decision) implements State {}

    /** One prepare phase of one incarnation; its answers are accepted only while it is {@link #preparing}. */
    private static final class PrepareRound {
        final List<PartitionId> participants;
        final long commitTimestamp;

        PrepareRound(List<PartitionId> participants, long commitTimestamp) {
            this.participants = List.copyOf(participants);
            this.commitTimestamp = commitTimestamp;
        }
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final long txnId;
    private final TxnCoordinatorSettings settings;
    private final ParticipantCalls calls;
    private final CrashPoints crashPoints;
    /** The shard to ask for passivation; null when spawned outside sharding (then the entity stops itself). */
    private final ActorRef<ClusterSharding.ShardCommand> shard;

    /** The Commit waiting for this transaction's outcome, if any. */
    private ActorRef<StatusReply<Decision>> client;
    /** This incarnation's prepare phase while it runs. */
    private PrepareRound preparing;
    /** Why the transaction aborts, when a participant said so; null for a presumed or forced abort. */
    private PhantomSqlException abortCause;
    /** Hands the decision to the participants; null until this incarnation starts doing so. */
    private DecisionDelivery delivery;

    /** Registers the entity type with Cluster Sharding on this node, on Phantom-DB's journal. */
    public static void init(ActorSystem<?> system, Participants participants, Duration participantTimeout,
            int decisionRetriesMax, CrashPoints crashPoints) {
        init(system, participants, TxnCoordinatorSettings.of(participantTimeout, decisionRetriesMax), crashPoints);
    }

    /** As above, with every setting explicit. */
    public static void init(ActorSystem<?> system, Participants participants, TxnCoordinatorSettings settings,
            CrashPoints crashPoints) {
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> create(Long.parseLong(entity.getEntityId()),
                participants, settings, crashPoints, entity.getShard())));
    }

    /** The coordinator of {@code txnId} outside sharding (tests): it stops itself once Completed. */
    public static Behavior<Command> create(long txnId, Participants participants, TxnCoordinatorSettings settings,
            CrashPoints crashPoints) {
        return create(txnId, participants, settings, crashPoints, null);
    }

    private static Behavior<Command> create(long txnId, Participants participants, TxnCoordinatorSettings settings,
            CrashPoints crashPoints, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.withTimers(timers -> Behaviors.setup(context ->
                new TxnCoordinator(context, timers, txnId, participants, settings, crashPoints, shard)));
    }

    public static PersistenceId persistenceId(long txnId) {
        return PersistenceId.of(TYPE_KEY.name(), Long.toString(txnId));
    }

    private TxnCoordinator(ActorContext<Command> context, TimerScheduler<Command> timers, long txnId,
            Participants participants, TxnCoordinatorSettings settings, CrashPoints crashPoints,
            ActorRef<ClusterSharding.ShardCommand> shard) {
        super(persistenceId(txnId), SupervisorStrategy.restartWithBackoff(PERSIST_RESTART_BACKOFF_MIN,
                PERSIST_RESTART_BACKOFF_MAX, PERSIST_RESTART_BACKOFF_RANDOM_FACTOR));
        this.context = context;
        this.timers = timers;
        this.txnId = txnId;
        this.settings = settings;
        this.calls = new ParticipantCalls(participants, settings.participantTimeout());
        this.crashPoints = crashPoints;
        this.shard = shard;
    }

    @Override
    public String journalPluginId() {
        return settings.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return settings.snapshotPluginId();
    }

    /** The entity never saves a snapshot: recovery need not ask the snapshot store (one round trip less). */
    @Override
    public org.apache.pekko.persistence.typed.javadsl.Recovery recovery() {
        return org.apache.pekko.persistence.typed.javadsl.Recovery.withSnapshotSelectionCriteria(
                org.apache.pekko.persistence.typed.SnapshotSelectionCriteria.none());
    }

    @Override
    public State emptyState() {
        return NotStarted.INSTANCE;
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        EventHandlerBuilder<State, Event> builder = newEventHandlerBuilder();
        builder.forStateType(NotStarted.class)
                .onEvent(Started.class, (state, started) -> new Undecided(started.participants()))
                .onEvent(Decided.class, (state, decided) -> new Resolving(decided.participants(), decisionOf(decided)));
        builder.forStateType(Undecided.class)
                .onEvent(Decided.class, (state, decided) -> new Resolving(decided.participants().isEmpty()
                        ? state.participants() : decided.participants(), decisionOf(decided)));
        builder.forStateType(Resolving.class)
                .onEvent(Completed.class, (state, completed) -> new Finished(state.participants(), state.decision()));
        return builder.build();
    }

    private static Decision decisionOf(Decided decided) {
        return decided.commit() ? Decision.committedAt(decided.commitTimestamp()) : Decision.ABORTED;
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
                .build();
    }

    /**
     * Also after a restart that followed a failed journal write: this object (and its fields) outlives such a
     * restart, so the round and delivery of before it are dropped here; their late answers are then ignored.
     */
    private void onRecoveryCompleted(State state) {
        preparing = null;
        delivery = null;
        if (state instanceof Undecided || state instanceof Resolving) {
            context.getSelf().tell(Resume.INSTANCE);
        } else if (state == NotStarted.INSTANCE && client != null) { // the decision's write failed
            // Its participants may hold PREPARE records: the client settles them (it asks for the outcome, which
            // journals the abort, and aborts every partition it wrote), or a restarting partition does.
            client.tell(StatusReply.error(new PhantomSqlException(SqlState.IO_ERROR, "transaction " + txnId
                    + " was not committed: its coordinator could not write its decision to its journal")));
            client = null;
        }
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        CommandHandlerBuilder<Command, Event, State> builder = newCommandHandlerBuilder();
        builder.forStateType(NotStarted.class)
                .onCommand(Commit.class, this::onFirstCommit)
                .onCommand(Outcome.class, this::onOutcomeNotStarted)
                .onCommand(PrepareFinished.class, this::onPrepareFinished);
        builder.forStateType(Undecided.class)
                .onCommand(Commit.class, this::onRepeatedCommit)
                .onCommand(Outcome.class, this::onOutcomeUndecided)
                .onCommand(Resume.class, this::onResume);
        builder.forStateType(Resolving.class)
                .onCommand(Commit.class, this::onRepeatedCommit)
                .onCommand(Outcome.class, this::onOutcomeResolving)
                .onCommand(DeliveryAnswered.class, this::onDeliveryAnswered)
                .onCommand(RetryDue.class, this::onRetryDue)
                .onCommand(Resume.class, this::onResume);
        builder.forStateType(Finished.class)
                .onCommand(Commit.class, this::onCommitFinished)
                .onCommand(Outcome.class, this::onOutcomeFinished);
        // Internal messages of an earlier round, attempt or incarnation: nothing left to do with them.
        builder.forAnyState().onAnyCommand((state, stale) -> {
            context.getLog().debug("transaction {}: ignoring {} in state {}", txnId, stale, state);
            return Effect().none();
        });
        return builder.build();
    }

    // ------------------------------------------------------------------------------------------ prepare phase

    private Effect<Event, State> onFirstCommit(NotStarted state, Commit commit) {
        if (preparing != null) {
            return Effect().reply(commit.replyTo(), StatusReply.error(new PhantomSqlException(
                    SqlState.INVALID_TRANSACTION_STATE, "transaction " + txnId + " is already being committed")));
        }
        // Checked before anything is durable: a commit decision that no participant can apply (the partitions refuse
        // a commit timestamp at or below the prepare timestamp) would be retried, and left in doubt, forever.
        if (commit.txnId() != txnId || commit.writes().isEmpty() || commit.prepareTimestamp() < 1
                || commit.commitTimestamp() <= commit.prepareTimestamp()) {
            PhantomSqlException bug = new PhantomSqlException(SqlState.INTERNAL_ERROR, "coordinator of transaction "
                    + txnId + " refused a commit of transaction " + commit.txnId() + " with " + commit.writes().size()
                    + " participants, prepare timestamp " + commit.prepareTimestamp() + " and commit timestamp "
                    + commit.commitTimestamp() + " (needs: same transaction, participants, 0 < prepare < commit)");
            return Effect().reply(commit.replyTo(), StatusReply.error(bug));
        }
        Map<PartitionId, List<Mutation>> writes = new TreeMap<>(commit.writes()); // partition order, as journaled
        PrepareRound round = new PrepareRound(new ArrayList<>(writes.keySet()), commit.commitTimestamp());
        // Nothing is journaled before the prepares (presumed abort, class comment): a crash from here to the
        // decision leaves no event, and the transaction is aborted.
        crashPoints.reached(Step.STARTED, txnId);
        client = commit.replyTo();
        preparing = round;
        sendPrepares(round, writes, commit.prepareTimestamp());
        return Effect().none();
    }

    private void sendPrepares(PrepareRound round, Map<PartitionId, List<Mutation>> writes, long prepareTimestamp) {
        List<CompletableFuture<ParticipantCalls.Failure>> answers = new ArrayList<>(writes.size());
        writes.forEach((partition, mutations) -> answers.add(calls.prepare(partition, txnId, mutations, prepareTimestamp)));
        CompletableFuture<List<ParticipantCalls.Failure>> all = CompletableFuture
                .allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).filter(f -> f != null).toList());
        // ParticipantCalls completes normally; an unexpected failure must still never count as "all prepared".
        PartitionId first = writes.keySet().iterator().next();
        context.pipeToSelf(all, (failures, unexpected) -> new PrepareFinished(round, unexpected == null ? failures
                : List.of(new ParticipantCalls.Failure(first, ParticipantCalls.Kind.PREPARE, unexpected,
                        settings.participantTimeout()))));
    }

    private Effect<Event, State> onPrepareFinished(NotStarted state, PrepareFinished finished) {
        if (finished.round() != preparing) {
            return Effect().none(); // a restart dropped the round
        }
        preparing = null;
        PrepareRound round = finished.round();
        if (finished.failures().isEmpty()) {
            crashPoints.reached(Step.PREPARED, txnId);
            return decide(round.participants, Decision.committedAt(round.commitTimestamp));
        }
        abortCause = finished.failures().get(0).toSqlException(txnId);
        context.getLog().info("transaction {} aborts: {}", txnId, abortCause.getMessage());
        return decide(round.participants, Decision.ABORTED);
    }

    private EffectBuilder<Event, State> decide(List<PartitionId> participants, Decision decision) {
        return Effect().persist(new Decided(decision.committed(), decision.commitTimestamp(), participants))
                .thenRun((Resolving resolving) -> {
                    crashPoints.reached(Step.DECIDED, txnId);
                    deliver(resolving);
                });
    }

    // ------------------------------------------------------------------------------------------ decision phase

    /** Calls every participant that owes an acknowledgement and is not being called (again, after giving up). */
    private void deliver(Resolving state) {
        if (delivery == null) {
            delivery = new DecisionDelivery(state.participants(), settings.decisionRetriesMax());
        }
        for (DecisionDelivery.Attempt attempt : delivery.startIdle()) {
            send(state.decision(), attempt);
        }
    }

    private void send(Decision decision, DecisionDelivery.Attempt attempt) {
        CompletableFuture<ParticipantCalls.Failure> answer = decision.committed()
                ? calls.commit(attempt.partition, txnId, decision.commitTimestamp())
                : calls.abort(attempt.partition, txnId);
        ParticipantCalls.Kind kind = decision.committed() ? ParticipantCalls.Kind.COMMIT : ParticipantCalls.Kind.ABORT;
        // ParticipantCalls completes normally; an unexpected failure must still never count as an acknowledgement.
        context.pipeToSelf(answer, (failure, unexpected) -> new DeliveryAnswered(attempt, unexpected == null ? failure
                : new ParticipantCalls.Failure(attempt.partition, kind, unexpected, settings.participantTimeout())));
    }

    private Effect<Event, State> onDeliveryAnswered(Resolving state, DeliveryAnswered answered) {
        DecisionDelivery.Attempt attempt = answered.attempt();
        if (delivery == null || !delivery.isCurrent(attempt)) {
            return Effect().none();
        }
        if (answered.failure() == null) {
            boolean first = delivery.acknowledge(attempt);
            if (first && state.decision().committed()) {
                crashPoints.reached(Step.PARTIALLY_COMMITTED, txnId);
            }
            if (delivery.isComplete()) {
                // Every participant applied the decision: the client may go on now. Completed only spares a later
                // recovery from re-driving the decision (idempotent at the participants), so its fsync stays off
                // the commit's critical path.
                answerClient(state.decision());
                return stopAfter(Effect().persist(Completed.INSTANCE).thenRun((Finished finished) ->
                        crashPoints.reached(Step.COMPLETED, txnId)));
            }
            return Effect().none();
        }
        DecisionDelivery.Attempt retry = delivery.failed(attempt);
        String failure = answered.failure().toSqlException(txnId).getMessage();
        if (retry != null) {
            Duration backoff = settings.retryBackoff(attempt.number);
            context.getLog().warn("{} (attempt {}); retrying in {}", failure, attempt.number, backoff);
            timers.startSingleTimer(attempt.partition, new RetryDue(retry), backoff);
            return Effect().none();
        }
        context.getLog().warn("{} (attempt {}, phantom.txn.decision-retries-max = {}); the decision waits for an "
                + "Outcome question", failure, attempt.number, settings.decisionRetriesMax());
        if (delivery.isIdle()) {
            answerClientUnresolved(state);
        }
        return Effect().none();
    }

    private Effect<Event, State> onRetryDue(Resolving state, RetryDue due) {
        if (delivery != null && delivery.isCurrent(due.attempt())) {
            send(state.decision(), due.attempt());
        }
        return Effect().none();
    }

    // ------------------------------------------------------------------------------------------ questions

    private Effect<Event, State> onOutcomeNotStarted(NotStarted state, Outcome outcome) {
        if (preparing != null) {
            // A participant asking has lost track of the transaction (it restarted), or the client gave up waiting:
            // too late to commit safely. The answers of this round are ignored from now on.
            PrepareRound round = preparing;
            preparing = null;
            return decide(round.participants, Decision.ABORTED).thenReply(outcome.replyTo(), unused -> Decision.ABORTED);
        }
        // Presumed abort: no decision was journaled, so none can have been acted on. Journal the abort before
        // answering, so that a Commit arriving later cannot commit what the asker is about to drop.
        return stopAfter(Effect().persist(List.of(new Decided(false, 0, List.of()), Completed.INSTANCE)))
                .thenReply(outcome.replyTo(), unused -> Decision.ABORTED);
    }

    private Effect<Event, State> onOutcomeUndecided(Undecided state, Outcome outcome) {
        // Only from a journal written before D27 (a Started event): its coordinator restarted before the decision.
        return decide(state.participants(), Decision.ABORTED).thenReply(outcome.replyTo(), unused -> Decision.ABORTED);
    }

    private Effect<Event, State> onOutcomeResolving(Resolving state, Outcome outcome) {
        return Effect().none().thenRun(this::resumeDelivery).thenReply(outcome.replyTo(), unused -> state.decision());
    }

    private Effect<Event, State> onOutcomeFinished(Finished state, Outcome outcome) {
        return stopAfter(Effect().none()).thenReply(outcome.replyTo(), unused -> state.decision());
    }

    private void resumeDelivery(State state) {
        if (state instanceof Resolving resolving) {
            deliver(resolving);
        }
    }

    /** After recovery, or when asked again: finish what no one is working on (see the class comment). */
    private Effect<Event, State> resume(State state) {
        if (state instanceof Undecided undecided) {
            context.getLog().info("transaction {} aborts: its coordinator restarted before the decision", txnId);
            return decide(undecided.participants(), Decision.ABORTED);
        }
        return Effect().none().thenRun(this::resumeDelivery);
    }

    private Effect<Event, State> onResume(State state, Resume resume) {
        return resume(state);
    }

    private Effect<Event, State> onRepeatedCommit(State state, Commit commit) {
        if (client != null) {
            return Effect().reply(commit.replyTo(), StatusReply.error(new PhantomSqlException(
                    SqlState.INVALID_TRANSACTION_STATE, "transaction " + txnId + " is already being committed")));
        }
        client = commit.replyTo();
        return resume(state);
    }

    private Effect<Event, State> onCommitFinished(Finished state, Commit commit) {
        client = commit.replyTo();
        answerClient(state.decision());
        return stopAfter(Effect().none());
    }

    // ------------------------------------------------------------------------------------------ replies

    private void answerClient(Decision decision) {
        if (client != null) {
            client.tell(decision.committed() ? StatusReply.success(decision) : StatusReply.error(abortError()));
            client = null;
        }
    }

    /** Every remaining participant gave up: the decision stands, but the client cannot wait for it any longer. */
    private void answerClientUnresolved(Resolving state) {
        if (client == null) {
            return;
        }
        if (!state.decision().committed()) {
            answerClient(state.decision()); // aborted either way: the leftover PREPARE records are dropped later
            return;
        }
        client.tell(StatusReply.error(new PhantomSqlException(SqlState.TRANSACTION_RESOLUTION_UNKNOWN, "transaction " + txnId
                + " is committed, but partitions " + delivery.unacknowledged() + " did not acknowledge the commit after "
                + (settings.decisionRetriesMax() + 1) + " attempts (phantom.txn.decision-retries-max); they apply it"
                + " when they next ask for its outcome, so its writes may not be visible yet")));
        client = null;
    }

    private PhantomSqlException abortError() {
        if (abortCause != null) {
            return abortCause;
        }
        return new PhantomSqlException(SqlState.IO_ERROR, "transaction " + txnId + " was aborted: its coordinator"
                + " restarted, or a participant restarted, before every participant had prepared");
    }

    /** Ends the entity after {@code effect}: passivation through the shard, or a plain stop outside sharding. */
    private EffectBuilder<Event, State> stopAfter(EffectBuilder<Event, State> effect) {
        if (shard == null) {
            return effect.thenStop();
        }
        return effect.thenRun(() -> shard.tell(new ClusterSharding.Passivate<>(context.getSelf())));
    }
}
