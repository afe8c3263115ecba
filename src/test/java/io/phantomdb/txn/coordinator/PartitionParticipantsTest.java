package io.phantomdb.txn.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionEntity;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the coordinator's view of participants reaches the partitions through Cluster Sharding - prepare keeps
 * mutations invisible, commit applies them at the commit timestamp, abort (which has no timestamp of its own)
 * takes one from the supplier and applies nothing, and retries of commit and abort succeed. Method: a one-node
 * cluster on 127.0.0.1, port 0, with the partition entity type registered; results read through the registry.
 */
class PartitionParticipantsTest {
    /** Joining and starting the first shard take seconds on a loaded machine. */
    private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void prepareCommitAndAbortGoThroughSharding() throws Exception {
        ActorTestKit kit = ActorTestKit.create("participants", clusterConfig());
        try {
            joinSelf(kit.system());
            PartitionRegistry registry = new PartitionRegistry();
            PartitionEntity.init(kit.system(), new PartitionEntity.Environment(RealFileSystem.INSTANCE, dir,
                    EngineOptions.builder().build(), registry));
            PartitionClient client = new PartitionClient(kit.system(), REQUEST_TIMEOUT);
            AtomicLong clock = new AtomicLong(1_000);
            Participants participants = new PartitionParticipants(client, clock::incrementAndGet);
            PartitionId id = new PartitionId(3, 0);
            byte[] committedKey = KeyCodec.encode(3, 0, "c");
            byte[] abortedKey = KeyCodec.encode(3, 0, "a");

            await(participants.prepare(id, 1, List.of(new Mutation.Put(committedKey, new byte[] {1})), 100));
            await(participants.prepare(id, 2, List.of(new Mutation.Put(abortedKey, new byte[] {2})), 110));
            Engine engine = registry.engine(id).orElseThrow();
            assertNull(engine.get(committedKey));
            assertEquals(Set.of(1L, 2L), registry.inDoubt(id));

            await(participants.commit(id, 1, 200));
            await(participants.commit(id, 1, 200)); // a retry
            await(participants.abort(id, 2));
            await(participants.abort(id, 2)); // a retry
            assertArrayEquals(new byte[] {1}, engine.get(committedKey, 200));
            assertNull(engine.get(committedKey, 199));
            assertNull(engine.get(abortedKey));
            assertEquals(Set.of(), registry.inDoubt(id));
            assertEquals(1_001, engine.lastTimestamp(), "the abort wrote at the supplier's timestamp");
            await(client.stop(id));
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static void await(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    private static Config clusterConfig() {
        return ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
                .withFallback(ConfigFactory.load());
    }

    private static void joinSelf(ActorSystem<?> system) throws InterruptedException {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + CLUSTER_WITHIN.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node did not become Up within " + CLUSTER_WITHIN);
            }
            Thread.sleep(10);
        }
    }
}
