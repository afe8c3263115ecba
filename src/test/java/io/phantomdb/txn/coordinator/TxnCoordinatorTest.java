package io.phantomdb.txn.coordinator;

import static io.phantomdb.txn.coordinator.FakeParticipants.Kind.ABORT;
import static io.phantomdb.txn.coordinator.FakeParticipants.Kind.COMMIT;
import static io.phantomdb.txn.coordinator.FakeParticipants.Kind.PREPARE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.txn.coordinator.CrashPoints.Step;
import io.phantomdb.txn.coordinator.FakeParticipants.Call;
import io.phantomdb.txn.coordinator.FakeParticipants.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the coordinator's two-phase commit does what clients and in-doubt participants rely on - a commit is
 * answered only once every participant applied it; any failed or silent prepare aborts every participant with
 * the participant's error; a failed commit call is retried, and past the retry limit the decision is kept and
 * finished by a later Outcome question; a coordinator restarted at each state (nothing journaled before the
 * decision, Decided not Completed, Completed, and a pre-D27 journal holding only Started) answers Outcome from its
 * journal and finishes the decision; an unknown transaction is presumed aborted, and that answer is journaled so
 * that a late Commit of it can never commit; the crash-point hook sees every step in order; its journal events serialize with Jackson
 * CBOR; the sharded entity and its client work on a one-node cluster.
 *
 * <p>Method: {@link FakeParticipants} records every prepare/commit/abort and answers as scripted (fail, hang,
 * hold until the test releases it). Most tests spawn the entity directly on one shared kit with Pekko's
 * in-memory journal (test-serialization on, so events still go through Jackson); a restart is a crash hook that
 * throws at the chosen step (the entity fails there, exactly as a crash would leave its journal), then a fresh
 * entity for the same transaction. One test restarts a whole ActorSystem on Phantom-DB's own journal in a temp
 * directory; the sharding test starts a cluster-provider system on 127.0.0.1, port 0. Negative waits ("no reply
 * yet", "no call") last {@link #QUIET}; positive waits are bounded by {@link #WITHIN}. One kit for the class,
 * created in BeforeAll/AfterAll: TestKitJUnit5Extension with an instance field builds a kit per test method but
 * shuts down only the last one (Pekko 1.7.0).
 */
class TxnCoordinatorTest {
    /** Bound of every wait for something that must happen; generous for a loaded 2-core build machine. */
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** How long "nothing happens" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final int RETRIES_MAX = 2;
    private static final TxnCoordinatorSettings IN_MEMORY = TxnCoordinatorSettings.of(Duration.ofSeconds(10), RETRIES_MAX)
            .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
            .withPlugins("pekko.persistence.journal.inmem", "pekko.persistence.no-snapshot-store");
    private static final PartitionId A = new PartitionId(1, 0);
    private static final PartitionId B = new PartitionId(2, 3);
    private static final long PREPARE_TS = 100;
    private static final long COMMIT_TS = 120;
    private static final AtomicLong NEXT_TXN = new AtomicLong(1_000);

    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("txn-coordinator", ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.actor.allow-java-serialization = off
                pekko.loglevel = ERROR
                pekko.persistence.journal.inmem.test-serialization = on
                """));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** The simulated crash a {@link #crashAt} hook throws. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Step step) {
            super("simulated coordinator crash at " + step);
        }
    }

    private static CrashPoints crashAt(Step crashStep) {
        return (step, txnId) -> {
            if (step == crashStep) {
                throw new SimulatedCrash(step);
            }
        };
    }

    /** One write set for all tests: the prepares must hand each partition exactly its own list. */
    private static final Map<PartitionId, List<Mutation>> WRITES = Map.of(
            A, List.of(new Mutation.Put(bytes("a"), bytes("1"))),
            B, List.of(new Mutation.Delete(bytes("b")), new Mutation.Put(bytes("c"), bytes("2"))));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ActorRef<TxnCoordinator.Command> spawn(long txn, FakeParticipants participants, TxnCoordinatorSettings settings,
            CrashPoints crashPoints) {
        return kit.spawn(TxnCoordinator.create(txn, participants, settings, crashPoints));
    }

    private static TestProbe<StatusReply<Decision>> commit(ActorTestKit on, ActorRef<TxnCoordinator.Command> coordinator,
            long txn, Map<PartitionId, List<Mutation>> writes) {
        TestProbe<StatusReply<Decision>> client = on.createTestProbe();
        coordinator.tell(new TxnCoordinator.Commit(txn, writes, PREPARE_TS, COMMIT_TS, client.ref()));
        return client;
    }

    private static Decision outcome(ActorTestKit on, ActorRef<TxnCoordinator.Command> coordinator) {
        TestProbe<Decision> participant = on.createTestProbe();
        coordinator.tell(new TxnCoordinator.Outcome(participant.ref()));
        return participant.receiveMessage(WITHIN);
    }

    private static void expectStopped(ActorTestKit on, ActorRef<TxnCoordinator.Command> coordinator) {
        on.createTestProbe().expectTerminated(coordinator, WITHIN);
    }

    /** The next call is {@code kind} at {@code partition} for {@code txn}, with the timestamp that kind carries. */
    private static Call expectCall(FakeParticipants participants, Kind kind, PartitionId partition, long txn) {
        Call call = participants.nextCall(WITHIN);
        long timestamp = kind == PREPARE ? PREPARE_TS : kind == COMMIT ? COMMIT_TS : 0;
        assertEquals(List.of(kind, partition, txn, timestamp),
                List.of(call.kind(), call.partition(), call.txnId(), call.timestamp()), "call " + call);
        return call;
    }

    private static void expectPrepares(FakeParticipants participants, long txn, Map<PartitionId, List<Mutation>> writes) {
        assertSame(writes.get(A), expectCall(participants, PREPARE, A, txn).mutations(), "A prepares A's mutations");
        assertSame(writes.get(B), expectCall(participants, PREPARE, B, txn).mutations(), "B prepares B's mutations");
    }

    private static PhantomSqlException expectError(TestProbe<StatusReply<Decision>> client) {
        StatusReply<Decision> reply = client.receiveMessage(WITHIN);
        assertTrue(reply.isError(), "error expected, got " + reply);
        return assertInstanceOf(PhantomSqlException.class, reply.getError());
    }

    // ------------------------------------------------------------------------------------ happy path

    @Test
    void commitsEveryParticipantAndRepliesOnlyAfterAllAcknowledged() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        participants.script(COMMIT, A, participants.hold()).script(COMMIT, B, participants.hold());
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, COMMIT, A, txn);
        expectCall(participants, COMMIT, B, txn);
        CompletableFuture<Void> commitA = participants.nextHeld(WITHIN);
        CompletableFuture<Void> commitB = participants.nextHeld(WITHIN);
        client.expectNoMessage(QUIET);
        commitA.complete(null);
        client.expectNoMessage(QUIET); // one partition applied it: the client could still miss B's writes
        commitB.complete(null);

        assertEquals(StatusReply.success(Decision.committedAt(COMMIT_TS)), client.receiveMessage(WITHIN));
        expectStopped(kit, coordinator);
        participants.expectNoCall(QUIET);
    }

    // ------------------------------------------------------------------------------------ aborts

    @Test
    void prepareFailureAbortsEveryParticipantWithTheParticipantsError() {
        long txn = NEXT_TXN.incrementAndGet();
        PhantomSqlException conflict = new PhantomSqlException(SqlState.SERIALIZATION_FAILURE, "write conflict at B");
        FakeParticipants participants = new FakeParticipants().script(PREPARE, B, FakeParticipants.failWith(conflict));
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, ABORT, A, txn);
        expectCall(participants, ABORT, B, txn);
        assertSame(conflict, expectError(client), "the participant's own error, SQLSTATE 40001 and all");
        expectStopped(kit, coordinator);
        participants.expectNoCall(QUIET); // in particular no commit
    }

    @Test
    void preparefailureThatIsNoSqlErrorAbortsWith58030NamingThePartition() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants()
                .script(PREPARE, A, FakeParticipants.failWith(new IllegalStateException("disk gone")));
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, ABORT, A, txn);
        expectCall(participants, ABORT, B, txn);
        PhantomSqlException error = expectError(client);
        assertEquals(SqlState.IO_ERROR, error.state());
        assertTrue(error.getMessage().contains("partition 1-0") && error.getMessage().contains("disk gone"), error.getMessage());
    }

    @Test
    void prepareThatDoesNotAnswerWithinTheTimeoutAborts() {
        long txn = NEXT_TXN.incrementAndGet();
        TxnCoordinatorSettings shortTimeout = new TxnCoordinatorSettings(Duration.ofMillis(300), RETRIES_MAX,
                IN_MEMORY.retryBackoffMin(), IN_MEMORY.retryBackoffMax(), IN_MEMORY.journalPluginId(),
                IN_MEMORY.snapshotPluginId());
        FakeParticipants participants = new FakeParticipants().script(PREPARE, B, FakeParticipants.hang());
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, shortTimeout, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, ABORT, A, txn);
        expectCall(participants, ABORT, B, txn);
        PhantomSqlException error = expectError(client);
        assertEquals(SqlState.IO_ERROR, error.state());
        assertTrue(error.getMessage().contains("2-3 did not answer the prepare"), error.getMessage());
        expectStopped(kit, coordinator);
    }

    // ------------------------------------------------------------------------------------ commit retries

    @Test
    void failedCommitCallIsRetriedAndTheTransactionStillCommits() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants()
                .script(COMMIT, B, FakeParticipants.failWith(new IllegalStateException("partition moving")));
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, COMMIT, A, txn);
        expectCall(participants, COMMIT, B, txn);
        expectCall(participants, COMMIT, B, txn); // the retry
        assertEquals(StatusReply.success(Decision.committedAt(COMMIT_TS)), client.receiveMessage(WITHIN));
        expectStopped(kit, coordinator);
        participants.expectNoCall(QUIET);
    }

    @Test
    void commitFailingPastTheRetryLimitKeepsTheDecisionForALaterOutcome() {
        long txn = NEXT_TXN.incrementAndGet();
        IllegalStateException down = new IllegalStateException("partition down");
        FakeParticipants participants = new FakeParticipants().script(COMMIT, B,
                FakeParticipants.failWith(down), FakeParticipants.failWith(down), FakeParticipants.failWith(down));
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);

        expectPrepares(participants, txn, WRITES);
        expectCall(participants, COMMIT, A, txn);
        for (int attempt = 1; attempt <= RETRIES_MAX + 1; attempt++) {
            expectCall(participants, COMMIT, B, txn);
        }
        PhantomSqlException unresolved = expectError(client);
        assertEquals(SqlState.TRANSACTION_RESOLUTION_UNKNOWN, unresolved.state());
        assertTrue(unresolved.getMessage().contains("is committed, but partitions [2-3]"), unresolved.getMessage());
        participants.expectNoCall(QUIET); // gave up: no further attempts on its own

        assertEquals(Decision.committedAt(COMMIT_TS), outcome(kit, coordinator));
        expectCall(participants, COMMIT, B, txn); // only B: A acknowledged already
        expectStopped(kit, coordinator);
        participants.expectNoCall(QUIET);
    }

    // ------------------------------------------------------------------------------------ recovery

    @Test
    void restartedBeforeAnyPrepareOutcomeIsPresumedAbort() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> crashed = spawn(txn, participants, IN_MEMORY, crashAt(Step.STARTED));
        TestProbe<StatusReply<Decision>> client = commit(kit, crashed, txn, WRITES);
        expectStopped(kit, crashed);
        participants.expectNoCall(QUIET); // it crashed before sending any prepare

        ActorRef<TxnCoordinator.Command> recovered = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        assertEquals(Decision.ABORTED, outcome(kit, recovered));
        expectStopped(kit, recovered);
        participants.expectNoCall(QUIET); // nothing journaled, so nothing to drive: whoever asks settles its record
        client.expectNoMessage(QUIET); // its asker went with the crashed incarnation
    }

    @Test
    void restartedAfterEveryPrepareButBeforeTheDecisionAbortsAndALateCommitCannotCommit() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> crashed = spawn(txn, participants, IN_MEMORY, crashAt(Step.PREPARED));
        commit(kit, crashed, txn, WRITES);
        expectPrepares(participants, txn, WRITES);
        expectStopped(kit, crashed); // both partitions hold a PREPARE record; the journal holds nothing

        ActorRef<TxnCoordinator.Command> recovered = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        assertEquals(Decision.ABORTED, outcome(kit, recovered)); // e.g. a restarting partition asks
        expectStopped(kit, recovered);

        // The same Commit again (a retry, a delayed message): the abort answered above is journaled, so it is refused.
        ActorRef<TxnCoordinator.Command> again = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> late = commit(kit, again, txn, WRITES);
        expectError(late);
        participants.expectNoCall(QUIET); // no prepare, and above all no commit
        assertEquals(Decision.ABORTED, outcome(kit, spawn(txn, participants, IN_MEMORY, CrashPoints.NONE)));
    }

    /** A journal written before D27: Started (the participants) persisted before the prepares, then a crash. */
    @Test
    void aJournalFromBeforePresumedAbortWithStartedOnlyStillAbortsEveryParticipant() {
        long txn = NEXT_TXN.incrementAndGet();
        TestProbe<Done> written = kit.createTestProbe();
        ActorRef<Object> writer = kit.spawn(new StartedWriter(txn, List.of(A, B)));
        writer.tell(written.ref());
        written.receiveMessage(WITHIN);
        kit.stop(writer);

        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> recovered = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        // It recovers into Undecided and aborts on its own (Resume), before or because of the question.
        assertEquals(Decision.ABORTED, outcome(kit, recovered));
        expectCall(participants, ABORT, A, txn);
        expectCall(participants, ABORT, B, txn);
        expectStopped(kit, recovered);
    }

    /** Persists {@code Started(participants)} under the coordinator's persistence id, then answers. */
    private static final class StartedWriter extends org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior<
            Object, TxnCoordinator.Event, String> {
        private final List<PartitionId> participants;

        StartedWriter(long txn, List<PartitionId> participants) {
            super(TxnCoordinator.persistenceId(txn));
            this.participants = participants;
        }

        @Override
        public String journalPluginId() {
            return IN_MEMORY.journalPluginId();
        }

        @Override
        public String snapshotPluginId() {
            return IN_MEMORY.snapshotPluginId();
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        @SuppressWarnings("unchecked")
        public org.apache.pekko.persistence.typed.javadsl.CommandHandler<Object, TxnCoordinator.Event, String> commandHandler() {
            return (state, command) -> Effect().persist(new TxnCoordinator.Started(participants))
                    .thenRun(s -> ((ActorRef<Done>) command).tell(Done.INSTANCE));
        }

        @Override
        public org.apache.pekko.persistence.typed.javadsl.EventHandler<String, TxnCoordinator.Event> eventHandler() {
            return (state, event) -> state + event;
        }
    }

    private enum Done { INSTANCE }

    @Test
    void restartedAfterCommitDecisionOutcomeSaysCommittedAndCommitsEveryParticipant() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> crashed = spawn(txn, participants, IN_MEMORY, crashAt(Step.DECIDED));
        commit(kit, crashed, txn, WRITES);
        expectPrepares(participants, txn, WRITES);
        expectStopped(kit, crashed);
        participants.expectNoCall(QUIET); // decided, but no commit sent

        ActorRef<TxnCoordinator.Command> recovered = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        assertEquals(Decision.committedAt(COMMIT_TS), outcome(kit, recovered));
        expectCall(participants, COMMIT, A, txn);
        expectCall(participants, COMMIT, B, txn);
        expectStopped(kit, recovered);
    }

    @Test
    void restartedAfterCompletionOutcomeAnswersWithoutCallingParticipants() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> first = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, first, txn, WRITES);
        assertEquals(StatusReply.success(Decision.committedAt(COMMIT_TS)), client.receiveMessage(WITHIN));
        expectStopped(kit, first);
        for (int call = 0; call < 4; call++) {
            participants.nextCall(WITHIN); // 2 prepares, 2 commits
        }

        ActorRef<TxnCoordinator.Command> recovered = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        assertEquals(Decision.committedAt(COMMIT_TS), outcome(kit, recovered));
        participants.expectNoCall(QUIET);
        expectStopped(kit, recovered); // it answered from its state and stopped again
    }

    @Test
    void outcomeAskedWhilePreparesRunAbortsAndLatePreparesChangeNothing() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        participants.script(PREPARE, A, participants.hold()).script(PREPARE, B, participants.hold());
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);
        expectPrepares(participants, txn, WRITES);
        CompletableFuture<Void> prepareA = participants.nextHeld(WITHIN);
        CompletableFuture<Void> prepareB = participants.nextHeld(WITHIN);

        assertEquals(Decision.ABORTED, outcome(kit, coordinator)); // e.g. B restarted and lost its prepare
        expectCall(participants, ABORT, A, txn);
        expectCall(participants, ABORT, B, txn);
        assertEquals(SqlState.IO_ERROR, expectError(client).state());
        prepareA.complete(null);
        prepareB.complete(null);
        participants.expectNoCall(QUIET); // never a commit after the abort
    }

    @Test
    void unknownTransactionIsPresumedAbortedWithoutCallingParticipants() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        assertEquals(Decision.ABORTED, outcome(kit, coordinator));
        expectStopped(kit, coordinator);
        participants.expectNoCall(QUIET);

        // Presumed abort is journaled before the answer: a Commit arriving afterwards is refused, not prepared.
        TestProbe<StatusReply<Decision>> late = commit(kit, spawn(txn, participants, IN_MEMORY, CrashPoints.NONE), txn, WRITES);
        expectError(late);
        participants.expectNoCall(QUIET);
    }

    @Test
    void commitThatNoParticipantCouldApplyIsRefusedBeforeAnythingIsPrepared() {
        long txn = NEXT_TXN.incrementAndGet();
        FakeParticipants participants = new FakeParticipants();
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, CrashPoints.NONE);
        TestProbe<StatusReply<Decision>> client = kit.createTestProbe();
        coordinator.tell(new TxnCoordinator.Commit(txn, WRITES, COMMIT_TS, COMMIT_TS, client.ref())); // not prepare < commit
        assertEquals(SqlState.INTERNAL_ERROR, expectError(client).state());
        coordinator.tell(new TxnCoordinator.Commit(txn, Map.of(), PREPARE_TS, COMMIT_TS, client.ref()));
        assertEquals(SqlState.INTERNAL_ERROR, expectError(client).state());
        participants.expectNoCall(QUIET);
        assertEquals(Decision.ABORTED, outcome(kit, coordinator), "nothing was started");
    }

    // ------------------------------------------------------------------------------------ crash points

    @Test
    void crashPointsAreReachedAtEveryStepInOrder() {
        long txn = NEXT_TXN.incrementAndGet();
        List<String> steps = new CopyOnWriteArrayList<>();
        CrashPoints recording = (step, txnId) -> steps.add(step + "@" + txnId);
        FakeParticipants participants = new FakeParticipants();
        participants.script(COMMIT, A, participants.hold()).script(COMMIT, B, participants.hold());
        ActorRef<TxnCoordinator.Command> coordinator = spawn(txn, participants, IN_MEMORY, recording);
        TestProbe<StatusReply<Decision>> client = commit(kit, coordinator, txn, WRITES);
        CompletableFuture<Void> commitA = participants.nextHeld(WITHIN);
        CompletableFuture<Void> commitB = participants.nextHeld(WITHIN);
        assertEquals(List.of("STARTED@" + txn, "PREPARED@" + txn, "DECIDED@" + txn), steps);

        commitA.complete(null);
        awaitSize(steps, 4);
        assertEquals("PARTIALLY_COMMITTED@" + txn, steps.get(3));
        commitB.complete(null);
        assertTrue(client.receiveMessage(WITHIN).isSuccess());
        awaitSize(steps, 5); // Completed is journaled after the client got its answer
        assertEquals(List.of("STARTED@" + txn, "PREPARED@" + txn, "DECIDED@" + txn, "PARTIALLY_COMMITTED@" + txn,
                "COMPLETED@" + txn), steps);

        long aborted = NEXT_TXN.incrementAndGet();
        steps.clear();
        FakeParticipants failing = new FakeParticipants()
                .script(PREPARE, A, FakeParticipants.failWith(new IllegalStateException("no")));
        TestProbe<StatusReply<Decision>> abortedClient = commit(kit, spawn(aborted, failing, IN_MEMORY, recording),
                aborted, WRITES);
        assertTrue(abortedClient.receiveMessage(WITHIN).isError());
        awaitSize(steps, 3);
        assertEquals(List.of("STARTED@" + aborted, "DECIDED@" + aborted, "COMPLETED@" + aborted), steps);
    }

    private static void awaitSize(List<String> list, int size) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (list.size() < size) {
            assertTrue(System.nanoTime() < deadline, "only " + list + " within " + WITHIN);
            sleep(Duration.ofMillis(5));
        }
    }

    // ------------------------------------------------------------------------------------ serialization

    @Test
    void journalEventsAndOutcomeMessagesRoundTripThroughJacksonCbor() {
        Serialization serialization = SerializationExtension.get(kit.system().classicSystem());
        TestProbe<Decision> asker = kit.createTestProbe();
        List<Object> messages = List.of(new TxnCoordinator.Started(List.of(A, B)), new TxnCoordinator.Decided(true, 42, List.of(A, B)),
                new TxnCoordinator.Decided(false, 0, List.of()), TxnCoordinator.Completed.INSTANCE, Decision.committedAt(7),
                Decision.ABORTED, new TxnCoordinator.Outcome(asker.ref()));
        for (Object message : messages) {
            Serializer serializer = serialization.findSerializerFor(message);
            assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName(), "serializer of " + message);
            byte[] bytes = serialization.serialize(message).get();
            String manifest = Serializers.manifestFor(serializer, message);
            assertEquals(message, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
        }
    }

    // ------------------------------------------------------------------------------------ Phantom journal

    @Test
    void decisionSurvivesAnActorSystemRestartOnThePhantomJournal(@TempDir Path dataDir) {
        long txn = NEXT_TXN.incrementAndGet();
        TxnCoordinatorSettings phantom = TxnCoordinatorSettings.of(Duration.ofSeconds(10), RETRIES_MAX);
        FakeParticipants participants = new FakeParticipants();
        ActorTestKit first = ActorTestKit.create("coordinator-first", phantomJournalConfig(dataDir));
        try {
            ActorRef<TxnCoordinator.Command> crashed =
                    first.spawn(TxnCoordinator.create(txn, participants, phantom, crashAt(Step.DECIDED)));
            commit(first, crashed, txn, WRITES);
            expectPrepares(participants, txn, WRITES);
            expectStopped(first, crashed);
        } finally {
            first.shutdownTestKit();
        }
        participants.expectNoCall(QUIET);

        ActorTestKit second = ActorTestKit.create("coordinator-second", phantomJournalConfig(dataDir));
        try {
            ActorRef<TxnCoordinator.Command> recovered =
                    second.spawn(TxnCoordinator.create(txn, participants, phantom, CrashPoints.NONE));
            assertEquals(Decision.committedAt(COMMIT_TS), outcome(second, recovered));
            expectCall(participants, COMMIT, A, txn);
            expectCall(participants, COMMIT, B, txn);
            expectStopped(second, recovered);

            ActorRef<TxnCoordinator.Command> completed =
                    second.spawn(TxnCoordinator.create(txn, participants, phantom, CrashPoints.NONE));
            assertEquals(Decision.committedAt(COMMIT_TS), outcome(second, completed));
            participants.expectNoCall(QUIET);
            ActorRef<TxnCoordinator.Command> unknown =
                    second.spawn(TxnCoordinator.create(txn + 1, participants, phantom, CrashPoints.NONE));
            assertEquals(Decision.ABORTED, outcome(second, unknown));
        } finally {
            second.shutdownTestKit();
        }
    }

    private static Config phantomJournalConfig(Path dataDir) {
        return ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.actor.allow-java-serialization = off
                pekko.loglevel = ERROR
                """).withValue("phantom.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    }

    // ------------------------------------------------------------------------------------ sharding

    @Test
    void shardedCoordinatorCommitsAndAnswersThroughTheClientOnAOneNodeCluster(@TempDir Path dataDir) throws Exception {
        ActorTestKit cluster = ActorTestKit.create("coordinator-cluster", ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
                .withFallback(phantomJournalConfig(dataDir)));
        try {
            joinSelf(cluster.system());
            PhantomSqlException conflict = new PhantomSqlException(SqlState.SERIALIZATION_FAILURE, "conflict");
            FakeParticipants participants = new FakeParticipants();
            TxnCoordinator.init(cluster.system(), participants, Duration.ofSeconds(10), RETRIES_MAX, CrashPoints.NONE);
            TxnCoordinatorClient client = new TxnCoordinatorClient(cluster.system(), WITHIN);
            long txn = NEXT_TXN.incrementAndGet();

            assertEquals(Decision.committedAt(COMMIT_TS), await(client.commit(txn, WRITES, PREPARE_TS, COMMIT_TS)));
            for (Kind kind : List.of(PREPARE, PREPARE, COMMIT, COMMIT)) {
                assertEquals(kind, participants.nextCall(WITHIN).kind());
            }
            assertEquals(Decision.committedAt(COMMIT_TS), await(client.outcome(txn)), "a finished transaction keeps its answer");
            assertEquals(Decision.ABORTED, await(client.outcome(NEXT_TXN.incrementAndGet())));

            participants.script(PREPARE, B, FakeParticipants.failWith(conflict));
            CompletableFuture<Decision> failed = client.commit(NEXT_TXN.incrementAndGet(), WRITES, PREPARE_TS, COMMIT_TS)
                    .toCompletableFuture();
            ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS));
            assertSame(conflict, error.getCause(), "the participant's error reaches the client unchanged");
        } finally {
            cluster.shutdownTestKit();
        }
    }

    private static Decision await(java.util.concurrent.CompletionStage<Decision> stage) throws Exception {
        return stage.toCompletableFuture().get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            assertFalse(System.nanoTime() > deadline, "the node did not become Up within " + WITHIN);
            sleep(Duration.ofMillis(10));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
