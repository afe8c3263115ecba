package io.phantomdb.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the partition protocol - a write is applied atomically and acknowledged once durable, reads see it
 * through the registry, keyless rows get row ids that keep increasing across a restart, and a partition whose
 * engine cannot open answers with an error instead of taking the node down.
 *
 * <p>Method: the entity behaviour spawned directly with the ActorTestKit (no sharding), one probe per reply,
 * a fresh directory per test.
 */
class PartitionEntityTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private PartitionEntity.Environment env(PartitionRegistry registry) {
        return new PartitionEntity.Environment(RealFileSystem.INSTANCE, dir, EngineOptions.builder().build(), registry);
    }

    private static StatusReply<Long> write(ActorRef<PartitionEntity.Command> p, List<Mutation> m) {
        TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
        p.tell(new PartitionEntity.Write(m, 0, probe.getRef()));
        return probe.receiveMessage();
    }

    /** Waits until the partition has opened its engine (and registered it). */
    private static ActorRef<PartitionEntity.Command> started(ActorRef<PartitionEntity.Command> p) {
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

    @Test
    void writesAreAppliedAtomicallyAndVisibleThroughTheRegistry() {
        PartitionRegistry registry = new PartitionRegistry();
        PartitionId id = new PartitionId(7, 0);
        ActorRef<PartitionEntity.Command> p = kit.spawn(PartitionEntity.create(id, env(registry)));
        byte[] k1 = KeyCodec.encode("a");
        byte[] k2 = KeyCodec.encode("b");
        StatusReply<Long> reply = write(p, List.of(new Mutation.Put(k1, new byte[] {1}), new Mutation.Put(k2, new byte[] {2})));
        assertTrue(reply.isSuccess());
        Engine engine = registry.engine(id).orElseThrow();
        assertArrayEquals(new byte[] {1}, engine.get(k1, reply.getValue()));
        assertArrayEquals(new byte[] {2}, engine.get(k2, reply.getValue()));
        assertTrue(write(p, List.of(new Mutation.Delete(k1))).isSuccess());
        assertEquals(null, engine.get(k1));
        stop(p);
        assertTrue(registry.engine(id).isEmpty(), "a stopped partition leaves the registry");
    }

    @Test
    void rowIdsKeepIncreasingAcrossARestart() {
        PartitionRegistry registry = new PartitionRegistry();
        PartitionId id = new PartitionId(8, 1);
        byte[] prefix = KeyCodec.encode(8, 0);
        ActorRef<PartitionEntity.Command> p = started(kit.spawn(PartitionEntity.create(id, env(registry))));
        for (int i = 0; i < 3; i++) {
            byte[] key = PartitionRegistry.rowIdKey(prefix, registry.nextRowId(id, prefix));
            assertTrue(write(p, List.of(new Mutation.Put(key, new byte[] {(byte) i}))).isSuccess());
        }
        registry.nextRowId(id, prefix); // handed out but never written: an aborted insert
        stop(p);
        p = started(kit.spawn(PartitionEntity.create(id, env(registry))));
        long next = registry.nextRowId(id, prefix);
        assertEquals(4L, next, "after a restart ids continue after the highest stored one (1, 2, 3)");
        assertTrue(write(p, List.of(new Mutation.Put(PartitionRegistry.rowIdKey(prefix, next), new byte[] {9}))).isSuccess());
        Engine engine = registry.engine(id).orElseThrow();
        assertArrayEquals(new byte[] {9}, engine.get(KeyCodec.encode(8, 0, 4L)), "row id 4 follows 1, 2, 3");
        assertArrayEquals(new byte[] {0}, engine.get(KeyCodec.encode(8, 0, 1L)));
        stop(p);
    }

    @Test
    void aPartitionThatCannotOpenAnswersWithAnError() throws Exception {
        PartitionId id = new PartitionId(9, 0);
        Path blocker = PartitionEntity.directory(dir, id);
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a directory");
        ActorRef<PartitionEntity.Command> p = kit.spawn(PartitionEntity.create(id, env(new PartitionRegistry())));
        StatusReply<Long> reply = write(p, List.of(new Mutation.Put(KeyCodec.encode("x"), new byte[0])));
        assertTrue(reply.isError());
        PhantomSqlException e = (PhantomSqlException) reply.getError();
        assertEquals(SqlState.IO_ERROR, e.state());
        TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
        p.tell(new PartitionEntity.Start(probe.getRef()));
        assertTrue(probe.receiveMessage().isError(), "still up, still refusing");
    }
}
