package io.phantomdb.txn.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the node's wait reporter tells the deadlock detector that a transaction ended exactly when the
 * detector may hold an edge of it (it waited, or was waited for), and stays silent for the common transaction
 * that never met a lock conflict: one message less per commit.
 *
 * <p>Method: the reporter wired to a probe standing in for the detector singleton.
 */
class WaitReporterTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void endedIsReportedOnlyForTransactionsInTheWaitForGraph() {
        TestProbe<DeadlockDetector.Command> detector = kit.createTestProbe();
        TestProbe<DeadlockDetector.Victim> inbox = kit.createTestProbe();
        WaitReporter reporter = new WaitReporter(detector.getRef(), inbox.getRef());

        reporter.ended(1); // never waited, never waited for: nothing (tells from one thread arrive in order,
        reporter.waits(2, 3); // so the next message would be the TxnEnded if one had been sent)
        assertEquals(new DeadlockDetector.WaitsFor(2, 3, inbox.getRef()), detector.receiveMessage());
        reporter.waitOver(2, 3);
        assertEquals(new DeadlockDetector.WaitOver(2, 3), detector.receiveMessage());
        reporter.ended(3); // the holder: its edges go too
        assertEquals(new DeadlockDetector.TxnEnded(3), detector.receiveMessage());
        reporter.ended(2); // the waiter
        assertEquals(new DeadlockDetector.TxnEnded(2), detector.receiveMessage());
        reporter.ended(2); // ending twice tells once
        reporter.waitOver(8, 9);
        assertEquals(new DeadlockDetector.WaitOver(8, 9), detector.receiveMessage());
    }
}
