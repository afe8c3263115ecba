package io.phantomdb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.txn.coordinator.SagaStep;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the hand-written saga grammar reads what docs/sagas.md shows - names folded unless quoted, statement
 * texts with '' escapes, optional compensations, literal and $n arguments with the Java types JDBC would bind
 * - the canonical text a definition is stored as reads back to the same steps, and a step's text splits
 * into statements only at semicolons outside quotes and comments.
 *
 * <p>Method: parse texts and compare with records written by hand; no node.
 */
class SagaStatementTest {

    private static SagaStatement parse(String sql) {
        return SagaStatement.parse(sql).orElseThrow(() -> new AssertionError("not a saga statement: " + sql));
    }

    @Test
    void createReadsStepsCompensationsAndEscapes() {
        SagaStatement s = parse("create saga \"Pay Out\" (step Debit as 'UPDATE a SET note = ''it''''s'' WHERE id = $1'"
                + " compensate 'UPDATE a SET note = NULL', STEP log AS 'INSERT INTO l VALUES ($1)');");
        assertEquals(new SagaStatement.Create("Pay Out", List.of(
                new SagaStep("debit", "UPDATE a SET note = 'it''s' WHERE id = $1", "UPDATE a SET note = NULL"),
                new SagaStep("log", "INSERT INTO l VALUES ($1)", null)), false, false), s);
    }

    @Test
    void storedDefinitionReadsBackToTheSameSteps() {
        List<SagaStep> steps = List.of(new SagaStep("Odd \"step\"", "SELECT 'x''y' -- ;", "DELETE FROM t"),
                new SagaStep("plain", "UPDATE t SET v = 1", null));
        String text = SagaStatement.render("My Saga", steps);
        assertEquals(new SagaStatement.Create("My Saga", steps, false, false), parse(text));
        assertEquals(new SagaStatement.Create("lower", steps, false, false), parse(SagaStatement.render("lower", steps)));
    }

    @Test
    void startReadsIdAndArgumentsWithTheirTypes() {
        SagaStatement.Start s = (SagaStatement.Start) parse("START SAGA t ID $2 WITH (1, -3000000000, 2.50, 'a''b', NULL,"
                + " true, $1)");
        assertEquals("t", s.name());
        assertEquals("id-7", s.id().resolve(new Object[] {"x", "id-7"}));
        Object[] params = {9L};
        List<Object> values = s.arguments().stream().map(v -> v.resolve(params)).toList();
        assertEquals(Arrays.asList(1, -3_000_000_000L, new BigDecimal("2.50"), "a'b", null, true, 9L), values,
                values.stream().map(v -> v == null ? "null" : v.getClass().getSimpleName()).toList().toString());
        assertEquals(new SagaStatement.Start("t", null, List.of()), parse("start saga t"));
        assertEquals(new SagaStatement.Start("t", null, List.of()), parse("start saga t with ()"));
    }

    @Test
    void dropAndShow() {
        assertEquals(new SagaStatement.Drop("x", true), parse("DROP SAGA IF EXISTS X"));
        assertEquals(new SagaStatement.Show(), parse("show sagas ;"));
        assertEquals(new SagaStatement.Create("r", List.of(new SagaStep("a", "x", null)), true, false),
                parse("CREATE OR REPLACE SAGA r (STEP a AS 'x')"));
    }

    @Test
    void otherTextIsNotASagaStatementEvenWhenMalformed() {
        for (String sql : List.of("", "   ", "CREATE TABLE saga (id INT)", "START TRANSACTION", "SELECT 'saga", "show saga",
                "create sagas x", "drop table sagas")) {
            assertTrue(SagaStatement.parse(sql).isEmpty(), sql);
            assertTrue(!Sagas.isSagaStatement(sql), sql);
        }
        for (String sql : List.of("START SAGA", "create saga x (", "SHOW SAGAS 'unterminated", "drop saga")) {
            assertTrue(Sagas.isSagaStatement(sql), "malformed but ours: " + sql);
        }
    }

    @Test
    void errorsNameWhatWasExpectedWhere() {
        PhantomSqlException e = assertThrows(PhantomSqlException.class,
                () -> SagaStatement.parse("CREATE SAGA s (STEP a AS 'x' COMPENSATE y)"));
        assertEquals(SqlState.SYNTAX_ERROR, e.state());
        assertEquals(41, e.position());
        assertTrue(e.getMessage().contains("\"y\"") && e.getMessage().contains("compensating statement"), e.getMessage());
        PhantomSqlException twice = assertThrows(PhantomSqlException.class,
                () -> SagaStatement.parse("CREATE SAGA s (STEP a AS 'x', STEP A AS 'y')"));
        assertEquals(SqlState.INVALID_OBJECT_DEFINITION, twice.state());
    }

    @Test
    void stepTextsSplitAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("UPDATE t SET v = ';'", "INSERT INTO \"a;b\" VALUES (1) -- x; y", "DELETE FROM t /* ; */"),
                SagaStatement.statements("UPDATE t SET v = ';'; INSERT INTO \"a;b\" VALUES (1) -- x; y\n;"
                        + " DELETE FROM t /* ; */;  ;"));
        assertEquals(List.of(), SagaStatement.statements(" ; ;"));
    }
}
