package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.awaitReleased;
import static io.phantomdb.exec.operator.StreamTesting.failure;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Scalar;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: the merge join implements every JoinKind over key-sorted inputs with SQL's rules (a NULL key never
 * matches, outer joins pad with NULLs, SEMI/ANTI output each left row at most once, a left row whose candidates
 * all fail the residual is unmatched), outputs in key order, streams both inputs (it stops reading an input as
 * soon as no more output can come from it, and retains only one key group), and fails and releases its memory
 * like the other operators. Method: small sorted inputs (left: id, key; right: key, name) with duplicates and
 * NULL keys, cut into batches of 1, 2 or 3 rows so that batch boundaries fall inside equal-key groups, compared
 * row by row, in order, with expected output worked out by hand; infinite or failing sources for completion and
 * failure.
 */
class MergeJoinTest {
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

    /** Sorted by key, NULLS LAST; key 1 is duplicated on both sides. */
    private static Source<Batch, NotUsed> left(int batchRows) {
        return source(batchRows, row("l1", 1), row("l4", 1), row("l2", 2), row("l5", 9), row("l3", null));
    }

    private static Source<Batch, NotUsed> right(int batchRows) {
        return source(batchRows, row(1, "r1"), row(1, "r1b"), row(2, "r2"), row(7, "r7"), row(null, "rn"));
    }

    private static List<Object[]> merge(JoinKind kind, Scalar residual, int inputRows, int outputRows) {
        return rows(Operators.mergeJoin(left(inputRows), right(inputRows), new int[] {1}, new int[] {0}, kind,
                residual, 2, 2, BIG, Bindings.EMPTY, outputRows), testKit.system(), outputRows);
    }

    private static List<Object[]> inner() {
        return table(row("l1", 1, 1, "r1"), row("l1", 1, 1, "r1b"), row("l4", 1, 1, "r1"), row("l4", 1, 1, "r1b"),
                row("l2", 2, 2, "r2"));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "1, 2", "2, 2", "3, 2", "2, 3", "100, 100"})
    void everyKindPairsEqualKeysAndPadsTheUnmatchedInKeyOrder(int inputRows, int outputRows) {
        assertRows(inner(), merge(JoinKind.INNER, null, inputRows, outputRows));
        assertRows(concat(inner(), table(row("l5", 9, null, null), row("l3", null, null, null))),
                merge(JoinKind.LEFT, null, inputRows, outputRows));
        assertRows(concat(inner(), table(row(null, null, 7, "r7"), row(null, null, null, "rn"))),
                merge(JoinKind.RIGHT, null, inputRows, outputRows));
        assertRows(concat(inner(), table(row(null, null, 7, "r7"), row("l5", 9, null, null),
                row("l3", null, null, null), row(null, null, null, "rn"))),
                merge(JoinKind.FULL, null, inputRows, outputRows));
        assertRows(table(row("l1", 1), row("l4", 1), row("l2", 2)), merge(JoinKind.SEMI, null, inputRows,
                outputRows));
        assertRows(table(row("l5", 9), row("l3", null)), merge(JoinKind.ANTI, null, inputRows, outputRows));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "2, 4", "4, 3"})
    void equalKeyGroupsOnBothSidesGiveTheirCrossProductAcrossBatchBoundaries(int inputRows, int outputRows) {
        Source<Batch, NotUsed> lefts = source(inputRows, row("a1", 5), row("a2", 5), row("a3", 5), row("z", 6));
        Source<Batch, NotUsed> rights = source(inputRows, row(4, "b0"), row(5, "b1"), row(5, "b2"), row(5, "b3"));
        List<Object[]> expected = new ArrayList<>();
        for (String a : List.of("a1", "a2", "a3")) {
            for (String b : List.of("b1", "b2", "b3")) {
                expected.add(row(a, 5, 5, b));
            }
        }
        assertRows(expected, rows(Operators.mergeJoin(lefts, rights, new int[] {1}, new int[] {0}, JoinKind.INNER,
                null, 2, 2, BIG, Bindings.EMPTY, outputRows), testKit.system(), outputRows));
    }

    @Test
    void residualDecidesMatchesAndAnOuterRowWhoseCandidatesAllFailIsPadded() {
        Scalar notR1b = (r, b) -> !"r1b".equals(r[3]);
        Scalar unknownForL1 = (r, b) -> "l1".equals(r[0]) ? null : Boolean.TRUE;
        assertRows(table(row("l1", 1, 1, "r1"), row("l4", 1, 1, "r1"), row("l2", 2, 2, "r2"),
                row("l5", 9, null, null), row("l3", null, null, null)), merge(JoinKind.LEFT, notR1b, 1, 2));
        // The group's right row no left row matched is padded when the group ends, before the next key.
        assertRows(table(row("l1", 1, 1, "r1"), row("l4", 1, 1, "r1"), row(null, null, 1, "r1b"),
                row("l2", 2, 2, "r2"), row(null, null, 7, "r7"), row("l5", 9, null, null),
                row("l3", null, null, null), row(null, null, null, "rn")), merge(JoinKind.FULL, notR1b, 2, 3));
        assertRows(table(row("l1", 1, null, null), row("l4", 1, 1, "r1"), row("l4", 1, 1, "r1b"),
                row("l2", 2, 2, "r2"), row("l5", 9, null, null), row("l3", null, null, null)),
                merge(JoinKind.LEFT, unknownForL1, 2, 2));
        assertRows(table(row("l4", 1), row("l2", 2)), merge(JoinKind.SEMI, unknownForL1, 1, 1));
        assertRows(table(row("l1", 1), row("l5", 9), row("l3", null)), merge(JoinKind.ANTI, unknownForL1, 1, 1));
        // Only the second row of the key-1 group passes: SEMI and ANTI must try the whole group, not its first row.
        Scalar onlyR1b = (r, b) -> "r1b".equals(r[3]);
        assertRows(table(row("l1", 1), row("l4", 1)), merge(JoinKind.SEMI, onlyR1b, 1, 2));
        assertRows(table(row("l2", 2), row("l5", 9), row("l3", null)), merge(JoinKind.ANTI, onlyR1b, 2, 1));
    }

    @Test
    void aNullInAnyKeyColumnNeverMatchesButIsStillOutputByOuterJoins() {
        // Two keys, sorted NULLS LAST per column: (1, null) sorts after (1, 'x') and before (2, 'x').
        Source<Batch, NotUsed> lefts = source(1, row(1, "x", "a"), row(1, null, "b"), row(2, "x", "c"));
        Source<Batch, NotUsed> rights = source(2, row("p", 1, "x"), row("q", 1, null), row("s", 2, "x"));
        assertRows(table(row(1, "x", "a", "p", 1, "x"), row(1, null, "b", null, null, null),
                row(null, null, null, "q", 1, null), row(2, "x", "c", "s", 2, "x")),
                rows(Operators.mergeJoin(lefts, rights, new int[] {0, 1}, new int[] {1, 2}, JoinKind.FULL, null, 3, 3,
                        BIG, Bindings.EMPTY, 2), testKit.system(), 2));
    }

    @Test
    void keysOfDifferentNumericClassesMatchAndOrderByValue() {
        Source<Batch, NotUsed> ints = source(2, row(1), row(2), row(2), row(3));
        Source<Batch, NotUsed> doubles = source(1, row(1.0), row(2.0), row(2.5), row(3.0));
        assertRows(table(row(1, 1.0), row(2, 2.0), row(2, 2.0), row(null, 2.5), row(3, 3.0)),
                rows(Operators.mergeJoin(ints, doubles, new int[] {0}, new int[] {0}, JoinKind.FULL, null, 1, 1, BIG,
                        Bindings.EMPTY, 4), testKit.system()));
        Source<Batch, NotUsed> mixed = source(2, row(new BigDecimal("0.50")), row(1L), row(2.0f));
        assertRows(table(row(1, 1L), row(2, 2.0f)), rows(Operators.mergeJoin(source(3, row(1), row(2)), mixed,
                new int[] {0}, new int[] {0}, JoinKind.INNER, null, 1, 1, BIG, Bindings.EMPTY, 4), testKit.system()));
    }

    @ParameterizedTest
    @EnumSource(JoinKind.class)
    void anEmptySideLeavesOnlyTheOtherSidesUnmatchedRows(JoinKind kind) {
        Source<Batch, NotUsed> empty = Operators.values(List.of(), 2);
        List<Object[]> leftOnly = switch (kind) {
            case LEFT, FULL -> table(row("l1", 1, null, null), row("l4", 1, null, null), row("l2", 2, null, null),
                    row("l5", 9, null, null), row("l3", null, null, null));
            case ANTI -> table(row("l1", 1), row("l4", 1), row("l2", 2), row("l5", 9), row("l3", null));
            default -> table();
        };
        List<Object[]> rightOnly = kind == JoinKind.RIGHT || kind == JoinKind.FULL
                ? table(row(null, null, 1, "r1"), row(null, null, 1, "r1b"), row(null, null, 2, "r2"),
                        row(null, null, 7, "r7"), row(null, null, null, "rn"))
                : table();
        assertRows(leftOnly, rows(Operators.mergeJoin(left(2), empty, new int[] {1}, new int[] {0}, kind, null, 2,
                2, BIG, Bindings.EMPTY, 2), testKit.system(), 2));
        assertRows(rightOnly, rows(Operators.mergeJoin(empty, right(2), new int[] {1}, new int[] {0}, kind, null, 2,
                2, BIG, Bindings.EMPTY, 2), testKit.system(), 2));
        assertRows(table(), rows(Operators.mergeJoin(empty, empty, new int[] {1}, new int[] {0}, kind, null, 2, 2,
                BIG, Bindings.EMPTY, 2), testKit.system()));
    }

    /** Rows (key, "n") for key = 0, 1, 2, ... without end, two per batch; {@code read} counts the rows made. */
    private static Source<Batch, NotUsed> endless(AtomicInteger read) {
        Iterable<Batch> batches = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                int key = read.getAndAdd(2);
                return new Batch(List.of(row(key, "n"), row(key + 1, "n")));
            }
        };
        return Source.from(batches);
    }

    @Test
    void anInputNoMoreOutputCanComeFromIsCancelledNotReadToTheEnd() {
        AtomicInteger read = new AtomicInteger();
        assertRows(table(row("a", 1, 1, "n"), row("b", 2, 2, "n")), rows(Operators.mergeJoin(
                source(1, row("a", 1), row("b", 2)), endless(read), new int[] {1}, new int[] {0}, JoinKind.INNER, null,
                2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
        assertTrue(read.get() < 100, "read " + read.get() + " right rows after the left input ended");
        // ANTI after the right input ended keeps reading the left; RIGHT stops reading the left.
        assertRows(table(row("x", 3)), rows(Operators.mergeJoin(source(1, row("x", 3)), source(1, row(1, "r")),
                new int[] {1}, new int[] {0}, JoinKind.ANTI, null, 2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
        AtomicInteger readLeft = new AtomicInteger();
        assertRows(table(row(null, null, -1, "r"), row(0, "n", 0, "r")), rows(Operators.mergeJoin(endless(readLeft),
                source(1, row(-1, "r"), row(0, "r")), new int[] {0}, new int[] {0}, JoinKind.RIGHT, null, 2, 2,
                BIG, Bindings.EMPTY, 4), testKit.system()));
        assertTrue(readLeft.get() < 100, "read " + readLeft.get() + " left rows after the right input ended");
        Source<Batch, NotUsed> empty = Operators.values(List.of(), 2);
        assertRows(table(), rows(Operators.mergeJoin(endless(new AtomicInteger()), empty, new int[] {0},
                new int[] {0}, JoinKind.SEMI, null, 2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
        assertRows(table(), rows(Operators.mergeJoin(empty, endless(new AtomicInteger()), new int[] {0},
                new int[] {0}, JoinKind.LEFT, null, 2, 2, BIG, Bindings.EMPTY, 4), testKit.system()));
    }

    @Test
    void retainsOneKeyGroupOnlySoInputsLargerThanTheBudgetJoin() {
        MemoryBudget small = new MemoryBudget(20_000);
        List<Object[]> distinct = new ArrayList<>();
        List<Object[]> sameKey = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            distinct.add(row(i, "value " + i));
            sameKey.add(row(7, "value " + i));
        }
        List<Object[]> out = rows(Operators.mergeJoin(Operators.values(distinct, 100),
                Operators.values(distinct, 100), new int[] {0}, new int[] {0}, JoinKind.FULL, null, 2, 2, small,
                Bindings.EMPTY, 100), testKit.system(), 100);
        assertEquals(2000, out.size());
        awaitReleased(small);

        Throwable error = failure(Operators.mergeJoin(source(1, row(7, "x")), Operators.values(sameKey, 100),
                new int[] {0}, new int[] {0}, JoinKind.INNER, null, 2, 2, small, Bindings.EMPTY, 100),
                testKit.system());
        assertInstanceOf(PhantomSqlException.class, error, "failure: " + error);
        assertEquals(SqlState.OUT_OF_MEMORY, ((PhantomSqlException) error).state());
        awaitReleased(small);
    }

    @Test
    void outputIsLazySoALimitOverAHugeCrossProductStopsEarlyAndReleases() {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        List<Object[]> sameKey = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            sameKey.add(row(1, i));
        }
        // 3000 x 3000 = 9M output rows if it were not lazy.
        Source<Batch, NotUsed> join = Operators.mergeJoin(Operators.values(sameKey, 500),
                Operators.values(sameKey, 500), new int[] {0}, new int[] {0}, JoinKind.INNER, null, 2, 2, budget,
                Bindings.EMPTY, 10);
        assertRows(table(row(1, 0, 1, 0), row(1, 0, 1, 1), row(1, 0, 1, 2)),
                rows(Operators.limit(join, 0, 3), testKit.system()));
        awaitReleased(budget);
    }

    @Test
    void failuresOfAnInputOrTheResidualFailTheJoinWithTheSameExceptionAndRelease() {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        PhantomSqlException error = new PhantomSqlException(SqlState.DIVISION_BY_ZERO, "division by zero");
        Source<Batch, NotUsed> failingRight = right(2).concat(Source.failed(error));
        assertSame(error, failure(Operators.mergeJoin(left(2), failingRight, new int[] {1}, new int[] {0},
                JoinKind.FULL, null, 2, 2, budget, Bindings.EMPTY, 2), testKit.system()));
        Source<Batch, NotUsed> failingLeft = source(2, row("l1", 1)).concat(Source.failed(error));
        assertSame(error, failure(Operators.mergeJoin(failingLeft, right(2), new int[] {1}, new int[] {0},
                JoinKind.INNER, null, 2, 2, budget, Bindings.EMPTY, 2), testKit.system()));
        Scalar failing = (r, b) -> {
            throw error;
        };
        assertSame(error, failure(Operators.mergeJoin(left(2), right(2), new int[] {1}, new int[] {0},
                JoinKind.LEFT, failing, 2, 2, budget, Bindings.EMPTY, 2), testKit.system()));
        awaitReleased(budget);
    }

    @Test
    void anInputOutOfKeyOrderFailsInsteadOfLosingMatches() {
        Source<Batch, NotUsed> unsorted = source(1, row(2, "r2"), row(1, "r1"));
        Throwable error = failure(Operators.mergeJoin(left(2), unsorted, new int[] {1}, new int[] {0},
                JoinKind.INNER, null, 2, 2, BIG, Bindings.EMPTY, 2), testKit.system());
        assertInstanceOf(IllegalStateException.class, error);
        assertTrue(error.getMessage().contains("right input is not sorted"), error.getMessage());
    }

    private static List<Object[]> concat(List<Object[]> a, List<Object[]> b) {
        List<Object[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
