package io.phantomdb.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.partition.PreparedRecords;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.testkit.TestNode;
import io.phantomdb.txn.coordinator.CrashPoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: a transaction that writes several partitions is all-or-nothing even when the node stops in the
 * middle of its two-phase commit - before any prepare, after every partition prepared, after the decision
 * is journaled, after one partition applied it - and no partition is left holding a PREPARE record.
 *
 * <p>Method: a 4-partition table of 8 rows; one transaction sets every row to 1. A crash hook in the
 * coordinator terminates the actor system at the chosen step (and stops the coordinator there), which is
 * what a crashed node looks like to the survivors on disk: partitions' engines keep only what they made
 * durable. The node then restarts on the same directory; opening it settles in-doubt partitions before any
 * statement runs. The rows must be all 0 (undecided: abort) or all 1 (decided: commit), and no PREPARE
 * record may remain.
 */
class TwoPhaseCrashTest {

    /** Terminates the node's actor system the first time the armed step is reached. */
    static final class Crash implements CrashPoints {
        volatile Step armed;
        volatile ActorSystem<?> system;

        @Override
        public void reached(Step step, long txnId) {
            if (step == armed) {
                armed = null;
                system.terminate();
                throw new IllegalStateException("simulated crash at " + step);
            }
        }
    }

    static final Map<String, Object> SETTINGS = Map.of("phantom.txn.commit-timeout", "5 s",
            "phantom.txn.participant-timeout", "2 s", "phantom.sql.partition-timeout", "2 s");

    @ParameterizedTest
    @EnumSource(value = CrashPoints.Step.class, names = {"STARTED", "PREPARED", "DECIDED", "PARTIALLY_COMMITTED"})
    void aCrashAtAnyStepLeavesTheTransactionAllOrNothing(CrashPoints.Step step, @TempDir Path dir) throws Exception {
        Crash crash = new Crash();
        TestNode node = new TestNode(dir, SETTINGS, crash);
        crash.system = node.system();
        node.execute("CREATE TABLE acc (id INT PRIMARY KEY, v INT) WITH (partitions = 4)");
        node.execute("INSERT INTO acc VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0)");
        Session s = node.db().session();
        node.await(s.execute("BEGIN"));
        node.await(s.execute("UPDATE acc SET v = 1"));
        crash.armed = step;
        CompletionStage<Long> commit = s.execute("COMMIT");
        try {
            commit.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception expected) {
            // the node went down under the commit: the client cannot know the outcome
        }
        assertEquals(null, crash.armed, "the coordinator reached " + step);
        node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.close();

        try (TestNode restarted = new TestNode(dir, SETTINGS)) {
            List<Integer> values = new ArrayList<>();
            for (Row r : restarted.query("SELECT v FROM acc")) {
                values.add((Integer) r.get(0));
            }
            assertEquals(8, values.size());
            int expected = step == CrashPoints.Step.STARTED || step == CrashPoints.Step.PREPARED ? 0 : 1;
            assertEquals(List.of(expected, expected, expected, expected, expected, expected, expected, expected), values,
                    "crash at " + step + ": " + (expected == 0 ? "undecided, so aborted" : "decided, so committed everywhere"));
            assertEquals(0, preparedRecords(restarted), "no partition is left in doubt");
            restarted.execute("UPDATE acc SET v = v + 10 WHERE id = 3"); // the rows are not locked any more
            assertEquals(expected + 10, restarted.query("SELECT v FROM acc WHERE id = 3").get(0).get(0));
        }
    }

    @Test
    void aHealthyCrossPartitionCommitIsVisibleEverywhereAtOnce(@TempDir Path dir) {
        try (TestNode node = new TestNode(dir, SETTINGS)) {
            node.execute("CREATE TABLE two (id INT PRIMARY KEY, v INT) WITH (partitions = 4)");
            node.execute("INSERT INTO two VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
            try (Session s = node.db().session()) {
                node.await(s.execute("BEGIN"));
                node.await(s.execute("UPDATE two SET v = id * 10"));
                node.await(s.execute("COMMIT"));
            }
            assertEquals(100L, ((Number) node.query("SELECT SUM(v) FROM two").get(0).get(0)).longValue());
            assertEquals(0, preparedRecords(node));
        }
    }

    private static int preparedRecords(TestNode node) {
        int n = 0;
        for (Engine e : node.db().localEngines()) {
            try (KvIterator it = e.scan(PreparedRecords.rangeLow(), PreparedRecords.rangeHigh(), Long.MAX_VALUE, false)) {
                while (it.next()) {
                    n++;
                }
            }
        }
        return n;
    }
}
