package io.phantomdb.exec.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Scalar;
import io.phantomdb.exec.Values;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Goal: the merge join computes exactly what the (obviously correct) nested-loop join computes, for every
 * JoinKind, one or two keys, with or without a residual that can be UNKNOWN, and outputs in key order. Method:
 * jqwik generates small inputs of (number key, text key, payload) rows with many NULL and duplicate keys, the
 * number key an INTEGER or a DOUBLE of the same small value (so equal keys of different classes meet); each input
 * is sorted on its keys (NULLS LAST) and cut into random batch sizes, the right one with its columns in another
 * order (so left and right key positions differ). The nested-loop join gets the equivalent three-valued
 * condition; outputs are compared as multisets, and the merge join's output is checked to be sorted by the key
 * of the side each row comes from.
 */
class MergeJoinPropertiesTest {
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);
    private static final int WIDTH = 3;
    /** Left rows are (number, text, payload); right rows (payload, number, text). */
    private static final int LEFT_PAYLOAD = 2;
    private static final int RIGHT_PAYLOAD = 0;
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
        Arbitrary<Object> numberKey = Arbitraries.<Object>oneOf(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2).map(Integer::doubleValue)).injectNull(0.25);
        Arbitrary<String> textKey = Arbitraries.of("x", "y").injectNull(0.25);
        Arbitrary<Integer> payload = Arbitraries.integers().between(0, 9);
        return Combinators.combine(numberKey, textKey, payload).as((a, b, c) -> new Object[] {a, b, c})
                .list().ofMaxSize(8);
    }

    @Property(tries = 500)
    void mergeJoinEqualsNestedLoopJoin(@ForAll("rows") List<Object[]> leftRows,
            @ForAll("rows") List<Object[]> rightRows, @ForAll JoinKind kind,
            @ForAll @IntRange(min = 1, max = 2) int keyCount, @ForAll boolean withResidual,
            @ForAll @IntRange(min = 1, max = 3) int leftBatchRows,
            @ForAll @IntRange(min = 1, max = 3) int rightBatchRows,
            @ForAll @IntRange(min = 1, max = 4) int batchRows) {
        int[] leftKeys = keyCount == 1 ? new int[] {0} : new int[] {0, 1};
        int[] rightKeys = keyCount == 1 ? new int[] {1} : new int[] {1, 2};
        List<Object[]> left = sorted(leftRows, leftKeys);
        List<Object[]> right = sorted(toRightLayout(rightRows), rightKeys);
        // Residual over the joined row: left payload <= right payload, UNKNOWN when the left payload is 5.
        Scalar residual = withResidual ? (r, b) -> (Integer) r[LEFT_PAYLOAD] == 5
                ? null : (Integer) r[LEFT_PAYLOAD] <= (Integer) r[WIDTH + RIGHT_PAYLOAD] : null;
        Scalar condition = (r, b) -> {
            Boolean keysMatch = Boolean.TRUE;
            for (int i = 0; i < leftKeys.length; i++) {
                keysMatch = and(keysMatch, keyEquals(r[leftKeys[i]], r[WIDTH + rightKeys[i]]));
            }
            return residual == null ? keysMatch : and(keysMatch, (Boolean) residual.eval(r, b));
        };
        Source<Batch, NotUsed> merge = Operators.mergeJoin(Operators.values(left, leftBatchRows),
                Operators.values(right, rightBatchRows), leftKeys, rightKeys, kind, residual, WIDTH, WIDTH, BUDGET,
                Bindings.EMPTY, batchRows);
        Source<Batch, NotUsed> nested = Operators.nestedLoopJoin(Operators.values(left, leftBatchRows),
                Operators.values(right, rightBatchRows), kind, condition, WIDTH, WIDTH, BUDGET, Bindings.EMPTY,
                batchRows);
        List<Object[]> expected = StreamTesting.rows(nested, testKit.system(), batchRows);
        List<Object[]> actual = StreamTesting.rows(merge, testKit.system(), batchRows);
        assertEquals(StreamTesting.sortedStrings(expected), StreamTesting.sortedStrings(actual));
        assertKeyOrder(actual, leftKeys, rightKeys);
    }

    /** Output order is by key: a row's key is its left row's, or its right row's when it has no left row. */
    private static void assertKeyOrder(List<Object[]> out, int[] leftKeys, int[] rightKeys) {
        Object[] previous = null;
        for (Object[] row : out) {
            // The payload is never NULL, so a NULL left payload marks a right row padded on the left.
            boolean hasLeft = row[LEFT_PAYLOAD] != null;
            Object[] key = keyOf(row, hasLeft ? leftKeys : rightKeys, hasLeft ? 0 : WIDTH);
            if (previous != null) {
                int[] all = new int[key.length];
                Arrays.setAll(all, i -> i);
                assertTrue(MergeInput.compareKeys(previous, all, key, all) <= 0,
                        "output not in key order at " + Arrays.toString(row));
            }
            previous = key;
        }
    }

    private static Object[] keyOf(Object[] row, int[] keys, int offset) {
        Object[] key = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            key[i] = row[offset + keys[i]];
        }
        return key;
    }

    private static List<Object[]> toRightLayout(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Object[] {r[2], r[0], r[1]});
        }
        return out;
    }

    private static List<Object[]> sorted(List<Object[]> rows, int[] keys) {
        List<SortKey> sortKeys = new ArrayList<>();
        for (int key : keys) {
            sortKeys.add(SortKey.ascending(key));
        }
        List<Object[]> copy = new ArrayList<>(rows);
        copy.sort(new RowComparator(sortKeys));
        return copy;
    }

    /** SQL {@code a = b}: UNKNOWN with a NULL, numbers by value across classes. */
    private static Boolean keyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        return Values.sqlEquals(a, b);
    }

    /** Three-valued AND. */
    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return Boolean.FALSE;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }
}
