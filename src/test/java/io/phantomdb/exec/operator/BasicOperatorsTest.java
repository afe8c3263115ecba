package io.phantomdb.exec.operator;

import static io.phantomdb.exec.operator.StreamTesting.assertRows;
import static io.phantomdb.exec.operator.StreamTesting.batches;
import static io.phantomdb.exec.operator.StreamTesting.failure;
import static io.phantomdb.exec.operator.StreamTesting.row;
import static io.phantomdb.exec.operator.StreamTesting.rows;
import static io.phantomdb.exec.operator.StreamTesting.source;
import static io.phantomdb.exec.operator.StreamTesting.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.Bindings;
import io.phantomdb.exec.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the streaming operators (values, filter, project, limit, rebatch) keep the batch contract (never empty,
 * at most batchRows rows), apply SQL's three-valued filter, pass Scalar errors through unchanged, and that LIMIT
 * stops its upstream. Method: run small plans on a real ActorSystem with {@code Sink.seq()}; LIMIT is run over
 * infinite {@code Source.repeat} inputs, so a limit that did not cancel upstream would hang the test.
 */
class BasicOperatorsTest {
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void valuesCutsRowsIntoBatchesOfAtMostBatchRowsInOrder() {
        List<Batch> batches = batches(source(2, row(1), row(2), row(3), row(4), row(5)), testKit.system());
        assertEquals(List.of(2, 2, 1), batches.stream().map(Batch::size).toList());
        assertRows(table(row(1), row(2), row(3), row(4), row(5)), rows(source(2, row(1), row(2), row(3), row(4),
                row(5)), testKit.system()));
    }

    @Test
    void valuesOfNoRowsIsAnEmptySource() {
        assertEquals(List.of(), batches(Operators.values(List.of(), 10), testKit.system()));
    }

    @Test
    void filterKeepsOnlyRowsWherePredicateIsTrueAndDropsEmptyBatches() {
        // FALSE and NULL (unknown) both reject; the second batch is rejected whole and must not appear empty.
        Scalar positive = (r, b) -> r[0] == null ? null : (Integer) r[0] > 0;
        Source<Batch, NotUsed> in = source(2, row(1), row(-1), row((Object) null), row(-2), row(3), row(4));
        List<Batch> out = batches(Operators.filter(in, positive, Bindings.EMPTY), testKit.system());
        assertEquals(List.of(1, 2), out.stream().map(Batch::size).toList());
        assertRows(table(row(1), row(3), row(4)), out.stream().flatMap(b -> b.rows().stream()).toList());
    }

    @Test
    void projectEvaluatesEveryExpressionWithTheBindings() {
        Bindings bindings = new StreamTesting.MapBindings().withParameter(0, 100);
        List<Scalar> exprs = List.of((r, b) -> r[1], (r, b) -> (Integer) r[0] + (Integer) b.parameter(0));
        List<Object[]> out = rows(Operators.project(source(1, row(1, "a"), row(2, "b")), exprs, bindings),
                testKit.system());
        assertRows(table(row("a", 101), row("b", 102)), out);
    }

    @Test
    void scalarErrorsFailTheStreamWithTheSameException() {
        PhantomSqlException error = new PhantomSqlException(SqlState.DIVISION_BY_ZERO, "division by zero");
        Scalar failing = (r, b) -> {
            throw error;
        };
        assertSame(error, failure(Operators.filter(source(4, row(1)), failing, Bindings.EMPTY), testKit.system()));
        assertSame(error, failure(Operators.project(source(4, row(1)), List.of(failing), Bindings.EMPTY),
                testKit.system()));
    }

    @Test
    void limitSkipsOffsetAndStopsAfterFetchAcrossBatches() {
        Source<Batch, NotUsed> in = source(3, row(1), row(2), row(3), row(4), row(5), row(6), row(7));
        assertRows(table(row(3), row(4), row(5), row(6)), rows(Operators.limit(in, 2, 4), testKit.system()));
        assertRows(table(row(6), row(7)), rows(Operators.limit(in, 5, -1), testKit.system()));
        assertRows(table(), rows(Operators.limit(in, 10, 3), testKit.system()));
    }

    @Test
    void limitCancelsAnInfiniteUpstream() {
        Batch three = new Batch(List.<Object[]>of(row(1), row(2), row(3)));
        AtomicLong produced = new AtomicLong();
        Source<Batch, NotUsed> infinite = Source.repeat(three).map(b -> {
            produced.incrementAndGet();
            return b;
        });
        Source<Batch, NotUsed> filtered = Operators.filter(infinite, (r, b) -> (Integer) r[0] != 2, Bindings.EMPTY);
        List<Object[]> out = rows(Operators.limit(filtered, 1, 5), testKit.system());
        assertRows(table(row(3), row(1), row(3), row(1), row(3)), out);
        assertTrue(produced.get() <= 4, "upstream kept producing: " + produced.get());
    }

    @Test
    void fetchZeroReadsNothing() {
        AtomicLong produced = new AtomicLong();
        Source<Batch, NotUsed> infinite = Source.repeat(new Batch(List.<Object[]>of(row(1)))).map(b -> {
            produced.incrementAndGet();
            return b;
        });
        assertEquals(List.of(), batches(Operators.limit(infinite, 0, 0), testKit.system()));
        assertEquals(0, produced.get());
    }

    @Test
    void rebatchSplitsLargeBatchesAndKeepsRowOrder() {
        List<Object[]> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(row(i));
        }
        Source<Batch, NotUsed> in = Source.from(List.of(new Batch(many.subList(0, 7)), new Batch(many.subList(7, 8)),
                new Batch(many.subList(8, 10))));
        List<Object[]> out = rows(Operators.rebatch(in, 3), testKit.system(), 3);
        assertRows(many, out);
    }
}
