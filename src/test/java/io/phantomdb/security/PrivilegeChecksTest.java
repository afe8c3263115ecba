package io.phantomdb.security;

import static io.phantomdb.security.GrantMatrixTest.rows;
import static io.phantomdb.security.GrantMatrixTest.run;
import static io.phantomdb.security.RoleStatementsTest.assertState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.SqlState;
import io.phantomdb.sql.SessionState;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the privilege rules beyond the matrix - REVOKE, ALL TABLES IN SCHEMA, PUBLIC, schema CREATE and
 * USAGE, ownership for DDL, reads through sub-queries, views and EXPLAIN, grants surviving a restart and
 * dying with their table, sagas, blocks. Method: statements of sessions of plain roles on a real node, each
 * asserting the statement's outcome and (for denials) that nothing changed.
 */
class PrivilegeChecksTest {
    @TempDir
    Path dir;
    private TestNode node;
    private SessionState alice;
    private SessionState bob;

    @BeforeEach
    void start() {
        node = new TestNode(dir, Map.of("phantom.security.admin-password", "pw"));
        node.execute("CREATE TABLE t1 (id INT PRIMARY KEY, v TEXT)");
        node.execute("CREATE TABLE t2 (id INT PRIMARY KEY, v TEXT)");
        node.execute("INSERT INTO t1 VALUES (1, 'a')");
        node.execute("INSERT INTO t2 VALUES (1, 'x')");
        node.execute("CREATE USER alice");
        node.execute("CREATE USER bob");
        alice = node.db().engine().session("alice");
        bob = node.db().engine().session("bob");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private long as(SessionState session, String sql) {
        return node.await(session.execute(sql, new Object[0]));
    }

    @Test
    void revokeTakesEffectForTheNextStatement() {
        node.execute("GRANT SELECT, INSERT ON t1 TO alice");
        assertEquals(1, as(alice, "SELECT * FROM t1"));
        node.execute("REVOKE SELECT ON t1 FROM alice");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "SELECT * FROM t1"));
        assertEquals(1, as(alice, "INSERT INTO t1 VALUES (2, 'b')"), "the other privilege stays");
        node.execute("REVOKE ALL ON t1 FROM alice");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "INSERT INTO t1 VALUES (3, 'c')"));
        assertEquals(List.of("1 a", "2 b"), rows(node, "t1"));
    }

    @Test
    void grantOnAllTablesInSchemaAndToPublic() {
        node.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO alice");
        assertEquals(1, as(alice, "SELECT * FROM t1"));
        assertEquals(1, as(alice, "SELECT * FROM t2"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM t2"));
        node.execute("GRANT SELECT ON t2 TO PUBLIC");
        assertEquals(1, as(bob, "SELECT * FROM t2"), "PUBLIC is every role");
        assertTrue(node.db().security().grants().contains(new Grant(Security.PUBLIC, "t2", Privilege.SELECT)));
        node.execute("REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM alice, PUBLIC");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "SELECT * FROM t1"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM t2"));
    }

    @Test
    void createTableNeedsCreateOnSchemaAndTheCreatorOwnsTheTable() {
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "CREATE TABLE mine (id INT PRIMARY KEY)"));
        assertFalse(node.db().engine().catalogSnapshot().tables().containsKey("mine"), "nothing created");
        node.execute("GRANT CREATE ON SCHEMA public TO alice");
        as(alice, "CREATE TABLE mine (id INT PRIMARY KEY)");
        assertEquals("alice", node.db().security().owner("mine").orElseThrow());
        assertEquals(1, as(alice, "INSERT INTO mine VALUES (1)"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM mine"));
        as(alice, "GRANT SELECT ON mine TO bob");
        assertEquals(1, as(bob, "SELECT * FROM mine"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "GRANT SELECT ON mine TO bob"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "GRANT SELECT ON t1 TO alice"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "CREATE INDEX mine_id ON mine (id)"));
        as(alice, "CREATE INDEX mine_id ON mine (id)");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "DROP INDEX mine_id"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "DROP TABLE mine"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "DROP TABLE t1"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "ANALYZE"));
        as(alice, "ANALYZE mine");
        assertState(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, () -> node.execute("DROP ROLE alice"));
        as(alice, "DROP TABLE mine");
        assertTrue(node.db().security().grants().stream().noneMatch(g -> g.object().equals("mine")), "grants went with it");
        node.execute("CREATE TABLE mine (id INT PRIMARY KEY)");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM mine")); // a new table: no old grants
        node.execute("REVOKE CREATE ON SCHEMA public FROM alice");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "CREATE TABLE again (id INT PRIMARY KEY)"));
    }

    @Test
    void withoutUsageOnTheSchemaNothingInItIsReachable() {
        node.execute("GRANT SELECT ON t1 TO alice");
        node.execute("REVOKE USAGE ON SCHEMA public FROM PUBLIC");
        PhantomAssert.denied(() -> as(alice, "SELECT * FROM t1"), "permission denied for schema public");
        node.execute("GRANT USAGE ON SCHEMA public TO alice");
        assertEquals(1, as(alice, "SELECT * FROM t1"));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "GRANT USAGE ON SCHEMA public TO bob"));
        assertState(SqlState.INVALID_SCHEMA_NAME, () -> node.execute("GRANT USAGE ON SCHEMA other TO bob"));
        assertState(SqlState.INVALID_GRANT_OPERATION, () -> node.execute("GRANT SELECT ON SCHEMA public TO bob"));
        assertState(SqlState.INVALID_GRANT_OPERATION, () -> node.execute("GRANT USAGE ON t1 TO bob"));
    }

    @Test
    void readsThroughSubqueriesViewsInsertSelectAndExplainNeedSelect() {
        node.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON t1 TO alice");
        node.execute("CREATE VIEW v2 AS SELECT id, v FROM t2");
        PhantomAssert.denied(() -> as(alice, "SELECT * FROM t1 WHERE id IN (SELECT id FROM t2)"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(alice, "SELECT * FROM v2"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(alice, "INSERT INTO t1 SELECT id + 10, v FROM t2"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(alice, "DELETE FROM t1 WHERE id IN (SELECT id FROM t2)"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(alice, "UPDATE t1 SET v = (SELECT max(v) FROM t2)"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(alice, "EXPLAIN SELECT * FROM t2"), "permission denied for table t2");
        PhantomAssert.denied(() -> as(bob, "EXPLAIN INSERT INTO t1 VALUES (5, 'e')"), "permission denied for table t1");
        assertEquals(List.of("1 a"), rows(node, "t1"), "nothing changed");
        node.execute("GRANT SELECT ON t2 TO alice");
        assertEquals(1, as(alice, "SELECT * FROM v2"), "a view needs SELECT on the tables under it");
        assertEquals(1, as(alice, "INSERT INTO t1 SELECT id + 10, v FROM t2"));
        assertTrue(as(alice, "EXPLAIN SELECT * FROM t2") > 0);
        assertState(SqlState.FEATURE_NOT_SUPPORTED, () -> node.execute("GRANT SELECT ON v2 TO bob"));
        assertState(SqlState.UNDEFINED_TABLE, () -> node.execute("GRANT SELECT ON nope TO bob"));
    }

    @Test
    void streamedQueriesArePrivilegeCheckedToo() {
        org.apache.pekko.stream.javadsl.Source<SessionState.Result, ?> denied = alice.stream("SELECT * FROM t1", new Object[0]);
        PhantomAssert.denied(() -> node.await(denied.runWith(org.apache.pekko.stream.javadsl.Sink.seq(), node.system())),
                "permission denied for table t1");
    }

    @Test
    void aDeniedStatementFailsTheBlockAndChangesNothing() {
        node.execute("GRANT INSERT ON t1 TO alice");
        as(alice, "BEGIN");
        as(alice, "INSERT INTO t1 VALUES (7, 'g')");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "INSERT INTO t2 VALUES (7, 'g')"));
        assertEquals(SessionState.Status.FAILED, alice.status());
        as(alice, "COMMIT");
        assertEquals(List.of("1 a"), rows(node, "t1"), "the failed block rolled back");
    }

    @Test
    void sagasNeedASuperuser() {
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(alice, "SHOW SAGAS"));
    }

    @Test
    void grantsAndOwnershipSurviveARestart() {
        node.execute("GRANT CREATE ON SCHEMA public TO alice");
        as(alice, "CREATE TABLE mine (id INT PRIMARY KEY)");
        node.execute("GRANT SELECT ON t1 TO bob");
        node.restart();
        SessionState bobAgain = node.db().engine().session("bob");
        SessionState aliceAgain = node.db().engine().session("alice");
        assertEquals(1, node.await(bobAgain.execute("SELECT * FROM t1", new Object[0])));
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> node.await(bobAgain.execute("SELECT * FROM t2", new Object[0])));
        assertEquals("alice", node.db().security().owner("mine").orElseThrow());
        node.await(aliceAgain.execute("CREATE TABLE mine2 (id INT PRIMARY KEY)", new Object[0]));
        assertEquals(List.of(new Grant("alice", "public", Privilege.CREATE), new Grant("public", "public", Privilege.USAGE)),
                node.db().security().schemaGrants());
    }

    @Test
    void aDroppedRoleLosesItsGrantsAndItsSessionsTheirPrivileges() {
        node.execute("GRANT SELECT ON t1 TO bob");
        node.execute("DROP ROLE bob");
        assertTrue(node.db().security().grants().isEmpty());
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM t1"));
        node.execute("CREATE ROLE bob");
        assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> as(bob, "SELECT * FROM t1")); // a new role: no old grants
    }

    /** Assertions on the message as well as the state. */
    static final class PhantomAssert {
        static void denied(Runnable statement, String message) {
            io.phantomdb.error.PhantomSqlException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.phantomdb.error.PhantomSqlException.class, statement::run);
            assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, e.state(), e.getMessage());
            assertEquals(message, e.getMessage());
        }
    }
}
