package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.awaitReleased;
import static io.phantomdb.exec.operator.StreamTesting.batches;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.RowSizes;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: ORDER BY behaves as in PostgreSQL (NULL placement per key, stable ties, several keys), OFFSET/FETCH on
 * a sort keeps only a bounded top-N, and a big sort is emitted in batches. Method: sort small hand-made inputs and
 * compare with the expected order; measure the budget's peak to tell a top-N heap from a full buffer.
 */
class SortTest {
    private static final MemoryBudget BIG = new MemoryBudget(1L << 30);
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static final Object[][] INPUT = {
        row(2, "b"), row(null, "n1"), row(1, "a"), row(2, "c"), row(null, "n2"), row(3, "d")};

    private List<Object[]> sorted(List<SortKey> keys, long offset, long fetch) {
        return rows(Operators.sort(source(2, INPUT), keys, offset, fetch, BIG, 2), testKit.system(), 2);
    }

    @Test
    void ascendingPutsNullsLastAndKeepsInputOrderOfTies() {
        assertRows(table(row(1, "a"), row(2, "b"), row(2, "c"), row(3, "d"), row(null, "n1"), row(null, "n2")),
                sorted(List.of(SortKey.ascending(0)), 0, -1));
    }

    @Test
    void descendingPutsNullsFirstByDefault() {
        assertRows(table(row(null, "n1"), row(null, "n2"), row(3, "d"), row(2, "b"), row(2, "c"), row(1, "a")),
                sorted(List.of(SortKey.descending(0)), 0, -1));
    }

    @Test
    void explicitNullPlacementOverridesTheDirection() {
        assertRows(table(row(null, "n1"), row(null, "n2"), row(1, "a"), row(2, "b"), row(2, "c"), row(3, "d")),
                sorted(List.of(new SortKey(0, false, true)), 0, -1));
        assertRows(table(row(3, "d"), row(2, "b"), row(2, "c"), row(1, "a"), row(null, "n1"), row(null, "n2")),
                sorted(List.of(new SortKey(0, true, false)), 0, -1));
    }

    @Test
    void laterKeysBreakTiesOfEarlierOnes() {
        assertRows(table(row(1, "a"), row(2, "c"), row(2, "b"), row(3, "d"), row(null, "n2"), row(null, "n1")),
                sorted(List.of(SortKey.ascending(0), new SortKey(1, true, false)), 0, -1));
    }

    @Test
    void offsetAndFetchSelectAStablePrefix() {
        assertRows(table(row(2, "b"), row(2, "c")), sorted(List.of(SortKey.ascending(0)), 1, 2));
        assertRows(table(row(null, "n1"), row(null, "n2")), sorted(List.of(SortKey.ascending(0)), 4, 10));
        assertRows(table(row(3, "d"), row(null, "n1"), row(null, "n2")), sorted(List.of(SortKey.ascending(0)), 3, -1));
        assertRows(table(), sorted(List.of(SortKey.ascending(0)), 0, 0));
    }

    @Test
    void emptyInputSortsToNothing() {
        assertEquals(List.of(), batches(Operators.sort(Operators.values(List.of(), 4), List.of(SortKey.ascending(0)),
                0, 5, BIG, 4), testKit.system()));
    }

    @Test
    void topNRetainsOnlyOffsetPlusFetchRows() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            input.add(row((i * 7919) % 10_000, "row"));
        }
        long rowBytes = RowSizes.estimate(input.get(0));
        MemoryBudget topBudget = new MemoryBudget(1L << 30);
        List<Object[]> top = rows(Operators.sort(Operators.values(input, 100), List.of(SortKey.descending(0)), 5, 3,
                topBudget, 100), testKit.system());
        assertRows(table(row(9994, "row"), row(9993, "row"), row(9992, "row")), top);
        assertTrue(topBudget.peakBytes() < 20 * rowBytes, "top-N held " + topBudget.peakBytes() + " bytes");

        MemoryBudget fullBudget = new MemoryBudget(1L << 30);
        rows(Operators.sort(Operators.values(input, 100), List.of(SortKey.descending(0)), 5, -1, fullBudget, 100),
                testKit.system());
        assertTrue(fullBudget.peakBytes() > 10_000 * rowBytes, "full sort held " + fullBudget.peakBytes());
        awaitReleased(topBudget);
        awaitReleased(fullBudget);
    }

    @Test
    void largeSortIsEmittedInBatchesAndReleasesItsMemoryWhenCancelled() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            input.add(row(100_000 - i));
        }
        MemoryBudget budget = new MemoryBudget(1L << 30);
        Source<Batch, NotUsed> sorted = Operators.sort(Operators.values(input, 1000), List.of(SortKey.ascending(0)),
                0, -1, budget, 1000);
        List<Batch> out = batches(sorted, testKit.system());
        assertEquals(100, out.size());
        assertEquals(1, out.get(0).rows().get(0)[0]);
        assertEquals(100_000, out.get(99).rows().get(999)[0]);
        awaitReleased(budget);

        List<Batch> first = batches(sorted.take(1), testKit.system());
        assertEquals(1, first.size());
        awaitReleased(budget);
    }
}
