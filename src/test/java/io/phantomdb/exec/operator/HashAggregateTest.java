package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.failure;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
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
 * Goal: GROUP BY and the aggregate functions give PostgreSQL's answers: NULL handling, empty inputs, DISTINCT,
 * FILTER, overflow (22003), exact decimals, AVG rounding, SINGLE_VALUE's 21000, and result values of exactly the
 * result type's class. Method: aggregate small hand-made inputs and compare with values worked out by hand.
 */
class HashAggregateTest {
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

    private static AggregateCall call(AggregateKind kind, DataType type, int... args) {
        return AggregateCall.of(kind, type, args);
    }

    private List<Object[]> aggregate(Source<Batch, NotUsed> in, int[] groups, AggregateCall... calls) {
        return rows(Operators.hashAggregate(in, groups, List.of(calls), BIG, 2), testKit.system(), 2);
    }

    @Test
    void groupsByKeyWithNullsInOneGroupAndIgnoresNullArguments() {
        Source<Batch, NotUsed> in = source(2, row("a", 1), row(null, 5), row("a", null), row("b", 2), row("a", 3),
                row(null, 7));
        List<Object[]> out = aggregate(in, new int[] {0},
                call(AggregateKind.COUNT_STAR, DataType.BIGINT),
                call(AggregateKind.COUNT, DataType.BIGINT, 1),
                call(AggregateKind.SUM, DataType.BIGINT, 1),
                call(AggregateKind.MIN, DataType.INTEGER, 1),
                call(AggregateKind.MAX, DataType.INTEGER, 1));
        assertRows(table(row("a", 3L, 2L, 4L, 1, 3), row(null, 2L, 2L, 12L, 5, 7), row("b", 1L, 1L, 2L, 2, 2)), out);
    }

    @Test
    void noGroupColumnsAndEmptyInputGiveOneRowOfEmptyAggregates() {
        List<Object[]> out = aggregate(Operators.values(List.of(), 2), new int[0],
                call(AggregateKind.COUNT_STAR, DataType.BIGINT),
                call(AggregateKind.COUNT, DataType.BIGINT, 0),
                call(AggregateKind.SUM, DataType.BIGINT, 0),
                call(AggregateKind.SUM0, DataType.BIGINT, 0),
                call(AggregateKind.AVG, DataType.DECIMAL, 0),
                call(AggregateKind.MIN, DataType.INTEGER, 0),
                call(AggregateKind.BOOL_AND, DataType.BOOLEAN, 1),
                call(AggregateKind.SINGLE_VALUE, DataType.INTEGER, 0));
        assertRows(table(row(0L, 0L, null, 0L, null, null, null, null)), out);
    }

    @Test
    void countWithoutArgumentsCountsEveryRow() {
        assertRows(table(row(3L)), aggregate(source(2, row((Object) null), row(1), row(2)), new int[0],
                new AggregateCall(AggregateKind.COUNT, new int[0], false, DataType.BIGINT, -1, -1)));
    }

    @Test
    void groupColumnsAndEmptyInputGiveNoRows() {
        assertRows(table(), aggregate(Operators.values(List.of(), 2), new int[] {0},
                call(AggregateKind.COUNT_STAR, DataType.BIGINT)));
    }

    @Test
    void distinctAggregatesCountEachValueOncePerGroup() {
        // 1.0 and 1.00 are one value; so are -0.0 and 0.0; NULL is ignored.
        Source<Batch, NotUsed> in = source(3,
                row("g", new BigDecimal("1.0"), -0.0), row("g", new BigDecimal("1.00"), 0.0),
                row("g", new BigDecimal("2.5"), 1.5), row("g", null, null), row("h", new BigDecimal("2.5"), 1.5),
                row("h", new BigDecimal("2.50"), 1.5));
        List<Object[]> out = aggregate(in, new int[] {0},
                new AggregateCall(AggregateKind.COUNT, new int[] {1}, true, DataType.BIGINT, -1, -1),
                new AggregateCall(AggregateKind.SUM, new int[] {1}, true, DataType.DECIMAL, -1, -1),
                new AggregateCall(AggregateKind.COUNT, new int[] {2}, true, DataType.BIGINT, -1, -1),
                call(AggregateKind.COUNT, DataType.BIGINT, 2));
        assertEquals(2, out.size());
        assertEquals(List.of("g", 2L), List.of(out.get(0)[0], out.get(0)[1]));
        assertEquals(0, new BigDecimal("3.5").compareTo((BigDecimal) out.get(0)[2]));
        assertEquals(List.of(2L, 3L), List.of(out.get(0)[3], out.get(0)[4]));
        assertEquals(List.of("h", 1L, 1L, 2L), List.of(out.get(1)[0], out.get(1)[1], out.get(1)[3], out.get(1)[4]));
    }

    @Test
    void sumOfBigintOverflowFailsWith22003AndDecimalSumStaysExact() {
        Source<Batch, NotUsed> in = source(2, row(Long.MAX_VALUE), row(1L));
        Throwable error = failure(Operators.hashAggregate(in, new int[0],
                List.of(call(AggregateKind.SUM, DataType.BIGINT, 0)), BIG, 2), testKit.system());
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, ((PhantomSqlException) error).state());
        List<Object[]> exact = aggregate(in, new int[0], call(AggregateKind.SUM, DataType.DECIMAL, 0));
        assertEquals(new BigDecimal("9223372036854775808"), exact.get(0)[0]);
    }

    @Test
    void resultsHaveExactlyTheResultTypeClass() {
        Source<Batch, NotUsed> in = source(2, row((short) 1), row((short) 2), row((short) 4));
        List<Object[]> out = aggregate(in, new int[0],
                call(AggregateKind.SUM, DataType.BIGINT, 0),
                call(AggregateKind.SUM, DataType.INTEGER, 0),
                call(AggregateKind.COUNT_STAR, DataType.INTEGER),
                call(AggregateKind.AVG, DataType.DOUBLE, 0),
                call(AggregateKind.AVG, DataType.SMALLINT, 0),
                call(AggregateKind.MAX, DataType.SMALLINT, 0));
        assertRows(table(row(7L, 7, 3, 7.0 / 3, (short) 2, (short) 4)), out);
        assertInstanceOf(Short.class, out.get(0)[4]);
    }

    @Test
    void avgOfDecimalRoundsHalfUpToTheResultScale() {
        Source<Batch, NotUsed> in = source(2, row(1), row(2), row(2), row((Object) null));
        List<Object[]> out = aggregate(in, new int[0],
                new AggregateCall(AggregateKind.AVG, new int[] {0}, false, DataType.DECIMAL, 2, -1),
                new AggregateCall(AggregateKind.AVG, new int[] {0}, false, DataType.DECIMAL, 0, -1));
        assertEquals(new BigDecimal("1.67"), out.get(0)[0]);
        assertEquals(new BigDecimal("2"), out.get(0)[1]);
    }

    @Test
    void singleValueFailsWith21000OnASecondRow() {
        assertRows(table(row(5)), aggregate(source(2, row(5)), new int[0],
                call(AggregateKind.SINGLE_VALUE, DataType.INTEGER, 0)));
        Throwable error = failure(Operators.hashAggregate(source(2, row(5), row((Object) null)), new int[0],
                List.of(call(AggregateKind.SINGLE_VALUE, DataType.INTEGER, 0)), BIG, 2), testKit.system());
        PhantomSqlException sqlError = (PhantomSqlException) error;
        assertEquals(SqlState.CARDINALITY_VIOLATION, sqlError.state());
        assertEquals("more than one row returned by a subquery used as an expression", sqlError.getMessage());
    }

    @Test
    void boolAndOrIgnoreNullsAndAnyValueTakesANonNull() {
        Source<Batch, NotUsed> in = source(2, row(1, true, null), row(1, null, "x"), row(1, false, "y"),
                row(2, true, null), row(3, null, null));
        List<Object[]> out = aggregate(in, new int[] {0},
                call(AggregateKind.BOOL_AND, DataType.BOOLEAN, 1),
                call(AggregateKind.BOOL_OR, DataType.BOOLEAN, 1),
                call(AggregateKind.ANY_VALUE, DataType.VARCHAR, 2));
        assertRows(table(row(1, false, true, "x"), row(2, true, true, null), row(3, null, null, null)), out);
    }

    @Test
    void filterColumnLimitsAggregationToRowsWhereItIsTrue() {
        Source<Batch, NotUsed> in = source(2, row(10, true), row(20, false), row(30, null), row(40, true));
        List<Object[]> out = aggregate(in, new int[0],
                new AggregateCall(AggregateKind.SUM, new int[] {0}, false, DataType.BIGINT, -1, 1),
                new AggregateCall(AggregateKind.COUNT_STAR, new int[0], false, DataType.BIGINT, -1, 1),
                call(AggregateKind.SUM, DataType.BIGINT, 0));
        assertRows(table(row(50L, 2L, 100L)), out);
    }

    @Test
    void minAndMaxCompareTextByCodePointAndNumbersByValue() {
        Source<Batch, NotUsed> in = source(2, row("Z", 2.5), row("a", Double.NaN), row("\uFFFD", -1.0),
                row("\uD83D\uDE00", 0.0));
        List<Object[]> out = aggregate(in, new int[0],
                call(AggregateKind.MIN, DataType.VARCHAR, 0), call(AggregateKind.MAX, DataType.VARCHAR, 0),
                call(AggregateKind.MIN, DataType.DOUBLE, 1), call(AggregateKind.MAX, DataType.DOUBLE, 1));
        assertRows(table(row("Z", "\uD83D\uDE00", -1.0, Double.NaN)), out);
        assertNull(aggregate(source(2, row((Object) null)), new int[0],
                call(AggregateKind.MAX, DataType.VARCHAR, 0)).get(0)[0]);
    }
}
