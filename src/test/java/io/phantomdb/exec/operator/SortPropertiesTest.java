package io.phantomdb.exec.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.exec.MemoryBudget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Goal: the sort operator (full sort and top-N heap alike) returns exactly what a stable Java sort followed by
 * OFFSET/FETCH returns, for any keys, directions and NULL placements. Method: jqwik generates rows of (small int,
 * short ASCII text, arrival number) with NULLs and ties; the reference comparator is written independently of
 * {@code Values}; outputs are compared in order, so instability shows up through the arrival numbers.
 */
class SortPropertiesTest {
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);
    private static ActorTestKit testKit;

    @BeforeContainer
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterContainer
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Provide
    Arbitrary<List<Object[]>> rows() {
        Arbitrary<Integer> number = Arbitraries.integers().between(-3, 3).injectNull(0.2);
        Arbitrary<String> text = Arbitraries.of("", "a", "ab", "b", "B").injectNull(0.2);
        return Combinators.combine(number, text).as((n, t) -> new Object[] {n, t, 0}).list().ofMaxSize(30)
                .map(list -> {
                    for (int i = 0; i < list.size(); i++) {
                        list.get(i)[2] = i;
                    }
                    return list;
                });
    }

    @Provide
    Arbitrary<List<SortKey>> keys() {
        Arbitrary<SortKey> key = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(SortKey::new);
        return key.list().ofMinSize(1).ofMaxSize(2);
    }

    @Property(tries = 300)
    void sortEqualsAStableJavaSortWithOffsetAndFetch(@ForAll("rows") List<Object[]> rows,
            @ForAll("keys") List<SortKey> keys, @ForAll @IntRange(min = 0, max = 5) int offset,
            @ForAll @IntRange(min = -1, max = 8) int fetch, @ForAll @IntRange(min = 1, max = 7) int batchRows) {
        List<Object[]> expected = new ArrayList<>(rows);
        expected.sort(reference(keys));
        int from = Math.min(offset, expected.size());
        int to = fetch < 0 ? expected.size() : Math.min(expected.size(), from + fetch);
        List<Object[]> actual = StreamTesting.rows(Operators.sort(Operators.values(rows, batchRows), keys, offset, fetch,
                BUDGET, batchRows), testKit.system(), batchRows);
        assertEquals(StreamTesting.lists(expected.subList(from, to)), StreamTesting.lists(actual));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Object[]> reference(List<SortKey> keys) {
        return (a, b) -> {
            for (SortKey key : keys) {
                Comparable x = (Comparable) a[key.column()];
                Comparable y = (Comparable) b[key.column()];
                if (x == null && y == null) {
                    continue;
                }
                if (x == null || y == null) {
                    return (x == null) == key.nullsFirst() ? -1 : 1;
                }
                int order = x.compareTo(y);
                if (order != 0) {
                    return key.descending() ? -order : order;
                }
            }
            return 0;
        };
    }
}
