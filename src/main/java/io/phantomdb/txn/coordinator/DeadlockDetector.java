package io.phantomdb.txn.coordinator;

import io.phantomdb.txn.mvcc.WaitForGraph;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster's one deadlock detector (DESIGN.md "Transactions"): partitions report each lock wait as a
 * wait-for edge ({@link WaitsFor}) and its end ({@link WaitOver}, {@link TxnEnded}); every {@code checkInterval}
 * the detector looks for cycles and tells the node of each cycle's youngest transaction ({@link Victim}), which
 * fails that transaction's wait with SQLSTATE 40P01 (DEADLOCK_DETECTED).
 *
 * <p>State is in memory only. A restart (after a failure, or when the singleton moves to another node) starts
 * from an empty graph: waits reported before it are forgotten, so a deadlock among them is broken by the lock
 * timeout, or found once a waiter reports its next wait. This keeps the detector off every lock's critical path:
 * reporting is fire-and-forget and losing reports costs only latency, never correctness.
 *
 * <p>Bounded by {@code edgesMax} (suggested config {@code phantom.txn.deadlock-edges-max}, default 100000): a
 * wait reported past it is not tracked (logged once per overflow) and is left to the lock timeout.
 */
public final class DeadlockDetector extends AbstractBehavior<DeadlockDetector.Command> {
    /** Name of the cluster singleton. */
    public static final String SINGLETON_NAME = "deadlock-detector";

    public sealed interface Command {}

    /**
     * {@code waiter} started waiting for {@code holder}; {@code replyTo} reaches the waiter's node and gets a
     * {@link Victim} if the waiter is chosen. (A record component cannot be called {@code notify}: Object.notify.)
     */
    public record WaitsFor(long waiter, long holder, ActorRef<Victim> replyTo) implements Command {}

    /** {@code waiter} no longer waits for {@code holder}: the lock was granted, the wait timed out, or it aborted. */
    public record WaitOver(long waiter, long holder) implements Command {}

    /** {@code txn} committed or rolled back: every wait by it or for it is over. */
    public record TxnEnded(long txn) implements Command {}

    /** Sent to the replyTo of {@code txn}'s latest WaitsFor: fail its wait with 40P01, it closes a wait-for cycle. */
    public record Victim(long txn) {}

    /** Timer message: search for cycles. */
    private enum Tick implements Command { INSTANCE }

    private final WaitForGraph graph;
    /** Where to send each waiting transaction's Victim: the replyTo of its latest WaitsFor. Keys = waiters. */
    private final Map<Long, ActorRef<Victim>> replyToByWaiter = new HashMap<>();
    /** Removing edges never closes a cycle, so a search only has something to find after an edge was added. */
    private boolean edgesAddedSinceSearch;
    /** Set after logging a refused edge; cleared when an edge fits again, so an overflow logs once, not per wait. */
    private boolean refusalLogged;

    /**
     * {@code checkInterval}: suggested config {@code phantom.txn.deadlock-check-interval}, default 100 ms; it
     * bounds how long a deadlock lasts before a victim is told. {@code edgesMax}: see the class comment.
     */
    public static Behavior<Command> create(Duration checkInterval, int edgesMax) {
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("checkInterval must be positive: " + checkInterval);
        }
        if (edgesMax < 1) {
            throw new IllegalArgumentException("edgesMax must be positive: " + edgesMax);
        }
        Behavior<Command> detector = Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, checkInterval);
            return new DeadlockDetector(context, edgesMax);
        }));
        return Behaviors.supervise(detector).onFailure(SupervisorStrategy.restart());
    }

    /** Starts the singleton on the oldest node (once per node is fine) and returns this node's proxy to it. */
    public static ActorRef<Command> initSingleton(ActorSystem<?> system, Duration checkInterval, int edgesMax) {
        return ClusterSingleton.get(system).init(SingletonActor.of(create(checkInterval, edgesMax), SINGLETON_NAME));
    }

    private DeadlockDetector(ActorContext<Command> context, int edgesMax) {
        super(context);
        this.graph = new WaitForGraph(edgesMax);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(WaitsFor.class, this::onWaitsFor)
                .onMessage(WaitOver.class, this::onWaitOver)
                .onMessage(TxnEnded.class, this::onTxnEnded)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .build();
    }

    private Behavior<Command> onWaitsFor(WaitsFor wait) {
        if (graph.addEdge(wait.waiter(), wait.holder())) {
            edgesAddedSinceSearch = true;
            refusalLogged = false;
        } else if (!refusalLogged) {
            refusalLogged = true;
            getContext().getLog().warn("wait-for graph full ({} edges): waits are left to the lock timeout until "
                    + "some end (phantom.txn.deadlock-edges-max)", graph.edgeCount());
        }
        if (graph.isWaiting(wait.waiter())) {
            replyToByWaiter.put(wait.waiter(), wait.replyTo());
        }
        return this;
    }

    private Behavior<Command> onWaitOver(WaitOver over) {
        graph.removeEdge(over.waiter(), over.holder());
        if (!graph.isWaiting(over.waiter())) {
            replyToByWaiter.remove(over.waiter());
        }
        return this;
    }

    private Behavior<Command> onTxnEnded(TxnEnded ended) {
        List<Long> waitedForIt = graph.waitersFor(ended.txn());
        graph.removeTransaction(ended.txn());
        replyToByWaiter.remove(ended.txn());
        for (long waiter : waitedForIt) {
            if (!graph.isWaiting(waiter)) {
                replyToByWaiter.remove(waiter); // its only wait was for the ended transaction
            }
        }
        return this;
    }

    private Behavior<Command> onTick() {
        assert replyToByWaiter.size() == graph.waiterCount() : "every waiter, and only waiters, has a replyTo";
        if (!edgesAddedSinceSearch) {
            return this;
        }
        edgesAddedSinceSearch = false;
        for (long txn : graph.victims()) {
            // The victim's wait is going to fail: drop its edges now so the next search does not pick it again.
            graph.removeWaits(txn);
            ActorRef<Victim> replyTo = replyToByWaiter.remove(txn);
            assert replyTo != null : "victim " + txn + " waits, so it has a replyTo";
            getContext().getLog().info("deadlock: aborting transaction {}, the youngest on a wait-for cycle", txn);
            replyTo.tell(new Victim(txn));
        }
        return this;
    }
}
