package io.phantomdb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.testkit.TestNode;
import io.phantomdb.txn.coordinator.SagaHooks;
import io.phantomdb.txn.coordinator.SagaOutcome;
import io.phantomdb.txn.coordinator.SagaStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: a node that stops at any step boundary of a saga - before or after each step's transaction, after a
 * step failed, before or after a compensation's transaction - finishes the saga after it restarts, all
 * (COMPLETED, the money moved once) or compensated (COMPENSATED, the balances as before), never half; every
 * step and every compensation takes effect exactly once although the ones interrupted after their commit
 * run again; and a saga whose start was never journaled is closed as COMPENSATED and can be started again.
 *
 * <p>Method: per crash point a fresh node runs a two-step transfer saga (or one whose second step violates
 * the primary key); a crash hook throws at the chosen point, which stops the coordinator there, and the
 * test then stops the whole node (actor system and engines) and starts it again on the same directory. The
 * node's resume wakes the unfinished saga; its outcome, the balances, SHOW SAGAS and the markers in
 * phantom_saga_steps are compared with what all-or-compensated requires.
 */
class SagaCrashTest {
    static final String TRANSFER = "CREATE SAGA transfer ("
            + " STEP debit AS 'UPDATE accounts SET balance = balance - $3 WHERE id = $1'"
            + "   COMPENSATE 'UPDATE accounts SET balance = balance + $3 WHERE id = $1',"
            + " STEP credit AS 'UPDATE accounts SET balance = balance + $3 WHERE id = $2'"
            + "   COMPENSATE 'UPDATE accounts SET balance = balance - $3 WHERE id = $2')";
    /** As TRANSFER, but its credit step inserts an account that exists: it fails with 23505 every time. */
    static final String TRANSFER_FAILS = "CREATE SAGA transfer_fails ("
            + " STEP debit AS 'UPDATE accounts SET balance = balance - $3 WHERE id = $1'"
            + "   COMPENSATE 'UPDATE accounts SET balance = balance + $3 WHERE id = $1',"
            + " STEP credit AS 'INSERT INTO accounts VALUES ($2, $3)'"
            + "   COMPENSATE 'DELETE FROM accounts WHERE id = $2')";

    @TempDir
    Path dir;

    /** Where the node stops: a hook point and step number, in the saga that completes or the one that fails. */
    enum Crash {
        BEFORE_STEP_1(SagaHooks.Point.STEP_STARTING, 1, false),
        AFTER_STEP_1(SagaHooks.Point.STEP_FINISHED, 1, false),
        BEFORE_STEP_2(SagaHooks.Point.STEP_STARTING, 2, false),
        AFTER_STEP_2(SagaHooks.Point.STEP_FINISHED, 2, false),
        AFTER_STEP_2_FAILED(SagaHooks.Point.STEP_FINISHED, 2, true),
        BEFORE_COMPENSATION_1(SagaHooks.Point.COMPENSATION_STARTING, 1, true),
        AFTER_COMPENSATION_1(SagaHooks.Point.COMPENSATION_FINISHED, 1, true);

        final SagaHooks.Point point;
        final int step;
        final boolean failingSaga;

        Crash(SagaHooks.Point point, int step, boolean failingSaga) {
            this.point = point;
            this.step = step;
            this.failingSaga = failingSaga;
        }
    }

    @ParameterizedTest
    @EnumSource(Crash.class)
    void sagaEndsAllOrCompensatedAfterTheNodeStopsAt(Crash crash) throws InterruptedException {
        try (TestNode node = new TestNode(dir.resolve("node"), SagaNodes.OVERRIDES)) {
            Sagas sagas = SagaNodes.sagas(node);
            node.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)");
            node.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)");
            saga(node, sagas, TRANSFER);
            saga(node, sagas, TRANSFER_FAILS);
            CountDownLatch crashed = new CountDownLatch(1);
            sagas.setHooks((point, sagaId, step) -> {
                if (point == crash.point && step == crash.step && crashed.getCount() > 0) {
                    crashed.countDown();
                    throw new IllegalStateException("simulated crash " + crash);
                }
            });
            // Not awaited: the coordinator stops at the crash point and the node under it.
            sagas.start(crash.failingSaga ? "transfer_fails" : "transfer", "s-1", List.of(1, 2, 30));
            assertTrue(crashed.await(TestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the saga reached " + crash);

            node.restart(); // opening the node resumes every unfinished saga
            sagas = SagaNodes.sagas(node);
            SagaOutcome outcome = node.await(sagas.outcome("s-1"));

            SagaStatus expected = crash.failingSaga ? SagaStatus.COMPENSATED : SagaStatus.COMPLETED;
            assertEquals(expected, outcome.status(), outcome.toString());
            assertEquals(crash.failingSaga ? List.of(List.of(1, 100), List.of(2, 0)) : List.of(List.of(1, 70), List.of(2, 30)),
                    SagaNodes.rows(node.query("SELECT id, balance FROM accounts ORDER BY id")),
                    "each step and compensation took effect exactly once");
            assertEquals(crash.failingSaga
                            ? List.of(List.of(1, "do", false), List.of(1, "undo", false), List.of(2, "do", true))
                            : List.of(List.of(1, "do", false), List.of(2, "do", false)),
                    SagaNodes.rows(node.query("SELECT step, kind, fenced FROM phantom_saga_steps ORDER BY step, kind")));
            assertEquals(List.of(List.of("s-1", expected.name())),
                    SagaNodes.rows(node.query("SELECT saga_id, status FROM phantom_saga_runs")), "SHOW SAGAS agrees");
            assertEquals(List.of(), node.await(sagas.resume()), "nothing is left to resume");
        }
    }

    @Test
    void statusRowWithoutAJournaledStartIsClosedAndTheSagaCanStartAgain() throws InterruptedException {
        try (TestNode node = new TestNode(dir.resolve("node"), SagaNodes.OVERRIDES)) {
            Sagas sagas = SagaNodes.sagas(node);
            node.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)");
            node.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)");
            saga(node, sagas, TRANSFER);
            // What a stop between writing the status row and the coordinator journaling Started leaves behind.
            node.execute("INSERT INTO phantom_saga_runs VALUES ('s-2', 'transfer', 'RUNNING', 1, 'debit', NULL)");

            node.restart(); // opening the node resumes (here: closes) every unfinished saga
            sagas = SagaNodes.sagas(node);
            List<List<Object>> run = List.of();
            for (int i = 0; i < 200; i++) {
                run = SagaNodes.rows(node.query("SELECT status, error FROM phantom_saga_runs WHERE saga_id = 's-2'"));
                if (!run.isEmpty() && !"RUNNING".equals(run.get(0).get(0))) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(List.of(List.of("COMPENSATED", "interrupted before its first step: nothing ran")), run);
            assertEquals(List.of(List.of(1, 100), List.of(2, 0)),
                    SagaNodes.rows(node.query("SELECT id, balance FROM accounts ORDER BY id")));

            SagaOutcome again = node.await(sagas.start("transfer", "s-2", List.of(1, 2, 30)));
            assertEquals(SagaStatus.COMPLETED, again.status(), "starting the id again runs the saga after all");
            assertEquals(List.of(List.of(1, 70), List.of(2, 30)),
                    SagaNodes.rows(node.query("SELECT id, balance FROM accounts ORDER BY id")));
        }
    }

    private static void saga(TestNode node, Sagas sagas, String sql) {
        Optional<CompletionStage<SessionState.Result>> result = sagas.execute(sql, new Object[0]);
        assertTrue(result.isPresent(), sql);
        node.await(result.get());
    }
}
