package io.phantomdb.txn.coordinator;

import io.phantomdb.error.PhantomSqlException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one saga (DESIGN.md "Transactions": sagas): its steps in order, each a local transaction run through
 * {@link SagaSteps}; when a step fails, the compensations of the steps before it in reverse order. A Cluster
 * Sharding entity ({@link #ENTITY_TYPE_KEY}, entity id = saga id) and an event-sourced behavior, so a saga
 * survives restarts: after recovery it goes on from its last journaled event.
 *
 * <pre>
 *   Empty --Start--> Running(next) --step committed--> Running(next+1) ... --last committed--> Ended(COMPLETED)
 *                         |  step failed (not retryable, or retries spent)
 *                         v
 *                    Compensating(next = failed-1) --undone--> ... --step 1 undone--> Ended(COMPENSATED)
 *                         |  compensation failed
 *                         +--> Ended(FAILED)
 *   events: Started, StepDone, StepFailed, Compensated, Finished(status)
 * </pre>
 *
 * <p>Exactly once: a step's result is journaled only after its transaction ended, so a crash in between runs
 * the step again after recovery; {@link SagaSteps#run} makes that second run a no-op (marker per saga id,
 * step and direction in the same transaction). Compensations likewise.
 *
 * <p>Actor-confined state beyond the journal: who waits for the outcome ({@link #waiters}, at most
 * {@code waitersMax}), whether a step runs now, the retry count, and the chain of progress reports (each
 * report starts after the previous one ended, so SHOW SAGAS never goes backwards). Any message wakes a saga
 * after a restart (its recovery resumes it); the node sends {@link Await} to every unfinished saga it finds.
 * Sharded entities passivate themselves once ended and unobserved; automatic passivation is off because a
 * saga waiting on a step gets no messages through its shard.
 */
public final class SagaCoordinator extends EventSourcedBehavior<SagaCoordinator.Command, SagaCoordinator.Event,
        SagaCoordinator.State> {

    public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "saga-coordinator");

    /** Restart delays after a journal write fails (the entity restarts and recovers from what was written). */
    static final Duration JOURNAL_FAILURE_BACKOFF_MIN = Duration.ofMillis(200);
    static final Duration JOURNAL_FAILURE_BACKOFF_MAX = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(SagaCoordinator.class);

    // ------------------------------------------------------------------------------------------ protocol

    public sealed interface Command {}

    /**
     * Starts the saga (once: a Start for a saga that exists only waits for it). Replies when it has ended, with
     * its outcome; at once with the current one if the saga id already belongs to a saga of another name.
     */
    public record Start(String name, List<SagaStep> steps, List<SagaParam> params, ActorRef<SagaOutcome> replyTo)
            implements Command, SagaSerializable {}

    /** Replies with the saga's outcome once it has ended (UNKNOWN at once if it never started). */
    public record Await(ActorRef<SagaOutcome> replyTo) implements Command, SagaSerializable {}

    /** The run of step {@code index} (0-based) ended. */
    private record StepOutcome(int index, boolean compensation, StepResult result) implements Command {}

    /** Timer: run the current step again after a retryable failure. */
    private enum Retry implements Command { INSTANCE }

    /** The final status was reported: passivate unless someone waits. */
    private enum Idle implements Command { INSTANCE }

    // ------------------------------------------------------------------------------------------ events

    public sealed interface Event extends SagaSerializable {}

    public record Started(String name, List<SagaStep> steps, List<SagaParam> params) implements Event {}

    public record StepDone(int index) implements Event {}

    /** @param error the failure, with the step's number and name */
    public record StepFailed(int index, String error) implements Event {}

    public record Compensated(int index) implements Event {}

    /** The saga ended: COMPLETED, COMPENSATED or FAILED (a compensation failed). */
    public record Finished(SagaStatus status, String error) implements Event {}

    // ------------------------------------------------------------------------------------------ states

    public sealed interface State {}

    public record Empty() implements State {}

    /** @param next index of the step to run */
    public record Running(String name, List<SagaStep> steps, List<SagaParam> params, int next) implements State {}

    /** @param failed index of the step that failed; @param next index of the step to undo (-1: none left) */
    public record Compensating(String name, List<SagaStep> steps, List<SagaParam> params, int failed, String error,
            int next) implements State {}

    /** @param step 1-based step number as in {@link SagaOutcome#step()} */
    public record Ended(String name, List<SagaStep> steps, SagaStatus status, int step, String error) implements State {}

    // ------------------------------------------------------------------------------------------ creation

    private final String sagaId;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final SagaSteps steps;
    private final SagaHooks hooks;
    private final SagaSettings settings;
    private final List<ActorRef<SagaOutcome>> waiters = new ArrayList<>();
    /** The last progress report; every later one is chained after it. Never completes exceptionally. */
    private CompletionStage<Void> reported = CompletableFuture.completedFuture(null);
    private SagaOutcome lastReported;
    private boolean inFlight;
    private int attempts;
    private boolean passivating;
    /** An Idle is on its way: one is enough (a second would reach the passivated entity's dead letters). */
    private boolean idlePending;

    /** Starts the sharded coordinators on this node; returns the shard region. */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, SagaSteps steps, SagaHooks hooks,
            SagaSettings settings) {
        return ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
                        entity -> create(entity.getEntityId(), entity.getShard(), steps, hooks, settings))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
    }

    /** An unsharded coordinator of saga {@code sagaId} (tests); it never passivates. */
    public static Behavior<Command> create(String sagaId, SagaSteps steps, SagaHooks hooks, SagaSettings settings) {
        return create(sagaId, null, steps, hooks, settings);
    }

    private static Behavior<Command> create(String sagaId, ActorRef<ClusterSharding.ShardCommand> shard, SagaSteps steps,
            SagaHooks hooks, SagaSettings settings) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new SagaCoordinator(sagaId, context, timers, shard, steps, hooks, settings)));
    }

    private SagaCoordinator(String sagaId, ActorContext<Command> context, TimerScheduler<Command> timers,
            ActorRef<ClusterSharding.ShardCommand> shard, SagaSteps steps, SagaHooks hooks, SagaSettings settings) {
        super(PersistenceId.of(ENTITY_TYPE_KEY.name(), sagaId),
                SupervisorStrategy.restartWithBackoff(JOURNAL_FAILURE_BACKOFF_MIN, JOURNAL_FAILURE_BACKOFF_MAX, 0.2));
        this.sagaId = sagaId;
        this.context = context;
        this.timers = timers;
        this.shard = shard;
        this.steps = steps;
        this.hooks = hooks;
        this.settings = settings;
    }

    @Override
    public String journalPluginId() {
        return settings.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return settings.snapshotPluginId();
    }

    @Override
    public State emptyState() {
        return new Empty();
    }

    // ------------------------------------------------------------------------------------------ handlers

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        CommandHandlerBuilder<Command, Event, State> builder = newCommandHandlerBuilder();
        builder.forStateType(Empty.class)
                .onCommand(Start.class, this::onStart)
                .onCommand(Await.class, (state, await) -> awaiting(state, await.replyTo()))
                .onCommand(Idle.class, this::onIdle)
                .onAnyCommand(command -> Effect().none()); // no step runs before Start
        builder.forStateType(Running.class)
                .onCommand(Start.class, this::onStartAgain)
                .onCommand(Await.class, (state, await) -> awaiting(state, await.replyTo()))
                .onCommand(StepOutcome.class, this::onStepOutcome)
                .onCommand(Retry.class, (state, retry) -> Effect().none().thenRun(this::act))
                .onCommand(Idle.class, this::onIdle);
        builder.forStateType(Compensating.class)
                .onCommand(Start.class, this::onStartAgain)
                .onCommand(Await.class, (state, await) -> awaiting(state, await.replyTo()))
                .onCommand(StepOutcome.class, this::onStepOutcome)
                .onCommand(Retry.class, (state, retry) -> Effect().none().thenRun(this::act))
                .onCommand(Idle.class, this::onIdle);
        builder.forStateType(Ended.class)
                .onCommand(Start.class, this::onStartAgain)
                .onCommand(Await.class, (state, await) -> awaiting(state, await.replyTo()))
                .onCommand(Idle.class, this::onIdle)
                .onAnyCommand(command -> Effect().none()); // a late retry timer
        return builder.build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        EventHandlerBuilder<State, Event> builder = newEventHandlerBuilder();
        builder.forStateType(Empty.class)
                .onEvent(Started.class, (state, e) -> new Running(e.name(), e.steps(), e.params(), 0));
        builder.forStateType(Running.class)
                .onEvent(StepDone.class, (s, e) -> new Running(s.name(), s.steps(), s.params(), e.index() + 1))
                .onEvent(StepFailed.class, (s, e) -> new Compensating(s.name(), s.steps(), s.params(), e.index(), e.error(),
                        e.index() - 1))
                .onEvent(Finished.class, (s, e) -> new Ended(s.name(), s.steps(), e.status(), s.steps().size(), e.error()));
        builder.forStateType(Compensating.class)
                .onEvent(Compensated.class, (s, e) -> new Compensating(s.name(), s.steps(), s.params(), s.failed(), s.error(),
                        e.index() - 1))
                .onEvent(Finished.class, (s, e) -> new Ended(s.name(), s.steps(), e.status(),
                        e.status() == SagaStatus.FAILED ? s.next() + 1 : s.failed() + 1, e.error()));
        return builder.build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (!(state instanceof Empty)) {
                        act(state); // resume where the journal says the saga is
                    }
                })
                .build();
    }

    private Effect<Event, State> onStart(Empty state, Start start) {
        Started started = new Started(start.name(), List.copyOf(start.steps()), List.copyOf(start.params()));
        List<Event> events = start.steps().isEmpty() ? List.of(started, new Finished(SagaStatus.COMPLETED, null))
                : List.of(started);
        return Effect().persist(events).thenRun(next -> {
            addWaiter(next, start.replyTo());
            act(next);
        });
    }

    private Effect<Event, State> onStartAgain(State state, Start start) {
        if (!start.name().equals(name(state))) {
            return Effect().reply(start.replyTo(), outcome(state)); // the caller sees the other name and refuses
        }
        return awaiting(state, start.replyTo());
    }

    private Effect<Event, State> awaiting(State state, ActorRef<SagaOutcome> replyTo) {
        return Effect().none().thenRun(now -> addWaiter(now, replyTo));
    }

    private Effect<Event, State> onIdle(State state, Idle idle) {
        idlePending = false;
        boolean settled = state instanceof Ended || state instanceof Empty;
        if (shard != null && settled && waiters.isEmpty() && !inFlight && !passivating) {
            passivating = true;
            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        }
        return Effect().none();
    }

    private Effect<Event, State> onStepOutcome(State state, StepOutcome outcome) {
        int current = state instanceof Running r ? r.next() : ((Compensating) state).next();
        if (outcome.index() != current || outcome.compensation() != (state instanceof Compensating)) {
            LOG.warn("saga {}: ignoring the outcome of step index {} (compensation {}) in state {}", sagaId,
                    outcome.index(), outcome.compensation(), state);
            return Effect().none();
        }
        inFlight = false;
        SagaStep step = steps(state).get(outcome.index());
        if (!outcome.compensation() || step.compensates()) {
            hooks.reached(outcome.compensation() ? SagaHooks.Point.COMPENSATION_FINISHED : SagaHooks.Point.STEP_FINISHED,
                    sagaId, outcome.index() + 1);
        }
        StepResult result = outcome.result();
        if (result.kind() == StepResult.Kind.RETRYABLE) {
            attempts++;
            if (attempts <= settings.stepRetriesMax()) {
                timers.startSingleTimer(Retry.INSTANCE, settings.retryBackoff().multipliedBy(attempts));
                return Effect().none();
            }
            result = StepResult.failed("gave up after " + attempts + " attempts (phantom.saga.step-retries-max): "
                    + result.error());
        }
        attempts = 0;
        List<Event> events = state instanceof Running r ? forward(r, outcome.index(), result)
                : backward((Compensating) state, outcome.index(), result);
        return Effect().persist(events).thenRun(this::act);
    }

    /** The events after step {@code index} ran forward with {@code result} (not retryable). */
    private static List<Event> forward(Running state, int index, StepResult result) {
        if (result.committed()) {
            return index + 1 == state.steps().size()
                    ? List.of(new StepDone(index), new Finished(SagaStatus.COMPLETED, null))
                    : List.of(new StepDone(index));
        }
        String error = "step " + (index + 1) + " (" + state.steps().get(index).name() + ") failed: " + result.error();
        return index == 0 ? List.of(new StepFailed(index, error), new Finished(SagaStatus.COMPENSATED, error))
                : List.of(new StepFailed(index, error));
    }

    /** The events after the compensation of step {@code index} ran with {@code result} (not retryable). */
    private static List<Event> backward(Compensating state, int index, StepResult result) {
        if (result.committed()) {
            return index == 0 ? List.of(new Compensated(index), new Finished(SagaStatus.COMPENSATED, state.error()))
                    : List.of(new Compensated(index));
        }
        return List.of(new Finished(SagaStatus.FAILED, state.error() + "; compensation of step " + (index + 1) + " ("
                + state.steps().get(index).name() + ") failed: " + result.error()));
    }

    // ------------------------------------------------------------------------------------------ side effects

    /** Does what {@code state} calls for: run its current step or compensation, or answer the waiters. */
    private void act(State state) {
        report(outcome(state));
        if (state instanceof Running r) {
            launch(r.steps(), r.params(), r.next(), false);
        } else if (state instanceof Compensating c) {
            launch(c.steps(), c.params(), c.next(), true);
        } else if (state instanceof Ended) {
            SagaOutcome done = outcome(state);
            List<ActorRef<SagaOutcome>> told = List.copyOf(waiters);
            waiters.clear();
            // Answer once SHOW SAGAS shows the final status, so a caller never reads an older one after the reply.
            reported.whenComplete((v, e) -> told.forEach(waiter -> waiter.tell(done)));
            idleAfterReports();
        }
    }

    /** Runs step {@code index} forward or backward, unless a run of it is under way. */
    private void launch(List<SagaStep> sagaSteps, List<SagaParam> params, int index, boolean compensation) {
        if (inFlight) {
            return;
        }
        inFlight = true;
        SagaStep step = sagaSteps.get(index);
        if (compensation && !step.compensates()) {
            context.getSelf().tell(new StepOutcome(index, true, StepResult.done())); // nothing to undo
            return;
        }
        hooks.reached(compensation ? SagaHooks.Point.COMPENSATION_STARTING : SagaHooks.Point.STEP_STARTING, sagaId,
                index + 1);
        CompletableFuture<StepResult> run;
        try {
            run = steps.run(sagaId, index + 1, compensation, compensation ? step.compensation() : step.sql(), params)
                    .toCompletableFuture().copy();
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        context.pipeToSelf(run.orTimeout(settings.stepTimeout().toMillis(), TimeUnit.MILLISECONDS),
                (result, error) -> new StepOutcome(index, compensation,
                        error == null ? result : StepResult.retryable(describe(error))));
    }

    /** Adds {@code replyTo} to the waiters of an unfinished saga; answers at once when it has ended. */
    private void addWaiter(State state, ActorRef<SagaOutcome> replyTo) {
        SagaOutcome now = outcome(state);
        if (now.status().terminal() || now.status() == SagaStatus.UNKNOWN) {
            reported.whenComplete((v, e) -> replyTo.tell(now));
            idleAfterReports();
        } else if (waiters.size() >= settings.waitersMax()) {
            replyTo.tell(now); // phantom.saga.waiters-max: this caller gets the current status instead of the outcome
        } else {
            waiters.add(replyTo);
        }
    }

    private void idleAfterReports() {
        if (shard != null && !idlePending) {
            idlePending = true;
            // Not the Void stage itself: a null result reaches dead letters (entity passivated meanwhile) as a
            // null message, which Pekko's dead-letter logger fails on.
            context.pipeToSelf(reported.thenApply(v -> Boolean.TRUE), (v, e) -> Idle.INSTANCE);
        }
    }

    /** Chains a report of {@code progress} after the previous one; nothing when it did not change. */
    private void report(SagaOutcome progress) {
        if (progress.status() == SagaStatus.UNKNOWN || progress.equals(lastReported)) {
            return;
        }
        lastReported = progress;
        reported = reported.thenCompose(v -> {
            CompletableFuture<Void> report;
            try {
                report = steps.report(progress).toCompletableFuture().copy();
            } catch (RuntimeException e) {
                report = CompletableFuture.failedFuture(e);
            }
            return report.orTimeout(settings.stepTimeout().toMillis(), TimeUnit.MILLISECONDS).handle((ok, error) -> {
                if (error != null) {
                    // The journal holds the truth; the next report (or the next wake-up) rewrites the status row.
                    LOG.warn("saga {}: could not record status {}: {}", sagaId, progress.status(), describe(error));
                }
                return null;
            });
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The saga's status as the caller sees it. */
    SagaOutcome outcome(State state) {
        if (state instanceof Running r) {
            int step = Math.min(r.next(), r.steps().size() - 1);
            return new SagaOutcome(sagaId, r.name(), SagaStatus.RUNNING, step + 1, r.steps().get(step).name(), null);
        } else if (state instanceof Compensating c) {
            int step = c.next() >= 0 ? c.next() : c.failed();
            return new SagaOutcome(sagaId, c.name(), SagaStatus.COMPENSATING, step + 1, c.steps().get(step).name(),
                    c.error());
        } else if (state instanceof Ended e) {
            String stepName = e.step() > 0 ? e.steps().get(e.step() - 1).name() : null;
            return new SagaOutcome(sagaId, e.name(), e.status(), e.step(), stepName, e.error());
        }
        return new SagaOutcome(sagaId, null, SagaStatus.UNKNOWN, 0, null, null);
    }

    private static String name(State state) {
        if (state instanceof Running r) {
            return r.name();
        } else if (state instanceof Compensating c) {
            return c.name();
        } else if (state instanceof Ended e) {
            return e.name();
        }
        return null;
    }

    private static List<SagaStep> steps(State state) {
        return state instanceof Running r ? r.steps() : ((Compensating) state).steps();
    }

    private String describe(Throwable error) {
        Throwable cause = PhantomSqlException.unwrap(error);
        if (cause instanceof TimeoutException) {
            return "no answer within " + settings.stepTimeout() + " (phantom.saga.step-timeout)";
        }
        return cause.toString();
    }
}
