package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.awaitReleased;
import static io.phantomdb.exec.operator.StreamTesting.failure;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: every operator that retains rows stays inside the query's memory budget: over budget the stream fails
 * with 53200 (not an OutOfMemoryError), the same plan succeeds with a bigger budget, and either way all it
 * reserved is released once the stream stops. Method: each operator over 2,000 distinct rows (about 100 KB of
 * estimates) with a 20 KB budget, then with a 64 MB one.
 */
class MemoryBudgetTest {
    private static final int ROWS = 2000;
    private static final long SMALL_BYTES = 20_000;
    private static final long LARGE_BYTES = 64L << 20;
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static Source<Batch, NotUsed> input() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(row(i, "value " + i));
        }
        return Operators.values(rows, 100);
    }

    /** The plan named {@code operator}, retaining all {@link #ROWS} input rows, under {@code budget}. */
    private static Source<Batch, NotUsed> plan(String operator, MemoryBudget budget) {
        Function<Bindings, Source<Batch, NotUsed>> wholeInput = b -> input();
        switch (operator) {
            case "sort":
                return Operators.sort(input(), List.of(SortKey.descending(0)), 0, -1, budget, 100);
            case "hashAggregate":
                return Operators.hashAggregate(input(), new int[] {0},
                        List.of(AggregateCall.of(AggregateKind.COUNT_STAR, DataType.BIGINT)), budget, 100);
            case "distinctAggregate":
                return Operators.hashAggregate(input(), new int[0], List.of(new AggregateCall(AggregateKind.COUNT,
                        new int[] {1}, true, DataType.BIGINT, -1, -1)), budget, 100);
            case "hashJoin":
                return Operators.hashJoin(input(), input(), new int[] {0}, new int[] {0}, null, JoinKind.INNER, null,
                        2, 2, budget, Bindings.EMPTY, 100);
            case "nestedLoopJoin":
                return Operators.nestedLoopJoin(Operators.limit(input(), 0, 3), input(), JoinKind.SEMI, null, 2, 2,
                        budget, Bindings.EMPTY, 100);
            case "union":
                return Operators.union(List.of(input(), input()), false, budget, 100);
            case "intersect":
                return Operators.intersect(List.of(input(), input()), true, budget, 100);
            case "except":
                return Operators.except(List.of(input(), input()), false, budget, 100);
            case "correlate":
                return Operators.correlate(Operators.limit(input(), 0, 2), wholeInput, 0, JoinKind.INNER, 2, 2, budget,
                        new StreamTesting.MapBindings(), 100);
            default:
                throw new IllegalArgumentException(operator);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sort", "hashAggregate", "distinctAggregate", "hashJoin", "nestedLoopJoin", "union",
        "intersect", "except", "correlate"})
    void overBudgetFailsWith53200AndABiggerBudgetPasses(String operator) {
        MemoryBudget small = new MemoryBudget(SMALL_BYTES);
        Throwable error = failure(plan(operator, small), testKit.system());
        assertInstanceOf(PhantomSqlException.class, error, "failure: " + error);
        assertEquals(SqlState.OUT_OF_MEMORY, ((PhantomSqlException) error).state());
        assertTrue(error.getMessage().contains(SMALL_BYTES + " bytes"), error.getMessage());
        awaitReleased(small);

        MemoryBudget large = new MemoryBudget(LARGE_BYTES);
        List<Object[]> out = rows(plan(operator, large), testKit.system(), 100);
        assertTrue(large.peakBytes() > SMALL_BYTES, operator + " reserved only " + large.peakBytes());
        assertTrue(!out.isEmpty() || operator.equals("except"), operator + " produced nothing");
        awaitReleased(large);
    }
}
