package io.phantomdb.txn.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the SagaCoordinator's protocol in each of its states - Empty (unknown saga), Running (steps in order,
 * retryable failures retried, a spent retry budget counts as a failure), Compensating (earlier steps undone in
 * reverse order, steps without a compensation skipped, a retryable compensation failure retried, a failing
 * compensation ends FAILED) and Ended (answers without running anything again) - and that recovery from the
 * journal resumes each state after the entity stops (gracefully, or by a crash hook that throws) while a step
 * is committed but its result not yet journaled, without running any step's effect twice.
 *
 * <p>Method: ActorTestKit with Pekko's in-memory journal (events go through Jackson: test-serialization on),
 * an unsharded coordinator per test (fresh saga id) and a fake {@link SagaSteps} that keeps the "markers"
 * itself: it counts each (direction, step) effect, answers ALREADY_DONE for a second run, can hold a step's
 * answer (a gate) and can be scripted to fail.
 */
class SagaCoordinatorTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final SagaSettings SETTINGS = new SagaSettings("pekko.persistence.journal.inmem",
            "pekko.persistence.no-snapshot-store", 3, Duration.ofMillis(10), Duration.ofSeconds(5), 100,
            Duration.ofSeconds(5), 100, 4);

    static ActorTestKit kit;
    static int sagas;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("saga-coordinator-test", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.actor.allow-java-serialization = off
                pekko.persistence.journal.inmem.test-serialization = on
                """).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** A {@link SagaSteps} whose effects are counters, with markers, scripted results and gates. */
    static final class FakeSteps implements SagaSteps {
        final List<String> runs = new CopyOnWriteArrayList<>();
        final Map<String, Integer> effects = new ConcurrentHashMap<>();
        final Map<String, ConcurrentLinkedDeque<StepResult>> script = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
        final List<SagaOutcome> reports = new CopyOnWriteArrayList<>();
        final Set<String> markers = Collections.synchronizedSet(new HashSet<>());

        static String key(int step, boolean compensation) {
            return (compensation ? "undo:" : "do:") + step;
        }

        /** The next runs of {@code key} answer {@code results} in order (then DONE). */
        FakeSteps script(String key, StepResult... results) {
            script.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(results));
            return this;
        }

        /** The next run of {@code key} commits but answers only once the returned gate completes. */
        CompletableFuture<Void> hold(String key) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            gates.put(key, gate);
            return gate;
        }

        @Override
        public CompletionStage<StepResult> run(String sagaId, int step, boolean compensation, String sql,
                List<SagaParam> params) {
            String key = key(step, compensation);
            runs.add(key);
            StepResult result = script.getOrDefault(key, new ConcurrentLinkedDeque<>()).pollFirst();
            if (result == null) {
                result = markers.add(key) ? StepResult.done() : StepResult.alreadyDone();
                if (result.kind() == StepResult.Kind.DONE) {
                    effects.merge(key, 1, Integer::sum);
                }
            }
            CompletableFuture<Void> gate = gates.remove(key);
            StepResult answer = result;
            return gate == null ? CompletableFuture.completedFuture(answer) : gate.thenApply(v -> answer);
        }

        @Override
        public CompletionStage<Void> report(SagaOutcome progress) {
            reports.add(progress);
            return CompletableFuture.completedFuture(null);
        }

        List<String> statuses() {
            List<String> out = new ArrayList<>();
            for (SagaOutcome o : reports) {
                out.add(o.status() + " " + o.step());
            }
            return out;
        }
    }

    static List<SagaStep> steps(String... namesAndCompensations) {
        List<SagaStep> steps = new ArrayList<>();
        for (String spec : namesAndCompensations) {
            boolean compensates = !spec.endsWith("!");
            String name = compensates ? spec : spec.substring(0, spec.length() - 1);
            steps.add(new SagaStep(name, "do " + name, compensates ? "undo " + name : null));
        }
        return steps;
    }

    static String newSagaId() {
        return "saga-" + (++sagas);
    }

    static ActorRef<SagaCoordinator.Command> spawn(String sagaId, FakeSteps fake, SagaHooks hooks) {
        return kit.spawn(SagaCoordinator.create(sagaId, fake, hooks, SETTINGS));
    }

    static TestProbe<SagaOutcome> start(ActorRef<SagaCoordinator.Command> saga, String name, List<SagaStep> steps) {
        TestProbe<SagaOutcome> probe = kit.createTestProbe();
        saga.tell(new SagaCoordinator.Start(name, steps, List.of(SagaParam.of(7L), SagaParam.of("x")), probe.getRef()));
        return probe;
    }

    static SagaOutcome await(ActorRef<SagaCoordinator.Command> saga) {
        TestProbe<SagaOutcome> probe = kit.createTestProbe();
        saga.tell(new SagaCoordinator.Await(probe.getRef()));
        return probe.receiveMessage(TIMEOUT);
    }

    // ------------------------------------------------------------------------------------------ Empty

    @Test
    void emptyCoordinatorAnswersUnknownAndRunsNothing() {
        FakeSteps fake = new FakeSteps();
        String id = newSagaId();
        SagaOutcome outcome = await(spawn(id, fake, SagaHooks.NONE));
        assertEquals(new SagaOutcome(id, null, SagaStatus.UNKNOWN, 0, null, null), outcome);
        assertEquals(List.of(), fake.runs);
        assertEquals(List.of(), fake.reports, "an unknown saga has no status row to write");
    }

    // ------------------------------------------------------------------------------------------ Running

    @Test
    void runningRunsEveryStepInOrderAndCompletes() {
        FakeSteps fake = new FakeSteps();
        CompletableFuture<Void> gate = fake.hold("do:2");
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> saga = spawn(id, fake, SagaHooks.NONE);
        TestProbe<SagaOutcome> starter = start(saga, "transfer", steps("a", "b", "c"));
        TestProbe<SagaOutcome> watcher = kit.createTestProbe();
        saga.tell(new SagaCoordinator.Await(watcher.getRef()));
        starter.expectNoMessage(Duration.ofMillis(100));
        gate.complete(null);

        SagaOutcome expected = new SagaOutcome(id, "transfer", SagaStatus.COMPLETED, 3, "c", null);
        assertEquals(expected, starter.receiveMessage(TIMEOUT));
        assertEquals(expected, watcher.receiveMessage(TIMEOUT), "every waiter gets the outcome");
        assertEquals(List.of("do:1", "do:2", "do:3"), fake.runs);
        assertEquals(List.of("RUNNING 1", "RUNNING 2", "RUNNING 3", "COMPLETED 3"), fake.statuses());
    }

    @Test
    void runningRetriesRetryableFailures() {
        FakeSteps fake = new FakeSteps().script("do:2", StepResult.retryable("40001"), StepResult.retryable("40P01"));
        ActorRef<SagaCoordinator.Command> saga = spawn(newSagaId(), fake, SagaHooks.NONE);
        SagaOutcome outcome = start(saga, "s", steps("a", "b")).receiveMessage(TIMEOUT);
        assertEquals(SagaStatus.COMPLETED, outcome.status());
        assertEquals(List.of("do:1", "do:2", "do:2", "do:2"), fake.runs);
    }

    @Test
    void runningCountsSpentRetriesAsFailure() {
        StepResult busy = StepResult.retryable("40001 serialization failure");
        FakeSteps fake = new FakeSteps().script("do:2", busy, busy, busy, busy);
        ActorRef<SagaCoordinator.Command> saga = spawn(newSagaId(), fake, SagaHooks.NONE);
        SagaOutcome outcome = start(saga, "s", steps("a", "b")).receiveMessage(TIMEOUT);
        assertEquals(SagaStatus.COMPENSATED, outcome.status());
        assertTrue(outcome.error().contains("gave up after 4 attempts"), outcome.error());
        assertEquals(List.of("do:1", "do:2", "do:2", "do:2", "do:2", "undo:1"), fake.runs, "1 run + 3 retries, then undo");
    }

    // ------------------------------------------------------------------------------------------ Compensating

    @Test
    void compensatingUndoesEarlierStepsInReverseOrderSkippingThoseWithoutCompensation() {
        FakeSteps fake = new FakeSteps().script("do:4", StepResult.failed("23502 null value in column"));
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> saga = spawn(id, fake, SagaHooks.NONE);
        SagaOutcome outcome = start(saga, "s", steps("a", "b!", "c", "d")).receiveMessage(TIMEOUT);

        assertEquals(new SagaOutcome(id, "s", SagaStatus.COMPENSATED, 4, "d",
                "step 4 (d) failed: 23502 null value in column"), outcome);
        assertEquals(List.of("do:1", "do:2", "do:3", "do:4", "undo:3", "undo:1"), fake.runs);
        assertEquals(List.of("RUNNING 1", "RUNNING 2", "RUNNING 3", "RUNNING 4", "COMPENSATING 3", "COMPENSATING 2",
                "COMPENSATING 1", "COMPENSATED 4"), fake.statuses());
    }

    @Test
    void failingFirstStepEndsCompensatedWithNothingToUndo() {
        FakeSteps fake = new FakeSteps().script("do:1", StepResult.failed("boom"));
        SagaOutcome outcome = start(spawn(newSagaId(), fake, SagaHooks.NONE), "s", steps("a", "b")).receiveMessage(TIMEOUT);
        assertEquals(SagaStatus.COMPENSATED, outcome.status());
        assertEquals(1, outcome.step());
        assertEquals(List.of("do:1"), fake.runs);
    }

    @Test
    void compensatingRetriesARetryableCompensationFailure() {
        FakeSteps fake = new FakeSteps().script("do:2", StepResult.failed("no"))
                .script("undo:1", StepResult.retryable("40P01 deadlock"));
        SagaOutcome outcome = start(spawn(newSagaId(), fake, SagaHooks.NONE), "s", steps("a", "b")).receiveMessage(TIMEOUT);
        assertEquals(SagaStatus.COMPENSATED, outcome.status());
        assertEquals(List.of("do:1", "do:2", "undo:1", "undo:1"), fake.runs);
        assertEquals(1, fake.effects.get("undo:1"));
    }

    @Test
    void compensationThatFailsEndsFailedNamingBothErrors() {
        FakeSteps fake = new FakeSteps().script("do:3", StepResult.failed("first"))
                .script("undo:2", StepResult.failed("second"));
        String id = newSagaId();
        SagaOutcome outcome = start(spawn(id, fake, SagaHooks.NONE), "s", steps("a", "b", "c")).receiveMessage(TIMEOUT);
        assertEquals(new SagaOutcome(id, "s", SagaStatus.FAILED, 2, "b",
                "step 3 (c) failed: first; compensation of step 2 (b) failed: second"), outcome);
        assertEquals(List.of("do:1", "do:2", "do:3", "undo:2"), fake.runs, "step 1 is left as it is: an operator decides");
    }

    // ------------------------------------------------------------------------------------------ Ended

    @Test
    void endedSagaAnswersAgainWithoutRunningAnything() {
        FakeSteps fake = new FakeSteps();
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> saga = spawn(id, fake, SagaHooks.NONE);
        SagaOutcome first = start(saga, "s", steps("a", "b")).receiveMessage(TIMEOUT);
        assertEquals(first, start(saga, "s", steps("a", "b")).receiveMessage(TIMEOUT), "a second Start only waits");
        assertEquals(first, await(saga));
        SagaOutcome other = start(saga, "other", steps("z")).receiveMessage(TIMEOUT);
        assertEquals("s", other.name(), "a Start under another name is answered with the saga that has this id");
        assertEquals(List.of("do:1", "do:2"), fake.runs);
    }

    // ------------------------------------------------------------------------------------------ recovery

    @Test
    void recoveryResumesRunningAndTheRerunStepIsNotAppliedTwice() {
        FakeSteps fake = new FakeSteps();
        fake.hold("do:2"); // commits, but the answer never reaches this incarnation
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> first = spawn(id, fake, SagaHooks.NONE);
        start(first, "s", steps("a", "b", "c"));
        awaitRuns(fake, 2);
        kit.stop(first, TIMEOUT);

        ActorRef<SagaCoordinator.Command> second = spawn(id, fake, SagaHooks.NONE);
        assertEquals(SagaStatus.COMPLETED, await(second).status());
        assertEquals(List.of("do:1", "do:2", "do:2", "do:3"), fake.runs);
        assertEquals(Map.of("do:1", 1, "do:2", 1, "do:3", 1), fake.effects, "each step's effect exactly once");
    }

    @Test
    void recoveryResumesCompensatingAndTheRerunCompensationIsNotAppliedTwice() {
        FakeSteps fake = new FakeSteps().script("do:3", StepResult.failed("no"));
        fake.hold("undo:2");
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> first = spawn(id, fake, SagaHooks.NONE);
        start(first, "s", steps("a", "b", "c"));
        awaitRuns(fake, 4);
        kit.stop(first, TIMEOUT);

        ActorRef<SagaCoordinator.Command> second = spawn(id, fake, SagaHooks.NONE);
        assertEquals(SagaStatus.COMPENSATED, await(second).status());
        assertEquals(List.of("do:1", "do:2", "do:3", "undo:2", "undo:2", "undo:1"), fake.runs);
        assertEquals(1, fake.effects.get("undo:2"));
        assertEquals(1, fake.effects.get("undo:1"));
    }

    @Test
    void recoveryOfAnEndedSagaRunsNothingAndReportsItsStatusAgain() {
        FakeSteps fake = new FakeSteps();
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> first = spawn(id, fake, SagaHooks.NONE);
        SagaOutcome outcome = start(first, "s", steps("a")).receiveMessage(TIMEOUT);
        kit.stop(first, TIMEOUT);
        fake.reports.clear();

        assertEquals(outcome, await(spawn(id, fake, SagaHooks.NONE)));
        assertEquals(List.of("do:1"), fake.runs);
        assertEquals(List.of(outcome), fake.reports, "a stale status row is rewritten on wake-up");
    }

    @Test
    void crashHookAfterACommittedStepStopsTheCoordinatorAndRecoveryFinishesOnce() {
        FakeSteps fake = new FakeSteps();
        AtomicBoolean crashed = new AtomicBoolean();
        SagaHooks crashOnce = (point, sagaId, step) -> {
            if (point == SagaHooks.Point.STEP_FINISHED && step == 1 && crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("simulated crash after step 1 committed");
            }
        };
        String id = newSagaId();
        ActorRef<SagaCoordinator.Command> first = spawn(id, fake, crashOnce);
        TestProbe<SagaOutcome> starter = start(first, "s", steps("a", "b"));
        starter.expectTerminated(first, TIMEOUT);

        assertEquals(SagaStatus.COMPLETED, await(spawn(id, fake, crashOnce)).status());
        assertEquals(List.of("do:1", "do:1", "do:2"), fake.runs);
        assertEquals(Map.of("do:1", 1, "do:2", 1), fake.effects);
    }

    // ------------------------------------------------------------------------------------------ serialization

    @Test
    void everyPublicMessageEventAndValueSurvivesJackson() {
        List<SagaStep> steps = steps("a", "b!");
        List<SagaParam> params = SagaParam.ofAll(java.util.Arrays.asList(1, 2L, (short) 3, "t", null, true, 1.5, 2.5f,
                new java.math.BigDecimal("10.25"), java.time.LocalDate.of(2024, 2, 29),
                java.time.LocalDateTime.of(2024, 2, 29, 12, 30), new byte[] {1, 2}));
        ActorRef<SagaOutcome> ref = kit.<SagaOutcome>createTestProbe().getRef();
        Map<Class<?>, Object> samples = new HashMap<>();
        samples.put(SagaCoordinator.Start.class, new SagaCoordinator.Start("s", steps, params, ref));
        samples.put(SagaCoordinator.Await.class, new SagaCoordinator.Await(ref));
        samples.put(SagaCoordinator.Started.class, new SagaCoordinator.Started("s", steps, params));
        samples.put(SagaCoordinator.StepDone.class, new SagaCoordinator.StepDone(1));
        samples.put(SagaCoordinator.StepFailed.class, new SagaCoordinator.StepFailed(1, "e"));
        samples.put(SagaCoordinator.Compensated.class, new SagaCoordinator.Compensated(0));
        samples.put(SagaCoordinator.Finished.class, new SagaCoordinator.Finished(SagaStatus.FAILED, "e"));
        for (Class<?> type : publicSubtypes(SagaCoordinator.Command.class, SagaCoordinator.Event.class)) {
            assertTrue(samples.containsKey(type), "no serialization sample for " + type.getSimpleName());
        }
        for (Object sample : samples.values()) {
            kit.serializationTestKit().verifySerialization(sample, false);
        }
        kit.serializationTestKit().verifySerialization(new SagaOutcome("i", "n", SagaStatus.RUNNING, 1, "a", null), true);
        Object[] values = SagaParam.values(((SagaCoordinator.Started) kit.serializationTestKit()
                .verifySerialization(samples.get(SagaCoordinator.Started.class), false)).params());
        assertEquals(List.of(Integer.class, Long.class, Short.class, String.class), List.of(values[0].getClass(),
                values[1].getClass(), values[2].getClass(), values[3].getClass()), "types survive the journal");
        assertEquals(new java.math.BigDecimal("10.25"), values[8]);
    }

    private static List<Class<?>> publicSubtypes(Class<?>... sealedTypes) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> sealed : sealedTypes) {
            for (Class<?> sub : sealed.getPermittedSubclasses()) {
                if (java.lang.reflect.Modifier.isPublic(sub.getModifiers())) {
                    out.add(sub);
                }
            }
        }
        assertTrue(out.size() >= 7, "sealed hierarchies found: " + out);
        return out;
    }

    private static void awaitRuns(FakeSteps fake, int count) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (fake.runs.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + fake.runs + " ran");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
