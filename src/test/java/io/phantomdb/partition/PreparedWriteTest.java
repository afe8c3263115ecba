package io.phantomdb.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a partition as a two-phase-commit participant - prepared writes are durable but invisible until the
 * commit, which applies them all at exactly its timestamp; abort applies nothing; a PREPARE record survives a
 * restart and is listed in doubt; commit and abort are idempotent; records stay outside table key space; a late
 * prepare cannot reopen a decided transaction; a commit sent right behind its prepare still finds the record.
 *
 * <p>Method: the entity behaviour spawned directly with the ActorTestKit (no sharding), one probe per reply,
 * a fresh directory per test; timestamps are chosen by the test (standing in for the node's hybrid clock) and
 * reads go to the engine through the registry at chosen timestamps.
 */
class PreparedWriteTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @TempDir
    Path dir;

    private final PartitionRegistry registry = new PartitionRegistry();
    private final PartitionId id = new PartitionId(1, 0);

    private static final byte[] K1 = KeyCodec.encode(1, 0, "a");
    private static final byte[] K2 = KeyCodec.encode(1, 0, "b");
    private static final byte[] K3 = KeyCodec.encode(1, 1, 42L);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private ActorRef<PartitionEntity.Command> start() {
        PartitionEntity.Environment env = new PartitionEntity.Environment(RealFileSystem.INSTANCE, dir,
                EngineOptions.builder().build(), registry);
        ActorRef<PartitionEntity.Command> p = kit.spawn(PartitionEntity.create(id, env));
        TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
        p.tell(new PartitionEntity.Start(probe.getRef()));
        assertTrue(probe.receiveMessage().isSuccess());
        return p;
    }

    private static void stop(ActorRef<PartitionEntity.Command> p) {
        TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
        p.tell(new PartitionEntity.Stop(probe.getRef()));
        assertTrue(probe.receiveMessage().isSuccess());
        probe.expectTerminated(p);
    }

    private static StatusReply<Long> ask(ActorRef<PartitionEntity.Command> p,
            java.util.function.Function<ActorRef<StatusReply<Long>>, PartitionEntity.Command> command) {
        TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
        p.tell(command.apply(probe.getRef()));
        return probe.receiveMessage();
    }

    private static long ok(StatusReply<Long> reply) {
        assertTrue(reply.isSuccess(), () -> "expected success, got " + reply.getError());
        return reply.getValue();
    }

    private static StatusReply<Long> prepare(ActorRef<PartitionEntity.Command> p, long txn, List<Mutation> m, long ts) {
        return ask(p, r -> new PartitionEntity.Prepare(txn, m, ts, r));
    }

    private static StatusReply<Long> commit(ActorRef<PartitionEntity.Command> p, long txn, long ts) {
        return ask(p, r -> new PartitionEntity.CommitPrepared(txn, ts, r));
    }

    private static StatusReply<Long> abort(ActorRef<PartitionEntity.Command> p, long txn, long ts) {
        return ask(p, r -> new PartitionEntity.AbortPrepared(txn, ts, r));
    }

    private static StatusReply<Long> write(ActorRef<PartitionEntity.Command> p, List<Mutation> m, long ts) {
        return ask(p, r -> new PartitionEntity.Write(m, ts, r));
    }

    private Engine engine() {
        return registry.engine(id).orElseThrow();
    }

    /** Every visible key of the whole engine (no bounds: table keys and reserved keys alike). */
    private static List<byte[]> allKeys(Engine engine, long ts) {
        List<byte[]> keys = new ArrayList<>();
        try (KvIterator it = engine.scan(null, null, ts, false)) {
            while (it.next()) {
                keys.add(it.key());
            }
        }
        return keys;
    }

    private static List<Mutation> threeMutations() {
        return List.of(new Mutation.Put(K1, new byte[] {1}), new Mutation.Put(K2, new byte[] {2}),
                new Mutation.Delete(K3));
    }

    @Test
    void preparedMutationsStayInvisibleUntilTheCommitAppliesThemAllAtItsTimestamp() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(write(p, List.of(new Mutation.Put(K3, new byte[] {3})), 100));
        assertEquals(200, ok(prepare(p, 7, threeMutations(), 200)), "replies with the record's timestamp");
        Engine engine = engine();
        assertNull(engine.get(K1));
        assertNull(engine.get(K2));
        assertArrayEquals(new byte[] {3}, engine.get(K3), "the prepared delete is not applied either");
        try (KvIterator it = engine.scan(KeyCodec.encode(1), KeyCodec.encode(2), Long.MAX_VALUE, false)) {
            assertTrue(it.next());
            assertArrayEquals(K3, it.key(), "a table scan sees only the committed row");
            assertFalse(it.next());
        }
        assertEquals(Set.of(7L), registry.inDoubt(id));

        assertEquals(300, ok(commit(p, 7, 300)));
        assertArrayEquals(new byte[] {1}, engine.get(K1, 300));
        assertArrayEquals(new byte[] {2}, engine.get(K2, 300));
        assertNull(engine.get(K3, 300));
        assertNull(engine.get(K1, 299), "not visible below the commit timestamp");
        assertNull(engine.get(K2, 299));
        assertArrayEquals(new byte[] {3}, engine.get(K3, 299));
        assertNull(engine.get(PreparedRecords.key(7)), "the record is gone");
        assertEquals(Set.of(), registry.inDoubt(id));
        stop(p);
    }

    @Test
    void abortRemovesTheRecordAndAppliesNothing() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(prepare(p, 8, threeMutations(), 200));
        ok(abort(p, 8, 300));
        Engine engine = engine();
        assertEquals(List.of(), allKeys(engine, Long.MAX_VALUE), "neither the record nor any mutation is left");
        assertEquals(Set.of(), registry.inDoubt(id));
        assertEquals(0, ok(commit(p, 8, 400)), "a commit after the abort finds nothing to apply");
        assertNull(engine.get(K1));
        stop(p);
    }

    @Test
    void aPreparedRecordSurvivesARestartIsListedInDoubtAndCommitsAfterIt() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(prepare(p, 9, threeMutations(), 200));
        ok(prepare(p, 10, List.of(new Mutation.Put(K3, new byte[] {9})), 210));
        stop(p);
        assertEquals(Set.of(), registry.inDoubt(id), "a stopped partition lists nothing");

        p = start();
        assertEquals(Set.of(9L, 10L), registry.inDoubt(id), "found again by the scan at start");
        assertNull(engine().get(K1));
        ok(commit(p, 9, 300));
        assertEquals(Set.of(10L), registry.inDoubt(id));
        assertArrayEquals(new byte[] {1}, engine().get(K1, 300));
        assertArrayEquals(new byte[] {2}, engine().get(K2, 300));
        ok(abort(p, 10, 310));
        assertNull(engine().get(K3), "10 was aborted: its put of K3 never applies");
        assertEquals(Set.of(), registry.inDoubt(id));
        stop(p);
    }

    @Test
    void commitAndAbortAreIdempotent() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(write(p, List.of(new Mutation.Put(K1, new byte[] {5})), 100));
        assertEquals(0, ok(commit(p, 11, 200)), "no record: success, nothing written");
        assertEquals(0, ok(abort(p, 11, 210)));
        assertEquals(100, engine().lastTimestamp(), "neither wrote anything");

        ok(prepare(p, 12, List.of(new Mutation.Put(K1, new byte[] {6})), 300));
        ok(commit(p, 12, 400));
        ok(write(p, List.of(new Mutation.Put(K1, new byte[] {7})), 500));
        assertEquals(0, ok(commit(p, 12, 600)), "a second commit is a no-op");
        assertEquals(0, ok(abort(p, 12, 610)), "so is an abort after the commit");
        assertArrayEquals(new byte[] {7}, engine().get(K1), "the later write was not overwritten by a re-apply");
        assertArrayEquals(new byte[] {6}, engine().get(K1, 400));
        assertEquals(500, engine().lastTimestamp());
        stop(p);
    }

    @Test
    void preparedRecordsStayOutsideTableKeySpace() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(prepare(p, 13, threeMutations(), 200));
        ok(prepare(p, Long.MAX_VALUE, threeMutations(), 210));
        ok(prepare(p, -1, threeMutations(), 220));
        Engine engine = engine();
        assertEquals(3, allKeys(engine, Long.MAX_VALUE).size(), "the three records exist");
        byte[] tableLow = KeyCodec.encode(1);
        byte[] tableHigh = java.util.Arrays.copyOf(tableLow, tableLow.length + 1);
        tableHigh[tableLow.length] = (byte) 0xFF;
        try (KvIterator it = engine.scan(tableLow, tableHigh, Long.MAX_VALUE, false)) {
            assertFalse(it.next(), "table 1's key range holds no record");
        }
        // Every KeyCodec tuple starts with a tag in 0x05..0xFA: the whole table key space.
        try (KvIterator it = engine.scan(new byte[] {0x05}, new byte[] {(byte) 0xFB}, Long.MAX_VALUE, false)) {
            assertFalse(it.next(), "no table's key range holds a record");
        }
        assertEquals(Set.of(13L, Long.MAX_VALUE, -1L), registry.inDoubt(id));
        StatusReply<Long> reserved = prepare(p, 14, List.of(new Mutation.Put(PreparedRecords.key(13), new byte[0])), 230);
        assertTrue(reserved.isError(), "a prepared mutation may not write over another transaction's record");
        stop(p);
    }

    @Test
    void aLatePrepareCannotReopenADecidedTransaction() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(prepare(p, 15, threeMutations(), 200));
        ok(commit(p, 15, 300));
        StatusReply<Long> late = prepare(p, 15, threeMutations(), 310);
        assertTrue(late.isError());
        assertEquals(SqlState.INVALID_TRANSACTION_STATE, ((PhantomSqlException) late.getError()).state());
        assertEquals(Set.of(), registry.inDoubt(id));
        assertNull(engine().get(PreparedRecords.key(15)));
        stop(p);
    }

    @Test
    void aCommitAtOrBelowThePrepareTimestampIsRefusedAndChangesNothing() {
        ActorRef<PartitionEntity.Command> p = start();
        ok(prepare(p, 16, threeMutations(), 200));
        StatusReply<Long> reply = commit(p, 16, 200);
        assertTrue(reply.isError());
        assertEquals(SqlState.INTERNAL_ERROR, ((PhantomSqlException) reply.getError()).state());
        assertNull(engine().get(K1));
        assertEquals(Set.of(16L), registry.inDoubt(id), "still in doubt, committable at a proper timestamp");
        ok(commit(p, 16, 201));
        assertArrayEquals(new byte[] {1}, engine().get(K1));
        assertTrue(commit(p, 17, 0).isError(), "timestamp 0 (engine-assigned) is refused");
        stop(p);
    }

    @Test
    void aCommitSentRightBehindItsPrepareWaitsForItAndApplies() {
        ActorRef<PartitionEntity.Command> p = start();
        TestProbe<StatusReply<Long>> prepared = kit.createTestProbe();
        TestProbe<StatusReply<Long>> committed = kit.createTestProbe();
        // No wait between the two: the commit arrives while the prepare is still being written.
        for (long txn = 100; txn < 120; txn++) {
            p.tell(new PartitionEntity.Prepare(txn, List.of(new Mutation.Put(KeyCodec.encode(1, 0, txn), new byte[] {1})),
                    1_000 + txn, prepared.getRef()));
            p.tell(new PartitionEntity.CommitPrepared(txn, 2_000 + txn, committed.getRef()));
        }
        Set<Long> commitTimestamps = new java.util.HashSet<>();
        for (long txn = 100; txn < 120; txn++) {
            ok(prepared.receiveMessage());
            commitTimestamps.add(ok(committed.receiveMessage()));
        }
        assertEquals(java.util.stream.LongStream.range(2_100, 2_120).boxed().collect(java.util.stream.Collectors.toSet()),
                commitTimestamps, "every commit found its record and applied it (0 would mean: no record)");
        for (long txn = 100; txn < 120; txn++) {
            assertArrayEquals(new byte[] {1}, engine().get(KeyCodec.encode(1, 0, txn)));
        }
        assertEquals(Set.of(), registry.inDoubt(id));
        stop(p);
    }

    @Test
    void aPartitionThatCannotOpenRefusesTwoPhaseCommands() throws Exception {
        Path blocker = PartitionEntity.directory(dir, id);
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a directory");
        PartitionEntity.Environment env = new PartitionEntity.Environment(RealFileSystem.INSTANCE, dir,
                EngineOptions.builder().build(), registry);
        ActorRef<PartitionEntity.Command> p = kit.spawn(PartitionEntity.create(id, env));
        assertEquals(SqlState.IO_ERROR, ((PhantomSqlException) prepare(p, 1, threeMutations(), 10).getError()).state());
        assertEquals(SqlState.IO_ERROR, ((PhantomSqlException) commit(p, 1, 20).getError()).state());
        assertEquals(SqlState.IO_ERROR, ((PhantomSqlException) abort(p, 1, 30).getError()).state());
        assertEquals(Set.of(), registry.inDoubt(id));
    }
}
