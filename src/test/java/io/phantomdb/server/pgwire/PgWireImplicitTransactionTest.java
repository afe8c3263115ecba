package io.phantomdb.server.pgwire;

import static io.phantomdb.server.pgwire.RawPgClient.status;
import static io.phantomdb.server.pgwire.RawPgClient.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a simple query of several queries and DML statements runs as one implicit transaction when no block is
 * open, as in PostgreSQL: an error rolls back the statements before it and nothing after it runs; the implicit
 * BEGIN/COMMIT send no CommandComplete; ReadyForQuery says 'I'. Inside an explicit block, with transaction control
 * in the string, or mixed with DDL, statements run as before (docs/pgwire.md "Simple query with several
 * statements").
 *
 * <p>Method: a node with table {@code t (id INT PRIMARY KEY, v INT)}; a pgwire server with trust authentication
 * ({@link PgWireFixture#trusting}); the hand-written client ({@link RawPgClient}) checks the exact messages, pgjdbc
 * with {@code preferQueryMode=simple} what an application sees; the rows left are read from the node.
 * Each test uses its own ids.
 */
class PgWireImplicitTransactionTest {
    @TempDir
    static Path dir;
    static PgWireFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PgWireFixture.trusting(dir);
        f.node.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        f.node.execute("INSERT INTO t VALUES (1, 1)");
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void statementsThatAllSucceedCommitTogetherWithTheirOwnTags() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery("INSERT INTO t VALUES (10, 1); INSERT INTO t VALUES (11, 1)");
            assertEquals(List.of('C', 'C', 'Z'), types(answer), "no CommandComplete for the implicit BEGIN/COMMIT");
            assertEquals("INSERT 0 1", tag(answer.get(0)));
            assertEquals("INSERT 0 1", tag(answer.get(1)));
            assertEquals('I', status(answer));
        }
        assertEquals(2, count("id IN (10, 11)"));
    }

    @Test
    void aDuplicateKeyRollsBackTheStatementsBeforeItAndStopsTheRest() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery(
                    "INSERT INTO t VALUES (20, 1); INSERT INTO t VALUES (1, 2); INSERT INTO t VALUES (21, 1)");
            assertEquals(List.of('C', 'E', 'Z'), types(answer));
            assertEquals("23505", answer.get(1).field('C'));
            assertEquals('I', status(answer));
        }
        assertEquals(0, count("id IN (20, 21)"));
        assertEquals(1, count("id = 1 AND v = 1"), "the existing row is untouched");
    }

    @Test
    void aFailingQueryRollsBackTheDmlBeforeIt() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery("INSERT INTO t VALUES (30, 1); SELECT 1/0");
            assertEquals('E', answer.get(answer.size() - 2).type());
            assertEquals("22012", answer.get(answer.size() - 2).field('C'));
            assertEquals('I', status(answer));
        }
        assertEquals(0, count("id = 30"));
    }

    @Test
    void aStatementThatDoesNotCompileRollsBackTheOthers() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery("UPDATE t SET v = 5 WHERE id = 1; INSERT INTO no_such_table VALUES (1)");
            assertEquals(List.of('C', 'E', 'Z'), types(answer));
            assertEquals("42P01", answer.get(1).field('C'));
            assertEquals('I', status(answer));
        }
        assertEquals(1, count("id = 1 AND v = 1"));
    }

    @Test
    void aQueryInTheImplicitTransactionSeesItsWrites() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery(
                    "INSERT INTO t VALUES (40, 7); SELECT v FROM t WHERE id = 40; SELECT COUNT(*) FROM t WHERE id >= 40 AND id < 50");
            assertEquals(List.of('C', 'T', 'D', 'C', 'T', 'D', 'C', 'Z'), types(answer));
            assertEquals("SELECT 1", tag(answer.get(3)));
            assertEquals("SELECT 1", tag(answer.get(6)));
            assertEquals('I', status(answer));
        }
        assertEquals(1, count("id = 40 AND v = 7"));
    }

    @Test
    void insideAnExplicitBlockAnErrorFailsTheBlockAsBefore() throws Exception {
        try (RawPgClient c = f.login()) {
            assertEquals('T', status(c.simpleQuery("BEGIN")));
            List<RawPgClient.Message> ok = c.simpleQuery("INSERT INTO t VALUES (50, 1); INSERT INTO t VALUES (51, 1)");
            assertEquals(List.of('C', 'C', 'Z'), types(ok));
            assertEquals('T', status(ok), "the block stays open: no implicit COMMIT");
            List<RawPgClient.Message> failed = c.simpleQuery("INSERT INTO t VALUES (52, 1); INSERT INTO t VALUES (1, 2)");
            assertEquals(List.of('C', 'E', 'Z'), types(failed));
            assertEquals('E', status(failed), "the error fails the explicit block");
            List<RawPgClient.Message> commit = c.simpleQuery("COMMIT");
            assertEquals("ROLLBACK", tag(commit.get(0)));
            assertEquals('I', status(commit));
        }
        assertEquals(0, count("id >= 50 AND id < 60"));
    }

    @Test
    void explicitTransactionControlInTheStringWorksAsWritten() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> block = c.simpleQuery("BEGIN; INSERT INTO t VALUES (60, 1); COMMIT");
            assertEquals(List.of("BEGIN", "INSERT 0 1", "COMMIT"), block.subList(0, 3).stream().map(PgWireImplicitTransactionTest::tag).toList());
            assertEquals('I', status(block));
            // COMMIT in the middle commits what came before it, as in PostgreSQL
            List<RawPgClient.Message> middle = c.simpleQuery("INSERT INTO t VALUES (61, 1); COMMIT; INSERT INTO t VALUES (1, 2)");
            assertEquals(List.of('C', 'C', 'E', 'Z'), types(middle));
            assertEquals('I', status(middle));
        }
        assertEquals(2, count("id IN (60, 61)"));
    }

    @Test
    void aStringWithDdlRunsStatementByStatement() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> answer = c.simpleQuery("CREATE TABLE mixed (id INT PRIMARY KEY); INSERT INTO mixed VALUES (1); "
                    + "INSERT INTO mixed VALUES (1); INSERT INTO mixed VALUES (2)");
            assertEquals(List.of('C', 'C', 'E', 'Z'), types(answer));
            assertEquals("23505", answer.get(2).field('C'));
            assertEquals('I', status(answer));
        }
        assertEquals(1L, f.node.query("SELECT COUNT(*) FROM mixed").get(0).getLong(0),
                "the deviation from PostgreSQL: each statement was its own transaction (docs/pgwire.md)");
    }

    @Test
    void pgjdbcInSimpleModeGetsTheImplicitTransaction() throws Exception {
        try (Connection c = f.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO t VALUES (80, 1); INSERT INTO t VALUES (1, 2); INSERT INTO t VALUES (81, 1)"));
            assertEquals("23505", e.getSQLState());
            s.execute("INSERT INTO t VALUES (82, 1); INSERT INTO t VALUES (83, 1)");
            assertEquals(1, s.getUpdateCount());
            assertTrue(!s.getMoreResults() && s.getUpdateCount() == 1, "one update count per statement");
        }
        assertEquals(0, count("id IN (80, 81)"));
        assertEquals(2, count("id IN (82, 83)"));
    }

    @Test
    void aSingleStatementRunsAsBefore() throws Exception {
        try (RawPgClient c = f.login()) {
            List<RawPgClient.Message> ok = c.simpleQuery("INSERT INTO t VALUES (70, 1)");
            assertEquals(List.of('C', 'Z'), types(ok));
            assertEquals('I', status(ok));
            List<RawPgClient.Message> failed = c.simpleQuery("INSERT INTO t VALUES (70, 2)");
            assertEquals(List.of('E', 'Z'), types(failed));
            assertEquals('I', status(failed));
        }
        assertEquals(1, count("id = 70 AND v = 1"));
    }

    /** A CommandComplete's tag (its body without the terminating NUL). */
    private static String tag(RawPgClient.Message m) {
        assertEquals('C', m.type());
        return m.text().trim();
    }

    private static long count(String where) {
        List<Row> rows = f.node.query("SELECT COUNT(*) FROM t WHERE " + where);
        return rows.get(0).getLong(0);
    }
}
