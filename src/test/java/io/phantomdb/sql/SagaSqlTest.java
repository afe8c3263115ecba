package io.phantomdb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.testkit.TestNode;
import io.phantomdb.txn.coordinator.SagaOutcome;
import io.phantomdb.txn.coordinator.SagaStatus;
import io.phantomdb.txn.coordinator.SagaStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: sagas work end to end from SQL and from the embedded API as docs/sagas.md promises - a transfer saga
 * moves money and SHOW SAGAS reports it COMPLETED; a second step that violates a constraint leaves the
 * balances as they were (the first step compensated) and SHOW SAGAS says COMPENSATED with the error;
 * restarting a saga id waits for the first run instead of running again; syntax errors (42601), unknown
 * sagas (42704), duplicates (42710), wrong parameter counts (22023) and forbidden step statements (0A000)
 * fail and change nothing; statements that are not saga statements are left to the SQL engine.
 *
 * <p>Method: one node per class, each test with its own accounts table and saga names; saga statements go
 * through {@link Sagas#execute} (as the session will route them), everything else through the node; results
 * are compared with balances and rows worked out by hand, and with the step markers in phantom_saga_steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SagaSqlTest {
    @TempDir
    static Path dir;

    TestNode node;
    Sagas sagas;

    @BeforeAll
    void start() {
        node = new TestNode(dir.resolve("node"), SagaNodes.OVERRIDES);
        sagas = SagaNodes.sagas(node);
        saga("SHOW SAGAS"); // creates the system tables, so every test can read them whatever the order
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private SessionState.Result saga(String sql, Object... params) {
        Optional<CompletionStage<SessionState.Result>> result = sagas.execute(sql, params);
        assertTrue(result.isPresent(), "not taken as a saga statement: " + sql);
        return node.await(result.get());
    }

    private PhantomSqlException sagaFails(SqlState expected, String sql, Object... params) {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> saga(sql, params), sql);
        assertEquals(expected, e.state(), e.getMessage());
        return e;
    }

    private static List<List<Object>> values(SessionState.Result result) {
        List<List<Object>> out = new ArrayList<>();
        for (Object[] row : result.rows()) {
            out.add(Arrays.asList(row));
        }
        return out;
    }

    private void accounts(String table, int... balances) {
        node.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance INT NOT NULL)");
        for (int i = 0; i < balances.length; i++) {
            node.execute("INSERT INTO " + table + " VALUES ($1, $2)", i + 1, balances[i]);
        }
    }

    private List<List<Object>> balances(String table) {
        return SagaNodes.rows(node.query("SELECT id, balance FROM " + table + " ORDER BY id"));
    }

    /** A two-step transfer: $1 from, $2 to, $3 amount; {@code credit} is the second step's statement. */
    private void createTransfer(String name, String table, String credit) {
        saga("CREATE SAGA " + name + " ("
                + " STEP debit AS 'UPDATE " + table + " SET balance = balance - $3 WHERE id = $1'"
                + "   COMPENSATE 'UPDATE " + table + " SET balance = balance + $3 WHERE id = $1',"
                + " STEP credit AS '" + credit + "'"
                + "   COMPENSATE 'UPDATE " + table + " SET balance = balance - $3 WHERE id = $2')");
    }

    private List<List<Object>> markers(String sagaId) {
        return SagaNodes.rows(node.query("SELECT step, kind, fenced FROM phantom_saga_steps WHERE saga_id = $1"
                + " ORDER BY step, kind", sagaId));
    }

    private List<Object> shown(String sagaId) {
        for (List<Object> row : values(saga("SHOW SAGAS"))) {
            if (row.get(0).equals(sagaId)) {
                return row;
            }
        }
        throw new AssertionError("SHOW SAGAS has no row for " + sagaId);
    }

    @Test
    void transferSagaCompletesAndShowSagasSaysSo() {
        accounts("acc_ok", 100, 0);
        createTransfer("transfer_ok", "acc_ok", "UPDATE acc_ok SET balance = balance + $3 WHERE id = $2");

        SessionState.Result started = saga("START SAGA transfer_ok ID 't-ok' WITH (1, 2, 30)");
        assertEquals(List.of("saga_id", "status", "error"), started.columns().stream().map(Prepared.ResultColumn::name).toList());
        assertEquals(List.of(Arrays.asList("t-ok", "COMPLETED", null)), values(started));
        assertEquals(List.of(List.of(1, 70), List.of(2, 30)), balances("acc_ok"));
        assertEquals(Arrays.asList("t-ok", "transfer_ok", "COMPLETED", 2, "credit", null), shown("t-ok"));
        assertEquals(List.of(List.of(1, "do", false), List.of(2, "do", false)), markers("t-ok"));

        assertEquals(List.of(Arrays.asList("t-ok", "COMPLETED", null)),
                values(saga("start saga TRANSFER_OK id 't-ok' with (1, 2, 30);")),
                "starting the same saga id again answers its outcome");
        assertEquals(List.of(List.of(1, 70), List.of(2, 30)), balances("acc_ok"), "and runs nothing twice");
    }

    @Test
    void failingSecondStepCompensatesTheFirst() {
        accounts("acc_fail", 100, 0);
        // The credit step inserts an account that exists: 23505 from the step itself, not from its marker.
        createTransfer("transfer_fail", "acc_fail", "INSERT INTO acc_fail VALUES ($2, $3)");

        List<Object> row = values(saga("START SAGA transfer_fail ID 't-fail' WITH (1, 2, 30)")).get(0);
        assertEquals("COMPENSATED", row.get(1));
        assertTrue(((String) row.get(2)).startsWith("step 2 (credit) failed: 23505"), (String) row.get(2));
        assertEquals(List.of(List.of(1, 100), List.of(2, 0)), balances("acc_fail"), "the debit was undone");
        List<Object> shown = shown("t-fail");
        assertEquals(List.of("t-fail", "transfer_fail", "COMPENSATED", 2, "credit"), shown.subList(0, 5));
        assertEquals(List.of(List.of(1, "do", false), List.of(1, "undo", false), List.of(2, "do", true)), markers("t-fail"),
                "step 1 ran and was undone once; step 2 is fenced");
    }

    @Test
    void stepsMayHoldSeveralStatementsAndUseStatementParameters() {
        accounts("acc_multi", 50, 50);
        node.execute("CREATE TABLE ledger_multi (saga TEXT PRIMARY KEY, amount INT NOT NULL)");
        saga("CREATE SAGA pay (STEP pay AS 'UPDATE acc_multi SET balance = balance - $2 WHERE id = 1;"
                + " INSERT INTO ledger_multi VALUES ($1, $2)' COMPENSATE 'DELETE FROM ledger_multi WHERE saga = $1;"
                + " UPDATE acc_multi SET balance = balance + $2 WHERE id = 1')");
        List<Object> row = values(saga("START SAGA pay ID $1 WITH ($1, $2)", "p-1", 20)).get(0);
        assertEquals(Arrays.asList("p-1", "COMPLETED", null), row);
        assertEquals(List.of(List.of(1, 30), List.of(2, 50)), balances("acc_multi"));
        assertEquals(List.of(List.of("p-1", 20)), SagaNodes.rows(node.query("SELECT saga, amount FROM ledger_multi")));
    }

    @Test
    void embeddedApiDefinesStartsAndListsSagas() {
        accounts("acc_api", 10);
        node.await(sagas.define("bump", List.of(new SagaStep("bump", "UPDATE acc_api SET balance = balance + $1 WHERE id = 1",
                null)), false));
        SagaOutcome outcome = node.await(sagas.start("bump", null, List.of(5)));
        assertEquals(SagaStatus.COMPLETED, outcome.status());
        assertEquals(36, outcome.sagaId().length(), "a generated id is a UUID");
        assertEquals(List.of(List.of(1, 15)), balances("acc_api"));
        assertEquals(outcome, node.await(sagas.outcome(outcome.sagaId())));
        assertTrue(node.await(sagas.list()).contains(outcome));
        assertEquals(SagaStatus.UNKNOWN, node.await(sagas.outcome("no-such-saga-id")).status());
    }

    @Test
    void syntaxErrorsFailWith42601AndChangeNothing() {
        String[] malformed = {
            "CREATE SAGA",
            "CREATE SAGA s_bad",
            "CREATE SAGA s_bad ()",
            "CREATE SAGA s_bad (STEP a AS)",
            "CREATE SAGA s_bad (STEP a 'UPDATE t SET v = 1')",
            "CREATE SAGA s_bad (STEP a AS 'UPDATE t SET v = 1' COMPENSATE)",
            "CREATE SAGA s_bad (STEP a AS 'UPDATE t SET v = 1' UNDO 'x')",
            "CREATE SAGA s_bad (STEP a AS 'it''s unterminated)",
            "CREATE SAGA s_bad (STEP a AS '  ')",
            "CREATE SAGA s_bad (STEP a AS 'UPDATE t SET v = 1')  extra",
            "START SAGA",
            "START SAGA s_bad WITH (1,",
            "START SAGA s_bad WITH (1 2)",
            "START SAGA s_bad WITH (-'x')",
            "START SAGA s_bad ID",
            "SHOW SAGAS now",
            "DROP SAGA",
            "DROP SAGA a b",
        };
        for (String sql : malformed) {
            PhantomSqlException e = sagaFails(SqlState.SYNTAX_ERROR, sql);
            assertTrue(e.position() > 0, "a syntax error has a position: " + sql);
        }
        assertEquals(18, sagaFails(SqlState.SYNTAX_ERROR, "CREATE SAGA s_bad").position(), "points at the end");
        assertEquals(23, sagaFails(SqlState.SYNTAX_ERROR, "START SAGA s_bad WITH 1").position(), "points at the 1");
        assertEquals(List.of(), SagaNodes.rows(node.query("SELECT name FROM phantom_sagas WHERE name = 's_bad'")));
    }

    @Test
    void unknownSagasFailWith42704() {
        sagaFails(SqlState.UNDEFINED_OBJECT, "START SAGA nope WITH (1)");
        sagaFails(SqlState.UNDEFINED_OBJECT, "DROP SAGA nope");
        assertEquals(0, saga("DROP SAGA IF EXISTS nope").count());
        assertFalse(values(saga("SHOW SAGAS")).stream().anyMatch(r -> "nope".equals(r.get(1))));
    }

    @Test
    void duplicatesAreRefusedUnlessAskedToReplaceOrSkip() {
        accounts("acc_dup", 0);
        saga("CREATE SAGA dup (STEP a AS 'UPDATE acc_dup SET balance = balance + 1 WHERE id = 1')");
        sagaFails(SqlState.DUPLICATE_OBJECT, "CREATE SAGA dup (STEP a AS 'UPDATE acc_dup SET balance = 0')");
        saga("CREATE SAGA IF NOT EXISTS dup (STEP a AS 'UPDATE acc_dup SET balance = balance + 100 WHERE id = 1')");
        saga("START SAGA dup ID 'd-1'");
        assertEquals(List.of(List.of(1, 1)), balances("acc_dup"), "IF NOT EXISTS kept the first definition");

        saga("CREATE OR REPLACE SAGA dup (STEP a AS 'UPDATE acc_dup SET balance = balance + 10 WHERE id = 1')");
        saga("START SAGA dup ID 'd-2'");
        assertEquals(List.of(List.of(1, 11)), balances("acc_dup"), "OR REPLACE took the new definition");

        saga("CREATE SAGA dup_other (STEP a AS 'UPDATE acc_dup SET balance = 0 WHERE id = 1')");
        sagaFails(SqlState.DUPLICATE_OBJECT, "START SAGA dup_other ID 'd-1'");
        assertEquals(List.of(List.of(1, 11)), balances("acc_dup"), "a saga id belongs to one saga");

        saga("DROP SAGA dup");
        sagaFails(SqlState.UNDEFINED_OBJECT, "START SAGA dup ID 'd-3'");
        assertEquals("COMPLETED", shown("d-2").get(2), "dropping a definition keeps the history");
    }

    @Test
    void wrongParameterCountsAndForbiddenStatementsChangeNothing() {
        accounts("acc_param", 0);
        saga("CREATE SAGA two_params (STEP a AS 'UPDATE acc_param SET balance = $2 WHERE id = $1')");
        sagaFails(SqlState.INVALID_PARAMETER_VALUE, "START SAGA two_params ID 'wrong-few' WITH (1)");
        sagaFails(SqlState.INVALID_PARAMETER_VALUE, "START SAGA two_params ID 'wrong-many' WITH (1, 2, 3)");
        sagaFails(SqlState.INVALID_PARAMETER_VALUE, "START SAGA two_params ID $1 WITH (1, 2)");
        assertEquals(List.of(List.of(1, 0)), balances("acc_param"));
        assertFalse(values(saga("SHOW SAGAS")).stream().anyMatch(r -> r.get(0).toString().startsWith("wrong-")));

        sagaFails(SqlState.FEATURE_NOT_SUPPORTED, "CREATE SAGA s_tx (STEP a AS 'BEGIN; UPDATE acc_param SET balance = 1')");
        sagaFails(SqlState.FEATURE_NOT_SUPPORTED, "CREATE SAGA s_ddl (STEP a AS 'CREATE TABLE t_in_saga (id INT PRIMARY KEY)')");
        sagaFails(SqlState.FEATURE_NOT_SUPPORTED, "CREATE SAGA s_nest (STEP a AS 'START SAGA two_params')");
        assertEquals(List.of(), SagaNodes.rows(node.query("SELECT name FROM phantom_sagas WHERE name LIKE 's_%'")));
    }

    @Test
    void otherStatementsAreNotSagaStatements() {
        for (String sql : List.of("START TRANSACTION", "SELECT 1", "CREATE TABLE sagas_t (id INT PRIMARY KEY)", "SHOW saga",
                "DROP TABLE saga", "begin", "CREATE SAGAS x")) {
            assertTrue(sagas.execute(sql, new Object[0]).isEmpty(), sql);
        }
    }
}
