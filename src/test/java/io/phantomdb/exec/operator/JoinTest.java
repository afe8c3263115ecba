package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.assertSameRowsAnyOrder;
import static io.phantomdb.exec.operator.StreamTesting.failure;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: hash join and nested-loop join implement every JoinKind with SQL's NULL rules (a NULL key never matches
 * unless the key is null-safe; outer joins pad with NULLs; SEMI/ANTI output each left row at most once), and
 * correlate runs its right side once per left row with that row bound. Method: small inputs (left: id, key;
 * right: key, name) with duplicates and NULL keys, compared with the expected rows worked out by hand.
 */
class JoinTest {
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

    private static Source<Batch, NotUsed> left() {
        return source(2, row("l1", 1), row("l2", 2), row("l3", null), row("l4", 1), row("l5", 9));
    }

    private static Source<Batch, NotUsed> right() {
        return source(2, row(1, "r1"), row(1, "r1b"), row(2, "r2"), row(null, "rn"), row(7, "r7"));
    }

    private List<Object[]> hash(JoinKind kind, boolean nullSafe, Scalar residual) {
        return rows(Operators.hashJoin(left(), right(), new int[] {1}, new int[] {0}, new boolean[] {nullSafe},
                kind, residual, 2, 2, BIG, Bindings.EMPTY, 3), testKit.system(), 3);
    }

    @Test
    void innerJoinPairsEveryMatchAndDropsNullKeys() {
        assertSameRowsAnyOrder(table(row("l1", 1, 1, "r1"), row("l1", 1, 1, "r1b"), row("l2", 2, 2, "r2"),
                row("l4", 1, 1, "r1"), row("l4", 1, 1, "r1b")), hash(JoinKind.INNER, false, null));
    }

    @Test
    void outerJoinsPadTheUnmatchedSideWithNulls() {
        List<Object[]> inner = table(row("l1", 1, 1, "r1"), row("l1", 1, 1, "r1b"), row("l2", 2, 2, "r2"),
                row("l4", 1, 1, "r1"), row("l4", 1, 1, "r1b"));
        List<Object[]> leftPadded = table(row("l3", null, null, null), row("l5", 9, null, null));
        List<Object[]> rightPadded = table(row(null, null, null, "rn"), row(null, null, 7, "r7"));
        assertSameRowsAnyOrder(concat(inner, leftPadded), hash(JoinKind.LEFT, false, null));
        assertSameRowsAnyOrder(concat(inner, rightPadded), hash(JoinKind.RIGHT, false, null));
        assertSameRowsAnyOrder(concat(concat(inner, leftPadded), rightPadded), hash(JoinKind.FULL, false, null));
    }

    @Test
    void nullSafeKeysMatchNullWithNull() {
        assertSameRowsAnyOrder(table(row("l1", 1, 1, "r1"), row("l1", 1, 1, "r1b"), row("l2", 2, 2, "r2"),
                row("l3", null, null, "rn"), row("l4", 1, 1, "r1"), row("l4", 1, 1, "r1b")),
                hash(JoinKind.INNER, true, null));
    }

    @Test
    void semiAndAntiOutputEachLeftRowAtMostOnceInLeftOrder() {
        assertRows(table(row("l1", 1), row("l2", 2), row("l4", 1)), hash(JoinKind.SEMI, false, null));
        assertRows(table(row("l3", null), row("l5", 9)), hash(JoinKind.ANTI, false, null));
        assertRows(table(row("l1", 1), row("l2", 2), row("l3", null), row("l4", 1)), hash(JoinKind.SEMI, true, null));
    }

    @Test
    void residualConditionDecidesMatchesOnTheJoinedRow() {
        Scalar notR1b = (r, b) -> !"r1b".equals(r[3]);
        Scalar unknownForL1 = (r, b) -> "l1".equals(r[0]) ? null : Boolean.TRUE;
        assertSameRowsAnyOrder(table(row("l1", 1, 1, "r1"), row("l2", 2, 2, "r2"), row("l4", 1, 1, "r1"),
                row("l3", null, null, null), row("l5", 9, null, null)), hash(JoinKind.LEFT, false, notR1b));
        assertRows(table(row("l2", 2), row("l4", 1)), hash(JoinKind.SEMI, false, unknownForL1));
        assertRows(table(row("l1", 1), row("l3", null), row("l5", 9)), hash(JoinKind.ANTI, false, unknownForL1));
    }

    @Test
    void keysOfDifferentNumericClassesMatchByValue() {
        Source<Batch, NotUsed> ints = source(2, row(1), row(2), row(3));
        Source<Batch, NotUsed> mixed = source(2, row(new BigDecimal("1.00")), row(2L), row(3.5));
        assertSameRowsAnyOrder(table(row(1, new BigDecimal("1.00")), row(2, 2L)),
                rows(Operators.hashJoin(ints, mixed, new int[] {0}, new int[] {0}, null, JoinKind.INNER, null, 1, 1,
                        BIG, Bindings.EMPTY, 4), testKit.system()));
    }

    @Test
    void emptyBuildSideEndsAnInnerJoinWithoutReadingTheLeft() {
        Source<Batch, NotUsed> infinite = Source.repeat(new Batch(List.<Object[]>of(row("x", 1))));
        Source<Batch, NotUsed> empty = Operators.values(List.of(), 4);
        assertRows(table(), rows(Operators.hashJoin(infinite, empty, new int[] {1}, new int[] {0}, null,
                JoinKind.INNER, null, 2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
        assertRows(table(row("l1", 1, null, null), row("l2", 2, null, null)),
                rows(Operators.limit(Operators.hashJoin(left(), empty, new int[] {1}, new int[] {0}, null,
                        JoinKind.LEFT, null, 2, 2, BIG, Bindings.EMPTY, 4), 0, 2), testKit.system()));
    }

    @Test
    void nestedLoopJoinEvaluatesAnyCondition() {
        Scalar less = (r, b) -> r[1] == null || r[2] == null ? null : (int) r[1] < (int) r[2];
        Source<Batch, NotUsed> nums = source(2, row("a", 1), row("b", 5), row("c", null));
        Source<Batch, NotUsed> bounds = source(2, row(3, "x"), row(6, "y"));
        assertSameRowsAnyOrder(table(row("a", 1, 3, "x"), row("a", 1, 6, "y"), row("b", 5, 6, "y"),
                row("c", null, null, null)), rows(Operators.nestedLoopJoin(nums, bounds, JoinKind.LEFT, less, 2, 2,
                BIG, Bindings.EMPTY, 2), testKit.system(), 2));
        assertSameRowsAnyOrder(table(row("a", 1, 3, "x"), row("a", 1, 6, "y"), row("b", 5, 3, "x"),
                row("b", 5, 6, "y"), row("c", null, 3, "x"), row("c", null, 6, "y")),
                rows(Operators.nestedLoopJoin(nums, bounds, JoinKind.INNER, null, 2, 2, BIG, Bindings.EMPTY, 4),
                        testKit.system(), 4));
    }

    @Test
    void conditionErrorsFailTheJoinWithTheSameException() {
        PhantomSqlException error = new PhantomSqlException(SqlState.DIVISION_BY_ZERO, "division by zero");
        Scalar failing = (r, b) -> {
            throw error;
        };
        assertSame(error, failure(Operators.hashJoin(left(), right(), new int[] {1}, new int[] {0}, null,
                JoinKind.INNER, failing, 2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
        assertSame(error, failure(Operators.nestedLoopJoin(left(), right(), JoinKind.FULL, failing, 2, 2, BIG,
                Bindings.EMPTY, 4), testKit.system()));
    }

    /** Right side of the correlate tests: the numbers 1..n for n = the bound left row's column 1. */
    private static Source<Batch, NotUsed> upTo(Bindings b) {
        return Source.single(1).async().mapConcat(ignored -> {
            Object[] outer = b.correlated(0);
            int n = (Integer) outer[1];
            List<Batch> batches = new java.util.ArrayList<>();
            for (int i = 1; i <= n; i++) {
                batches.add(new Batch(List.<Object[]>of(row(i))));
            }
            return batches;
        });
    }

    @Test
    void correlateRunsTheRightSidePerLeftRowWithThatRowBound() {
        Source<Batch, NotUsed> in = source(2, row("a", 2), row("b", 0), row("c", 1), row("d", 3));
        Bindings b = new StreamTesting.MapBindings();
        assertRows(table(row("a", 2, 1), row("a", 2, 2), row("c", 1, 1), row("d", 3, 1), row("d", 3, 2),
                row("d", 3, 3)), rows(Operators.correlate(in, JoinTest::upTo, 0, JoinKind.INNER, 2, 1, b),
                testKit.system()));
        assertRows(table(row("a", 2, 1), row("a", 2, 2), row("b", 0, null), row("c", 1, 1), row("d", 3, 1),
                row("d", 3, 2), row("d", 3, 3)), rows(Operators.correlate(in, JoinTest::upTo, 0, JoinKind.LEFT, 2, 1,
                BIG, b, 2), testKit.system(), 2));
        assertRows(table(row("a", 2), row("c", 1), row("d", 3)),
                rows(Operators.correlate(in, JoinTest::upTo, 0, JoinKind.SEMI, 2, 1, b), testKit.system()));
        assertRows(table(row("b", 0)), rows(Operators.correlate(in, JoinTest::upTo, 0, JoinKind.ANTI, 2, 1, b),
                testKit.system()));
    }

    @Test
    void correlateNeverLetsARightPlanSeeAnotherRowsBinding() {
        // Each right plan remembers the row bound when it was built and checks it again after an asynchronous
        // delay; an implementation that bound the next row before this plan finished would be caught here.
        List<Object[]> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(row(i));
        }
        Bindings b = new StreamTesting.MapBindings();
        java.util.function.Function<Bindings, Source<Batch, NotUsed>> checking = bindings -> {
            Object[] mine = bindings.correlated(0);
            return Source.single(1).delay(java.time.Duration.ofMillis(1),
                    org.apache.pekko.stream.DelayOverflowStrategy.backpressure())
                    .map(ignored -> new Batch(List.<Object[]>of(row(bindings.correlated(0) == mine))));
        };
        List<Object[]> out = rows(Operators.correlate(Operators.values(many, 7), checking, 0, JoinKind.INNER, 1, 1, b),
                testKit.system());
        List<Object[]> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(row(i, true));
        }
        assertRows(expected, out);
    }

    @Test
    void correlateRejectsOuterRightKinds() {
        assertThrows(IllegalArgumentException.class, () -> Operators.correlate(left(), JoinTest::upTo, 0,
                JoinKind.FULL, 2, 1, Bindings.EMPTY));
    }

    private static List<Object[]> concat(List<Object[]> a, List<Object[]> b) {
        List<Object[]> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
