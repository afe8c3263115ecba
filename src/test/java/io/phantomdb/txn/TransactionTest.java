package io.phantomdb.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: transaction blocks behave as a PostgreSQL user expects - writes stay private until COMMIT and are
 * read back by their own transaction, ROLLBACK and ROLLBACK TO SAVEPOINT discard them, a failed block refuses
 * statements (25P02), a second writer of a row waits for the first (FIFO) and then re-checks the row (READ
 * COMMITTED) or fails with 40001 (REPEATABLE READ), SERIALIZABLE rejects write skew at commit, a lock wait
 * ends with 55P03 after the lock timeout, autocommit statements do not lose updates under contention, and a
 * REPEATABLE READ snapshot survives compaction (GC horizon).
 *
 * <p>Method: one node per class with a short lock timeout; each test uses its own table; concurrency is
 * driven step by step with sessions, and "still waiting" is checked with a bounded wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionTest {
    @TempDir
    static Path dir;

    TestNode node;

    @BeforeAll
    void start() {
        node = new TestNode(dir.resolve("node"), Map.of("phantom.txn.lock-timeout", "3 s"));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private void table(String name, int partitions) {
        node.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT) WITH (partitions = " + partitions + ")");
        node.execute("INSERT INTO " + name + " VALUES (1, 10), (2, 20)");
    }

    private <T> T run(CompletionStage<T> stage) {
        return node.await(stage);
    }

    private static List<String> rows(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.get(0) + "=" + r.get(1));
        }
        out.sort(null);
        return out;
    }

    private List<String> read(Session s, String sql) {
        return rows(run(s.query(sql)));
    }

    private static SqlState state(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof PhantomSqlException p) {
                return p.state();
            }
            throw new AssertionError("not a SQL error", t);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the statement succeeded; a failure was expected");
    }

    private static boolean stillWaiting(CompletionStage<?> stage) throws InterruptedException {
        Thread.sleep(300);
        return !stage.toCompletableFuture().isDone();
    }

    @Test
    void writesArePrivateUntilCommitAndReadBackByTheirTransaction() {
        table("priv", 4);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN"));
            run(t1.execute("INSERT INTO priv VALUES (3, 30)"));
            run(t1.execute("UPDATE priv SET v = v + 1 WHERE id = 1"));
            run(t1.execute("DELETE FROM priv WHERE id = 2"));
            assertEquals(List.of("1=11", "3=30"), read(t1, "SELECT id, v FROM priv"));
            assertEquals(List.of("3=30"), read(t1, "SELECT id, v FROM priv WHERE id = 3"), "key lookups see own inserts");
            assertEquals(Session.Status.IN_TRANSACTION, t1.status());
            assertEquals(List.of("1=10", "2=20"), read(t2, "SELECT id, v FROM priv"), "others do not see uncommitted writes");
            run(t1.execute("COMMIT"));
            assertEquals(Session.Status.IDLE, t1.status());
            assertEquals(List.of("1=11", "3=30"), read(t2, "SELECT id, v FROM priv"));
        }
    }

    @Test
    void rollbackAndSavepointsDiscardWrites() {
        table("sp", 1);
        try (Session s = node.db().session()) {
            run(s.execute("BEGIN"));
            run(s.execute("UPDATE sp SET v = 100 WHERE id = 1"));
            run(s.execute("SAVEPOINT a"));
            run(s.execute("UPDATE sp SET v = 200 WHERE id = 1"));
            run(s.execute("INSERT INTO sp VALUES (5, 50)"));
            run(s.execute("ROLLBACK TO SAVEPOINT a"));
            assertEquals(List.of("1=100", "2=20"), read(s, "SELECT id, v FROM sp"));
            run(s.execute("COMMIT"));
            assertEquals(List.of("1=100", "2=20"), rows(node.query("SELECT id, v FROM sp")));
            run(s.execute("BEGIN"));
            run(s.execute("DELETE FROM sp"));
            run(s.execute("ROLLBACK"));
            assertEquals(List.of("1=100", "2=20"), rows(node.query("SELECT id, v FROM sp")));
            assertEquals(SqlState.INVALID_SAVEPOINT_SPECIFICATION, state(s.execute("BEGIN").thenCompose(v -> s.execute("ROLLBACK TO nope"))));
            run(s.execute("ROLLBACK"));
        }
    }

    @Test
    void aFailedBlockRefusesStatementsUntilItEnds() {
        table("failed", 1);
        try (Session s = node.db().session()) {
            run(s.execute("BEGIN"));
            run(s.execute("UPDATE failed SET v = 0 WHERE id = 1"));
            assertEquals(SqlState.UNIQUE_VIOLATION, state(s.execute("INSERT INTO failed VALUES (2, 0)")));
            assertEquals(Session.Status.FAILED, s.status());
            assertEquals(SqlState.IN_FAILED_SQL_TRANSACTION, state(s.query("SELECT * FROM failed")));
            run(s.execute("COMMIT")); // rolls back, as PostgreSQL does
            assertEquals(Session.Status.IDLE, s.status());
            assertEquals(List.of("1=10", "2=20"), rows(node.query("SELECT id, v FROM failed")));
        }
    }

    @Test
    void aSecondWriterWaitsThenRechecksAtReadCommitted() throws Exception {
        table("rc", 4);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN"));
            run(t2.execute("BEGIN"));
            run(t1.execute("UPDATE rc SET v = v + 1 WHERE id = 1"));
            CompletionStage<Long> blocked = t2.execute("UPDATE rc SET v = v * 2 WHERE id = 1");
            assertTrue(stillWaiting(blocked), "the second writer waits for the row lock");
            run(t1.execute("COMMIT"));
            assertEquals(1L, run(blocked));
            run(t2.execute("COMMIT"));
            assertEquals(List.of("1=22", "2=20"), rows(node.query("SELECT id, v FROM rc")), "(10 + 1) * 2: no lost update");
        }
    }

    @Test
    void aRecheckSkipsRowsThatNoLongerMatch() throws Exception {
        table("epq", 1);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN"));
            run(t2.execute("BEGIN"));
            run(t1.execute("UPDATE epq SET v = v + 10"));
            CompletionStage<Long> blocked = t2.execute("DELETE FROM epq WHERE v = 20");
            assertTrue(stillWaiting(blocked));
            run(t1.execute("COMMIT"));
            assertEquals(0L, run(blocked), "row 2 is 30 now; row 1 (now 20) was not in T2's snapshot match");
            run(t2.execute("COMMIT"));
            assertEquals(List.of("1=20", "2=30"), rows(node.query("SELECT id, v FROM epq")));
        }
    }

    @Test
    void repeatableReadKeepsItsSnapshotAndRejectsAConcurrentUpdate() throws Exception {
        table("rr", 4);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN ISOLATION LEVEL REPEATABLE READ"));
            assertEquals(List.of("1=10", "2=20"), read(t1, "SELECT id, v FROM rr"));
            run(t2.execute("BEGIN"));
            run(t2.execute("UPDATE rr SET v = 11 WHERE id = 1"));
            CompletionStage<Long> blocked = t1.execute("UPDATE rr SET v = 12 WHERE id = 1");
            assertTrue(stillWaiting(blocked));
            run(t2.execute("COMMIT"));
            assertEquals(SqlState.SERIALIZATION_FAILURE, state(blocked));
            assertEquals(Session.Status.FAILED, t1.status());
            run(t1.execute("ROLLBACK"));
            run(t1.execute("BEGIN ISOLATION LEVEL REPEATABLE READ"));
            assertEquals(List.of("1=11", "2=20"), read(t1, "SELECT id, v FROM rr"));
            node.execute("UPDATE rr SET v = 99 WHERE id = 2");
            assertEquals(List.of("1=11", "2=20"), read(t1, "SELECT id, v FROM rr"), "one snapshot per transaction");
            run(t1.execute("COMMIT"));
        }
    }

    @Test
    void serializableRejectsWriteSkewAtCommit() {
        table("skew", 4);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN ISOLATION LEVEL SERIALIZABLE"));
            run(t2.execute("BEGIN ISOLATION LEVEL SERIALIZABLE"));
            read(t1, "SELECT id, v FROM skew WHERE id IN (1, 2)");
            read(t2, "SELECT id, v FROM skew WHERE id IN (1, 2)");
            run(t1.execute("UPDATE skew SET v = 11 WHERE id = 1"));
            run(t2.execute("UPDATE skew SET v = 21 WHERE id = 2"));
            run(t1.execute("COMMIT"));
            assertEquals(SqlState.SERIALIZATION_FAILURE, state(t2.execute("COMMIT")));
            assertEquals(Session.Status.IDLE, t2.status());
            assertEquals(List.of("1=11", "2=20"), rows(node.query("SELECT id, v FROM skew")));
        }
    }

    @Test
    void aLockWaitEndsAfterTheLockTimeout() throws Exception {
        table("lt", 1);
        try (Session t1 = node.db().session(); Session t2 = node.db().session()) {
            run(t1.execute("BEGIN"));
            run(t1.execute("UPDATE lt SET v = 0 WHERE id = 1"));
            CompletionStage<Long> waiting = t2.execute("UPDATE lt SET v = 1 WHERE id = 1");
            assertEquals(SqlState.LOCK_NOT_AVAILABLE, state(waiting));
            run(t1.execute("COMMIT"));
            assertEquals(List.of("1=0", "2=20"), rows(node.query("SELECT id, v FROM lt")));
        }
    }

    @Test
    void aDeadlockAbortsTheYoungerTransactionWithin40P01() throws Exception {
        table("dl", 4);
        try (Session older = node.db().session(); Session younger = node.db().session()) {
            run(older.execute("BEGIN"));
            run(younger.execute("BEGIN"));
            run(older.execute("UPDATE dl SET v = 1 WHERE id = 1"));
            run(younger.execute("UPDATE dl SET v = 2 WHERE id = 2"));
            CompletionStage<Long> olderWaits = older.execute("UPDATE dl SET v = 1 WHERE id = 2");
            assertTrue(stillWaiting(olderWaits));
            CompletionStage<Long> youngerWaits = younger.execute("UPDATE dl SET v = 2 WHERE id = 1");
            long started = System.nanoTime();
            assertEquals(SqlState.DEADLOCK_DETECTED, state(youngerWaits), "the youngest transaction of the cycle is the victim");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "broken by the detector, not the 3 s lock timeout");
            run(younger.execute("ROLLBACK"));
            assertEquals(1L, run(olderWaits));
            run(older.execute("COMMIT"));
            assertEquals(List.of("1=1", "2=1"), rows(node.query("SELECT id, v FROM dl")));
        }
    }

    @Test
    void concurrentAutocommitIncrementsLoseNothing() {
        node.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT)");
        node.execute("INSERT INTO counter VALUES (1, 0)");
        int clients = 8;
        int each = 25;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    node.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).orTimeout(60, TimeUnit.SECONDS).join();
        assertEquals(clients * each, node.query("SELECT n FROM counter").get(0).get(0));
    }

    @Test
    void aRepeatableReadSnapshotSurvivesCompaction() {
        table("gc", 1);
        try (Session t1 = node.db().session()) {
            run(t1.execute("BEGIN ISOLATION LEVEL REPEATABLE READ"));
            assertEquals(List.of("1=10", "2=20"), read(t1, "SELECT id, v FROM gc"));
            for (int i = 0; i < 5; i++) {
                node.execute("UPDATE gc SET v = v + 1");
                for (Engine e : node.db().localEngines()) {
                    e.flush();
                }
            }
            for (Engine e : node.db().localEngines()) {
                e.compact();
            }
            assertEquals(List.of("1=10", "2=20"), read(t1, "SELECT id, v FROM gc"), "versions the snapshot reads are kept");
            run(t1.execute("COMMIT"));
        }
        assertEquals(List.of("1=15", "2=25"), rows(node.query("SELECT id, v FROM gc")));
    }

    @Test
    void transactionControlOutsideASessionIsRefused() {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> node.execute("BEGIN"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertFalse(e.getMessage().isEmpty());
    }
}
