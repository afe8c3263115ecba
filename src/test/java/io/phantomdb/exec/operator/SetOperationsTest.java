package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;

import io.phantomdb.exec.Batch;
import io.phantomdb.exec.MemoryBudget;
import java.math.BigDecimal;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: UNION, INTERSECT and EXCEPT follow SQL's bag semantics for ALL and set semantics otherwise, with NULLs
 * equal to each other and numbers equal by value. Method: inputs with known multiplicities (a x3, b x1, NULL x2
 * against a x2, NULL x1, c x1) and the results counted by hand.
 */
class SetOperationsTest {
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

    private static Source<Batch, NotUsed> first() {
        return source(2, row("a"), row("b"), row("a"), row((Object) null), row("a"), row((Object) null));
    }

    private static Source<Batch, NotUsed> second() {
        return source(2, row("a"), row((Object) null), row("c"), row("a"));
    }

    private static List<Source<Batch, NotUsed>> both() {
        return List.of(first(), second());
    }

    @Test
    void unionAllConcatenatesAndUnionRemovesDuplicates() {
        assertRows(table(row("a"), row("b"), row("a"), row((Object) null), row("a"), row((Object) null), row("a"),
                row((Object) null), row("c"), row("a")), rows(Operators.union(both(), true, BIG, 3), testKit.system(), 3));
        assertRows(table(row("a"), row("b"), row((Object) null), row("c")),
                rows(Operators.union(both(), false, BIG, 3), testKit.system(), 3));
    }

    @Test
    void unionTreatsEqualNumbersOfDifferentScaleAsDuplicates() {
        Source<Batch, NotUsed> decimals = source(2, row(new BigDecimal("1.0"), 2), row(new BigDecimal("1.00"), 2),
                row(new BigDecimal("1.5"), 2));
        assertRows(table(row(new BigDecimal("1.0"), 2), row(new BigDecimal("1.5"), 2)),
                rows(Operators.union(List.of(decimals), false, BIG, 3), testKit.system()));
    }

    @Test
    void intersectAllKeepsTheSmallerCountAndIntersectKeepsOne() {
        assertRows(table(row("a"), row("a"), row((Object) null)),
                rows(Operators.intersect(both(), true, BIG, 3), testKit.system(), 3));
        assertRows(table(row("a"), row((Object) null)), rows(Operators.intersect(both(), false, BIG, 3),
                testKit.system()));
    }

    @Test
    void exceptAllSubtractsCountsAndExceptRemovesEveryMatch() {
        assertRows(table(row("a"), row("b"), row((Object) null)),
                rows(Operators.except(both(), true, BIG, 3), testKit.system(), 3));
        assertRows(table(row("b")), rows(Operators.except(both(), false, BIG, 3), testKit.system()));
    }

    @Test
    void threeInputsApplyLeftToRight() {
        Source<Batch, NotUsed> third = source(2, row("a"), row("b"));
        assertRows(table(row("a")), rows(Operators.intersect(List.of(first(), second(), third), true, BIG, 3),
                testKit.system()));
        assertRows(table(row((Object) null)), rows(Operators.except(List.of(first(), second(), third), true, BIG, 3),
                testKit.system()));
    }

    @Test
    void emptyFirstInputGivesNothing() {
        Source<Batch, NotUsed> empty = Operators.values(List.of(), 2);
        assertRows(table(), rows(Operators.intersect(List.of(empty, second()), true, BIG, 3), testKit.system()));
        assertRows(table(), rows(Operators.except(List.of(empty, second()), false, BIG, 3), testKit.system()));
        assertRows(table(row("a"), row((Object) null), row("c")),
                rows(Operators.union(List.of(empty, second()), false, BIG, 3), testKit.system()));
    }
}
