package io.phantomdb.txn.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Goal: the wait-for graph finds every deadlock and picks victims a user can predict: the youngest transaction
 * (highest id) of a cycle, few of them, and none when there is no cycle; edits and the edge limit behave as
 * documented. Method: hand-built graphs for the named shapes, then a jqwik property over random graphs on a few
 * ids, checked against brute-force searches written independently of the Tarjan-based implementation.
 */
class WaitForGraphTest {
    private static final int EDGES_MAX = 1_000;

    private static WaitForGraph graph(long... waiterHolderPairs) {
        WaitForGraph graph = new WaitForGraph(EDGES_MAX);
        for (int i = 0; i < waiterHolderPairs.length; i += 2) {
            assertTrue(graph.addEdge(waiterHolderPairs[i], waiterHolderPairs[i + 1]));
        }
        return graph;
    }

    @Test
    void twoCycleAbortsTheYoungerTransaction() {
        assertEquals(List.of(7L), graph(3, 7, 7, 3).victims());
        assertEquals(List.of(7L), graph(7, 3, 3, 7).victims());
    }

    @Test
    void threeCycleAbortsItsYoungestTransaction() {
        assertEquals(List.of(30L), graph(10, 20, 20, 30, 30, 10).victims());
        assertEquals(List.of(30L), graph(30, 10, 10, 20, 20, 30).victims());
    }

    @Test
    void twoDisjointCyclesGiveOneVictimEach() {
        assertEquals(List.of(2L, 9L), graph(1, 2, 2, 1, 8, 9, 9, 8).victims());
    }

    @Test
    void chainWithoutCycleHasNoVictim() {
        WaitForGraph graph = graph(1, 2, 2, 3, 3, 4, 1, 3, 5, 4);
        assertEquals(List.of(), graph.victims());
    }

    @Test
    void waitersOutsideTheCycleAreNotVictims() {
        // 9 waits for the cycle but is not on it: the older 5 is aborted, not the youngest waiter overall.
        assertEquals(List.of(5L), graph(4, 5, 5, 4, 9, 4).victims());
    }

    @Test
    void figureEightSharingItsYoungestTransactionNeedsOneVictim() {
        // Loops 1-5 and 2-5 share 5, the youngest of both: aborting it breaks both.
        assertEquals(List.of(5L), graph(1, 5, 5, 1, 2, 5, 5, 2).victims());
    }

    @Test
    void figureEightSharingAnOlderTransactionAbortsOnlyTheSharedOne() {
        // Loops 1-2 and 2-9 share 2. Aborting 9 (youngest of 2-9) would leave 1-2 deadlocked, and aborting 2
        // alone breaks both, so 2 is the only victim: the youngest of loop 1-2.
        assertEquals(List.of(2L), graph(1, 2, 2, 1, 2, 9, 9, 2).victims());
    }

    @Test
    void victimsLeavesTheGraphUnchanged() {
        WaitForGraph graph = graph(1, 2, 2, 1);
        graph.victims();
        assertEquals(2, graph.edgeCount());
        assertEquals(List.of(2L), graph.victims());
    }

    @Test
    void removeTransactionBreaksTheCycleThroughIt() {
        WaitForGraph graph = graph(1, 2, 2, 3, 3, 1, 4, 2);
        assertEquals(Set.of(1L, 4L), Set.copyOf(graph.waitersFor(2)));
        graph.removeTransaction(2);
        assertEquals(List.of(), graph.waitersFor(2));
        assertEquals(List.of(), graph.victims());
        assertEquals(1, graph.edgeCount());
        assertFalse(graph.isWaiting(2));
        assertFalse(graph.isWaiting(4), "4 only waited for 2");
        assertTrue(graph.isWaiting(3));
    }

    @Test
    void removeEdgeAndRemoveWaitsBreakCycles() {
        WaitForGraph graph = graph(1, 2, 2, 1);
        graph.removeEdge(2, 1);
        graph.removeEdge(2, 1); // absent: no effect
        assertEquals(List.of(), graph.victims());
        assertEquals(1, graph.edgeCount());
        graph.addEdge(2, 1);
        graph.addEdge(2, 3);
        graph.removeWaits(2);
        assertEquals(List.of(), graph.victims());
        assertEquals(1, graph.edgeCount());
    }

    @Test
    void refusesNewEdgesPastEdgesMaxButAcceptsRepeatsAndRemovalsFreeRoom() {
        WaitForGraph graph = new WaitForGraph(2);
        assertTrue(graph.addEdge(1, 2));
        assertTrue(graph.addEdge(2, 3));
        assertFalse(graph.addEdge(3, 1));
        assertTrue(graph.addEdge(1, 2), "a repeated edge needs no room");
        assertEquals(2, graph.edgeCount());
        assertEquals(List.of(), graph.victims(), "the refused edge was not recorded");
        graph.removeEdge(1, 2);
        assertTrue(graph.addEdge(3, 2));
        assertEquals(List.of(3L), graph.victims());
    }

    @Test
    void selfLoopIsIgnored() {
        WaitForGraph graph = new WaitForGraph(EDGES_MAX);
        assertTrue(graph.addEdge(4, 4));
        assertEquals(0, graph.edgeCount());
        assertFalse(graph.isWaiting(4));
        assertEquals(List.of(), graph.victims());
    }

    @Provide
    Arbitrary<List<long[]>> edges() {
        Arbitrary<Long> id = Arbitraries.longs().between(1, 8);
        return id.list().ofSize(2).map(pair -> new long[] {pair.get(0), pair.get(1)}).list().ofMaxSize(24);
    }

    @Property(tries = 1_000)
    void victimsBreakEveryCycleAndEachIsTheYoungestOfOne(@ForAll("edges") List<long[]> edges) {
        WaitForGraph graph = new WaitForGraph(EDGES_MAX);
        Map<Long, Set<Long>> reference = new HashMap<>();
        for (long[] edge : edges) {
            graph.addEdge(edge[0], edge[1]);
            if (edge[0] != edge[1]) {
                reference.computeIfAbsent(edge[0], k -> new HashSet<>()).add(edge[1]);
            }
        }
        List<Long> victims = graph.victims();
        assertEquals(victims.stream().distinct().sorted().toList(), victims, "ascending, no repeats");
        assertFalse(hasCycle(reference, Set.copyOf(victims)), "aborting the victims leaves no deadlock");
        for (long victim : victims) {
            assertTrue(isYoungestOfSomeCycle(reference, victim), victim + " is the youngest of a cycle");
            Set<Long> others = new HashSet<>(victims);
            others.remove(victim);
            assertTrue(hasCycle(reference, others), victim + " is needed: without its abort a deadlock remains");
        }
        assertEquals(victims, reversed(edges).victims(), "the result does not depend on the order edges came in");
    }

    private static WaitForGraph reversed(List<long[]> edges) {
        WaitForGraph graph = new WaitForGraph(EDGES_MAX);
        List<long[]> copy = new ArrayList<>(edges);
        Collections.reverse(copy);
        for (long[] edge : copy) {
            graph.addEdge(edge[0], edge[1]);
        }
        return graph;
    }

    /** Brute force: a depth-first search from every node, ignoring the outgoing edges of {@code aborted}. */
    private static boolean hasCycle(Map<Long, Set<Long>> graph, Set<Long> aborted) {
        for (long start : graph.keySet()) {
            if (!aborted.contains(start) && reaches(graph, aborted, start, start, Long.MAX_VALUE, new HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    /** A cycle through {@code txn} whose other members are all older exists iff txn reaches itself through them. */
    private static boolean isYoungestOfSomeCycle(Map<Long, Set<Long>> graph, long txn) {
        return reaches(graph, Set.of(), txn, txn, txn, new HashSet<>());
    }

    /** True if a path of one or more edges leads from {@code from} to {@code target} via nodes below {@code limit}. */
    private static boolean reaches(Map<Long, Set<Long>> graph, Set<Long> aborted, long from, long target, long limit,
            Set<Long> seen) {
        if (aborted.contains(from)) {
            return false;
        }
        for (long next : graph.getOrDefault(from, Set.of())) {
            if (next == target) {
                return true;
            }
            if (next < limit && seen.add(next) && reaches(graph, aborted, next, target, limit, seen)) {
                return true;
            }
        }
        return false;
    }
}
