package io.phantomdb.txn.coordinator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.txn.coordinator.DeadlockDetector.TxnEnded;
import io.phantomdb.txn.coordinator.DeadlockDetector.Victim;
import io.phantomdb.txn.coordinator.DeadlockDetector.WaitOver;
import io.phantomdb.txn.coordinator.DeadlockDetector.WaitsFor;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the detector tells exactly the youngest transaction of a deadlock, through the replyTo of its latest
 * wait, within a few check intervals; ended waits and transactions never produce a victim; waits past the edge
 * limit are left alone; and the cluster singleton works on a one-node cluster. Method: a fresh detector per test
 * on the shared test kit, a TestProbe standing in for each waiter's node. "No victim" tests close a cycle only if
 * an edge the test removed were still there, so they cannot pass by racing the timer; their negative wait is
 * bounded by NO_VICTIM_FOR. The singleton test starts its own cluster-provider system on 127.0.0.1, port 0.
 * One kit for the class, created and shut down in BeforeAll/AfterAll: TestKitJUnit5Extension with an instance
 * field builds a kit per test method but shuts down only the last one in afterAll (Pekko 1.7.0).
 */
class DeadlockDetectorTest {
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /**
     * A victim is told at the first tick after the cycle closes (one interval); the rest is slack for a shared
     * build machine (load averages of 18 on 2 cores were seen). A passing test does not wait this long.
     */
    private static final Duration VICTIM_WITHIN = CHECK_INTERVAL.multipliedBy(30);
    /** Joining and starting the singleton take seconds on a loaded machine; bounds the singleton test's waits. */
    private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(30);
    private static final Duration NO_VICTIM_FOR = CHECK_INTERVAL.multipliedBy(5);
    private static final int EDGES_MAX = 1_000;

    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private ActorRef<DeadlockDetector.Command> detector(int edgesMax) {
        return kit.spawn(DeadlockDetector.create(CHECK_INTERVAL, edgesMax));
    }

    @Test
    void twoCycleTellsOnlyTheYoungerWaiterOnce() {
        ActorRef<DeadlockDetector.Command> detector = detector(EDGES_MAX);
        TestProbe<Victim> older = kit.createTestProbe();
        TestProbe<Victim> younger = kit.createTestProbe();
        detector.tell(new WaitsFor(1, 2, older.ref()));
        detector.tell(new WaitsFor(2, 1, younger.ref()));
        younger.expectMessage(VICTIM_WITHIN, new Victim(2));
        older.expectNoMessage(NO_VICTIM_FOR);
        younger.expectNoMessage(Duration.ofMillis(10)); // several ticks passed: it was not picked twice
    }

    @Test
    void victimIsToldThroughTheReplyToOfItsLatestWait() {
        ActorRef<DeadlockDetector.Command> detector = detector(EDGES_MAX);
        TestProbe<Victim> stale = kit.createTestProbe();
        TestProbe<Victim> latest = kit.createTestProbe();
        TestProbe<Victim> older = kit.createTestProbe();
        detector.tell(new WaitsFor(2, 3, stale.ref()));
        detector.tell(new WaitsFor(2, 1, latest.ref()));
        detector.tell(new WaitsFor(1, 2, older.ref()));
        latest.expectMessage(VICTIM_WITHIN, new Victim(2));
        stale.expectNoMessage(NO_VICTIM_FOR);
    }

    @Test
    void waitOverRemovesTheEdgeSoNoCycleForms() {
        ActorRef<DeadlockDetector.Command> detector = detector(EDGES_MAX);
        TestProbe<Victim> node = kit.createTestProbe();
        detector.tell(new WaitsFor(1, 2, node.ref()));
        detector.tell(new WaitOver(1, 2)); // granted before 2 waits for 1
        detector.tell(new WaitsFor(2, 1, node.ref()));
        node.expectNoMessage(NO_VICTIM_FOR);
    }

    @Test
    void txnEndedRemovesEdgesIntoAndOutOfTheTransaction() {
        ActorRef<DeadlockDetector.Command> detector = detector(EDGES_MAX);
        TestProbe<Victim> node = kit.createTestProbe();
        detector.tell(new WaitsFor(1, 2, node.ref()));
        detector.tell(new WaitsFor(2, 3, node.ref()));
        detector.tell(new TxnEnded(2));
        detector.tell(new WaitsFor(3, 1, node.ref())); // 1 -> 2 -> 3 -> 1 only if 2's edges were still there
        node.expectNoMessage(NO_VICTIM_FOR);
        detector.tell(new WaitsFor(1, 3, node.ref())); // a real deadlock after all: the detector still works
        node.expectMessage(VICTIM_WITHIN, new Victim(3));
    }

    @Test
    void waitChainWithoutCycleHasNoVictim() {
        ActorRef<DeadlockDetector.Command> detector = detector(EDGES_MAX);
        TestProbe<Victim> node = kit.createTestProbe();
        detector.tell(new WaitsFor(1, 2, node.ref()));
        detector.tell(new WaitsFor(2, 3, node.ref()));
        detector.tell(new WaitsFor(1, 3, node.ref()));
        detector.tell(new WaitsFor(4, 3, node.ref()));
        node.expectNoMessage(NO_VICTIM_FOR);
    }

    @Test
    void waitsPastEdgesMaxAreLeftToTheLockTimeout() {
        ActorRef<DeadlockDetector.Command> detector = detector(1);
        TestProbe<Victim> node = kit.createTestProbe();
        detector.tell(new WaitsFor(1, 2, node.ref()));
        detector.tell(new WaitsFor(2, 1, node.ref())); // refused: the graph holds one edge
        node.expectNoMessage(NO_VICTIM_FOR);
    }

    @Test
    void singletonOnAOneNodeClusterAbortsTheYoungest() {
        ActorTestKit cluster = ActorTestKit.create("deadlock-cluster", clusterConfig());
        try {
            joinSelf(cluster.system());
            ActorRef<DeadlockDetector.Command> detector =
                    DeadlockDetector.initSingleton(cluster.system(), CHECK_INTERVAL, EDGES_MAX);
            TestProbe<Victim> node = cluster.createTestProbe();
            detector.tell(new WaitsFor(5, 9, node.ref()));
            detector.tell(new WaitsFor(9, 7, node.ref()));
            detector.tell(new WaitsFor(7, 5, node.ref()));
            // The proxy buffers until the singleton has started on the oldest (only) node, hence the longer bound.
            node.expectMessage(CLUSTER_WITHIN, new Victim(9));
            node.expectNoMessage(NO_VICTIM_FOR);
        } finally {
            cluster.shutdownTestKit();
        }
    }

    private static Config clusterConfig() {
        return ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
                .withFallback(ConfigFactory.load());
    }

    private static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + CLUSTER_WITHIN.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node did not become Up within " + CLUSTER_WITHIN);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while joining", e);
            }
        }
    }
}
