package io.phantomdb.txn.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.DeleteEventsCompleted;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: what users of the journal rely on and the TCK does not check - the state of a typed
 * EventSourcedBehavior survives stopping the whole ActorSystem and starting a new one on the same data
 * directory, also when the events before a snapshot have been deleted (recovery then needs the snapshot store
 * and the journal's highest sequence number), and new events continue the sequence.
 *
 * <p>Method: a counter entity persisting Jackson-serialized events. One ActorTestKit (ActorSystem) writes,
 * is shut down (the plugins close their engines), a second one on the same directory recovers the entity
 * and reads its total and last sequence number. For the snapshot case the journal engine is opened directly
 * between the two systems to prove the early events really are gone.
 */
class PhantomJournalRecoveryTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    /** Marker bound to Jackson in the test config, as production events will be. */
    interface Stored {}

    record Added(long amount) implements Stored {}

    record Total(long sum) implements Stored {}

    sealed interface Command {}

    record Add(long amount, ActorRef<Long> replyTo) implements Command {}

    record Get(ActorRef<Reading> replyTo) implements Command {}

    record Reading(long total, long lastSequenceNr) {}

    /** Adds amounts; with {@code snapshots}, snapshots every 2 events and deletes the events before the kept one. */
    static final class Counter extends EventSourcedBehavior<Command, Added, Total> {
        private final ActorContext<Command> context;
        private final boolean snapshots;
        private final ActorRef<Long> deletions;

        static Behavior<Command> create(String id, boolean snapshots, ActorRef<Long> deletions) {
            return Behaviors.setup(context -> new Counter(id, context, snapshots, deletions));
        }

        private Counter(String id, ActorContext<Command> context, boolean snapshots, ActorRef<Long> deletions) {
            super(PersistenceId.ofUniqueId(id));
            this.context = context;
            this.snapshots = snapshots;
            this.deletions = deletions;
        }

        @Override
        public Total emptyState() {
            return new Total(0);
        }

        @Override
        public CommandHandler<Command, Added, Total> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Add.class, (state, add) -> Effect().persist(new Added(add.amount()))
                            .thenReply(add.replyTo(), next -> next.sum()))
                    .onCommand(Get.class, (state, get) -> Effect()
                            .reply(get.replyTo(), new Reading(state.sum(), lastSequenceNumber(context))))
                    .build();
        }

        @Override
        public EventHandler<Total, Added> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onEvent(Added.class, (state, added) -> new Total(state.sum() + added.amount()))
                    .build();
        }

        @Override
        public RetentionCriteria retentionCriteria() {
            return snapshots ? RetentionCriteria.snapshotEvery(2, 1).withDeleteEventsOnSnapshot()
                    : RetentionCriteria.disabled();
        }

        @Override
        public SignalHandler<Total> signalHandler() {
            return newSignalHandlerBuilder()
                    .onSignal(DeleteEventsCompleted.class, (state, done) -> deletions.tell(done.toSequenceNr()))
                    .build();
        }
    }

    private Config config() {
        return JournalTestConfig.withDataDir(dataDir).withFallback(ConfigFactory.parseString("""
                pekko.actor.serialization-bindings {
                  "io.phantomdb.txn.journal.PhantomJournalRecoveryTest$Stored" = jackson-json
                }
                """));
    }

    private static long add(ActorTestKit kit, ActorRef<Command> counter, long amount) {
        TestProbe<Long> probe = kit.createTestProbe();
        counter.tell(new Add(amount, probe.getRef()));
        return probe.receiveMessage(TIMEOUT);
    }

    private static Reading read(ActorTestKit kit, ActorRef<Command> counter) {
        TestProbe<Reading> probe = kit.createTestProbe();
        counter.tell(new Get(probe.getRef()));
        return probe.receiveMessage(TIMEOUT);
    }

    @Test
    void eventsSurviveAnActorSystemRestart() {
        ActorTestKit first = ActorTestKit.create("journal-first", config());
        try {
            TestProbe<Long> deletions = first.createTestProbe();
            ActorRef<Command> counter = first.spawn(Counter.create("counter-a", false, deletions.getRef()));
            assertEquals(3, add(first, counter, 3));
            assertEquals(7, add(first, counter, 4));
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = ActorTestKit.create("journal-second", config());
        try {
            TestProbe<Long> deletions = second.createTestProbe();
            ActorRef<Command> counter = second.spawn(Counter.create("counter-a", false, deletions.getRef()));
            assertEquals(new Reading(7, 2), read(second, counter));
            assertEquals(12, add(second, counter, 5));
            assertEquals(new Reading(12, 3), read(second, counter), "the sequence goes on after the restart");
            ActorRef<Command> other = second.spawn(Counter.create("counter-b", false, deletions.getRef()));
            assertEquals(new Reading(0, 0), read(second, other), "another persistence id sees none of these events");
        } finally {
            second.shutdownTestKit();
        }
    }

    @Test
    void stateRecoversFromSnapshotWhenEarlyEventsWereDeleted() {
        ActorTestKit first = ActorTestKit.create("snapshot-first", config());
        try {
            TestProbe<Long> deletions = first.createTestProbe();
            ActorRef<Command> counter = first.spawn(Counter.create("counter-s", true, deletions.getRef()));
            for (long amount = 1; amount <= 5; amount++) {
                add(first, counter, amount);
            }
            // Snapshot at 4 keeps one snapshot back (every 2 events): events up to 4 - 2 are deleted.
            assertEquals(2L, deletions.receiveMessage(TIMEOUT));
        } finally {
            first.shutdownTestKit();
        }

        Path journalDir = dataDir.resolve(PhantomJournal.DEFAULT_SUBDIRECTORY);
        try (Engine journal = Engine.open(RealFileSystem.INSTANCE, journalDir, EngineOptions.builder().build())) {
            assertNull(journal.get(JournalKeys.event("counter-s", 1)), "event 1 deleted");
            assertNull(journal.get(JournalKeys.event("counter-s", 2)), "event 2 deleted");
            assertNotNull(journal.get(JournalKeys.event("counter-s", 3)), "event 3 kept");
            assertArrayEquals(StoredValues.encodeHighest(5), journal.get(JournalKeys.highestSequenceNr("counter-s")));
        }

        ActorTestKit second = ActorTestKit.create("snapshot-second", config());
        try {
            TestProbe<Long> deletions = second.createTestProbe();
            ActorRef<Command> counter = second.spawn(Counter.create("counter-s", true, deletions.getRef()));
            assertEquals(new Reading(15, 5), read(second, counter));
            assertEquals(21, add(second, counter, 6));
            assertEquals(new Reading(21, 6), read(second, counter));
        } finally {
            second.shutdownTestKit();
        }
    }
}
