package io.phantomdb.txn.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One victim search over a snapshot of a wait-for graph (see {@link WaitForGraph#victims}).
 *
 * <p>Method: Tarjan's algorithm finds the strongly connected components with a cycle. A component's youngest
 * transaction (highest id) is on a cycle and is the youngest member of every cycle through it, so it is picked
 * and its outgoing edges are cut; the component is searched again until no cycle is left. Picking the youngest
 * first can pick more victims than needed (a figure-eight whose shared transaction is older than one loop's
 * end), so a last pass un-picks, oldest first, every victim whose abort is not needed to keep the component
 * acyclic.
 *
 * <p>Cost: O(V + E) when each component needs one victim; O(k (V + E)) per component needing k victims.
 * Transactions are numbered 0..n-1 in ascending id order, so comparing numbers compares ages.
 */
final class CycleBreaker {
    private final long[] ids;
    private final int[][] successors;
    /** Picked victims: their outgoing edges no longer count. */
    private final boolean[] aborted;

    // Tarjan scratch space, reused by every search. member[v] == stamp marks the nodes of the current search.
    private final int[] member;
    private int stamp;
    private final int[] order;
    private final int[] low;
    private final boolean[] onStack;
    private final int[] componentStack;
    private final int[] callStack;
    private final int[] edgeCursor;

    /** Only waiters can be on a cycle, so holders that wait for nobody are left out. */
    CycleBreaker(Map<Long, Set<Long>> holdersByWaiter) {
        ids = holdersByWaiter.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int n = ids.length;
        Map<Long, Integer> number = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            number.put(ids[i], i);
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) {
            successors[i] = holdersByWaiter.get(ids[i]).stream().map(number::get).filter(Objects::nonNull)
                    .mapToInt(Integer::intValue).sorted().toArray();
        }
        aborted = new boolean[n];
        member = new int[n];
        order = new int[n];
        low = new int[n];
        onStack = new boolean[n];
        componentStack = new int[n];
        callStack = new int[n];
        edgeCursor = new int[n];
    }

    List<Long> victims() {
        int[] everyone = new int[ids.length];
        Arrays.setAll(everyone, i -> i);
        List<Long> result = new ArrayList<>();
        for (int[] component : cyclicComponents(everyone)) {
            for (int victim : breakComponent(component)) {
                result.add(ids[victim]);
            }
        }
        result.sort(null);
        return result;
    }

    /** Picks victims in one strongly connected component until it has no cycle left, then drops unneeded ones. */
    private List<Integer> breakComponent(int[] component) {
        List<Integer> picked = new ArrayList<>();
        Deque<int[]> pending = new ArrayDeque<>();
        pending.push(component);
        while (!pending.isEmpty()) {
            int[] cyclic = pending.pop();
            int youngest = Arrays.stream(cyclic).max().orElseThrow();
            assert !aborted[youngest] : "an aborted transaction has no outgoing edge, so it is on no cycle";
            aborted[youngest] = true;
            picked.add(youngest);
            // Each round aborts a new member, so the loop ends within component.length rounds.
            assert picked.size() <= component.length;
            for (int[] rest : cyclicComponents(cyclic)) {
                pending.push(rest);
            }
        }
        unpickUnneeded(component, picked);
        assert !picked.isEmpty();
        return picked;
    }

    /** Oldest first, so that where either of two victims would do, the younger one is the one aborted. */
    private void unpickUnneeded(int[] component, List<Integer> picked) {
        if (picked.size() < 2) {
            return; // the component has a cycle, so its only victim is needed
        }
        picked.sort(null);
        Iterator<Integer> it = picked.iterator();
        while (it.hasNext()) {
            int victim = it.next();
            aborted[victim] = false;
            if (cyclicComponents(component).isEmpty()) {
                it.remove();
            } else {
                aborted[victim] = true;
            }
        }
    }

    /** Tarjan's algorithm (iterative, so long wait chains cannot overflow the stack) over {@code nodes} only. */
    private List<int[]> cyclicComponents(int[] nodes) {
        stamp++;
        for (int v : nodes) {
            member[v] = stamp;
            order[v] = -1;
        }
        List<int[]> found = new ArrayList<>();
        int counter = 0;
        int componentTop = 0;
        for (int root : nodes) {
            if (order[root] != -1) {
                continue;
            }
            int callTop = 0;
            callStack[0] = root;
            edgeCursor[0] = 0;
            order[root] = low[root] = counter++;
            componentStack[componentTop++] = root;
            onStack[root] = true;
            while (callTop >= 0) {
                int v = callStack[callTop];
                int w = nextSuccessor(v, callTop);
                if (w >= 0 && order[w] == -1) {
                    callTop++;
                    callStack[callTop] = w;
                    edgeCursor[callTop] = 0;
                    order[w] = low[w] = counter++;
                    componentStack[componentTop++] = w;
                    onStack[w] = true;
                } else if (w >= 0) {
                    if (onStack[w]) {
                        low[v] = Math.min(low[v], order[w]);
                    }
                } else {
                    callTop--;
                    if (callTop >= 0) {
                        int parent = callStack[callTop];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                    if (low[v] == order[v]) {
                        componentTop = popComponent(v, componentTop, found);
                    }
                }
            }
        }
        assert componentTop == 0 : "every visited node ends in a component";
        return found;
    }

    /** The next successor of the node at call depth {@code depth} inside the current search, or -1. */
    private int nextSuccessor(int v, int depth) {
        if (aborted[v]) {
            return -1;
        }
        int[] next = successors[v];
        while (edgeCursor[depth] < next.length) {
            int w = next[edgeCursor[depth]++];
            if (member[w] == stamp) {
                return w;
            }
        }
        return -1;
    }

    /** Pops the component rooted at {@code root}; keeps it if it has a cycle (two or more members). */
    private int popComponent(int root, int componentTop, List<int[]> found) {
        int start = componentTop;
        do {
            start--;
            onStack[componentStack[start]] = false;
        } while (componentStack[start] != root);
        if (componentTop - start >= 2) {
            found.add(Arrays.copyOfRange(componentStack, start, componentTop));
        }
        return start;
    }
}
