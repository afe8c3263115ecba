package io.phantomdb.exec.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Scalar;
import java.util.List;
import java.util.Objects;
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
 * Goal: the hash join computes exactly what the (obviously correct) nested-loop join computes, for every
 * JoinKind, one or two keys, null-safe or not, with or without a residual that can be UNKNOWN. Method: jqwik
 * generates small inputs of (int key, text key, payload) rows with many NULL and duplicate keys and random batch
 * sizes; the nested-loop join gets the equivalent three-valued condition; outputs are compared as multisets.
 */
class JoinPropertiesTest {
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);
    private static final int WIDTH = 3;
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
        Arbitrary<Integer> intKey = Arbitraries.integers().between(0, 2).injectNull(0.25);
        Arbitrary<String> textKey = Arbitraries.of("x", "y").injectNull(0.25);
        Arbitrary<Integer> payload = Arbitraries.integers().between(0, 9);
        return Combinators.combine(intKey, textKey, payload).as((a, b, c) -> new Object[] {a, b, c})
                .list().ofMaxSize(8);
    }

    @Property(tries = 300)
    void hashJoinEqualsNestedLoopJoin(@ForAll("rows") List<Object[]> left, @ForAll("rows") List<Object[]> right,
            @ForAll JoinKind kind, @ForAll @IntRange(min = 1, max = 2) int keyCount, @ForAll boolean nullSafeInt,
            @ForAll boolean nullSafeText, @ForAll boolean withResidual, @ForAll @IntRange(min = 1, max = 4) int batchRows) {
        int[] keys = keyCount == 1 ? new int[] {0} : new int[] {0, 1};
        boolean[] nullSafe = keyCount == 1 ? new boolean[] {nullSafeInt} : new boolean[] {nullSafeInt, nullSafeText};
        // Residual over the joined row: left payload <= right payload, UNKNOWN when the left payload is 5.
        Scalar residual = withResidual
                ? (r, b) -> (Integer) r[2] == 5 ? null : (Integer) r[2] <= (Integer) r[WIDTH + 2] : null;
        Scalar condition = (r, b) -> {
            Boolean keysMatch = Boolean.TRUE;
            for (int i = 0; i < keys.length; i++) {
                keysMatch = and(keysMatch, keyEquals(r[keys[i]], r[WIDTH + keys[i]], nullSafe[i]));
            }
            return residual == null ? keysMatch : and(keysMatch, (Boolean) residual.eval(r, b));
        };
        Source<Batch, NotUsed> hash = Operators.hashJoin(Operators.values(left, batchRows),
                Operators.values(right, batchRows), keys, keys, nullSafe, kind, residual, WIDTH, WIDTH, BUDGET,
                Bindings.EMPTY, batchRows);
        Source<Batch, NotUsed> nested = Operators.nestedLoopJoin(Operators.values(left, batchRows),
                Operators.values(right, batchRows), kind, condition, WIDTH, WIDTH, BUDGET, Bindings.EMPTY, batchRows);
        List<Object[]> expected = StreamTesting.rows(nested, testKit.system(), batchRows);
        List<Object[]> actual = StreamTesting.rows(hash, testKit.system(), batchRows);
        assertEquals(StreamTesting.sortedStrings(expected), StreamTesting.sortedStrings(actual));
    }

    /** SQL {@code a = b} (UNKNOWN with a NULL), or {@code a IS NOT DISTINCT FROM b} when null-safe. */
    private static Boolean keyEquals(Object a, Object b, boolean nullSafe) {
        if (a == null || b == null) {
            return nullSafe ? Boolean.valueOf(a == b) : null;
        }
        return Objects.equals(a, b);
    }

    /** Three-valued AND. */
    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return Boolean.FALSE;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }
}
