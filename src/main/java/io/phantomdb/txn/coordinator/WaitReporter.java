package io.phantomdb.txn.coordinator;

import io.phantomdb.txn.mvcc.WaitListener;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The partitions' side of deadlock detection on one node: lock tables report their waits here, and this
 * forwards them to the {@link DeadlockDetector} singleton with this node's victim inbox as the reply address;
 * a {@link DeadlockDetector.Victim} arriving in the inbox is handed to {@code onVictim} (which fails the
 * victim's pending lock wait with 40P01).
 */
public final class WaitReporter implements WaitListener {
    private final ActorRef<DeadlockDetector.Command> detector;
    private final ActorRef<DeadlockDetector.Victim> inbox;
    /**
     * The transactions in at least one wait-for edge reported from here (as waiter or holder), until they end.
     * Only these have anything to drop in the detector: every other transaction ends without a message, which
     * saves a tell through the singleton proxy (two actor hops, a thread wake-up each) on every commit that
     * never waited for a lock. Every edge of a transaction of this node is reported from here, since row locks
     * live in the node-local lock tables of the sessions' own node.
     */
    private final java.util.Set<Long> inGraph = java.util.concurrent.ConcurrentHashMap.newKeySet();

    WaitReporter(ActorRef<DeadlockDetector.Command> detector, ActorRef<DeadlockDetector.Victim> inbox) {
        this.detector = detector;
        this.inbox = inbox;
    }

    /** Starts (or joins) the detector singleton and this node's victim inbox. */
    public static WaitReporter start(ActorSystem<?> system, java.time.Duration checkInterval, int edgesMax, LongConsumer onVictim) {
        ActorRef<DeadlockDetector.Command> detector = DeadlockDetector.initSingleton(system, checkInterval, edgesMax);
        ActorRef<DeadlockDetector.Victim> inbox = system.systemActorOf(Behaviors.receive(DeadlockDetector.Victim.class)
                .onMessage(DeadlockDetector.Victim.class, victim -> {
                    onVictim.accept(victim.txn());
                    return Behaviors.same();
                }).build(), "deadlock-victims", Props.empty());
        return new WaitReporter(detector, inbox);
    }

    @Override
    public void waits(long waiter, long holder) {
        inGraph.add(waiter);
        inGraph.add(holder);
        detector.tell(new DeadlockDetector.WaitsFor(waiter, holder, inbox));
    }

    @Override
    public void waitOver(long waiter, long holder) {
        detector.tell(new DeadlockDetector.WaitOver(waiter, holder));
    }

    /** A transaction ended: the detector drops its edges. */
    public void ended(long txn) {
        if (inGraph.remove(txn)) {
            detector.tell(new DeadlockDetector.TxnEnded(txn));
        }
    }
}
