package io.phantomdb.server.http;

import static io.phantomdb.server.http.HttpSqlTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: HTTP sessions carry a transaction block across requests: BEGIN and INSERT in separate requests are
 * invisible until COMMIT, gone after ROLLBACK, rolled back when the session is deleted or stays idle past
 * session-idle-timeout, and a session belongs to the role that opened it. Method: a short idle timeout and
 * requests with Phantom-Session; visibility checked through the embedded API.
 */
class HttpSessionTest {
    static final long IDLE_TIMEOUT_MS = 600;

    @TempDir
    static Path dir;
    static HttpFixture http;
    static final String ADMIN = HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD);

    @BeforeAll
    static void start() {
        http = new HttpFixture(dir, Map.of(), Map.of("session-idle-timeout", IDLE_TIMEOUT_MS + "ms"));
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static String open() {
        HttpFixture.Answer a = http.call("POST", "/v1/sessions", ADMIN);
        assertEquals(200, a.status(), a.raw().body());
        return a.json().get("session").asText();
    }

    private static void ok(String session, String sql, Object... params) {
        HttpFixture.Answer a = http.sqlAs(ADMIN, session, sql, params);
        assertEquals(200, a.status(), a.raw().body());
        assertEquals(true, a.last().has("complete"), a.raw().body());
    }

    private static int count(String table) {
        return http.node.query("SELECT id FROM " + table).size();
    }

    @Test
    void commitAcrossRequestsIsVisibleAndRollbackLeavesNothing() {
        http.node.execute("CREATE TABLE s1 (id INT PRIMARY KEY)");
        String s = open();
        ok(s, "BEGIN");
        ok(s, "INSERT INTO s1 VALUES ($1)", 1);
        HttpFixture.Answer inside = http.sqlAs(ADMIN, s, "SELECT id FROM s1");
        assertEquals(3, inside.lines().size(), "the block sees its own insert: " + inside.raw().body());
        assertEquals(0, count("s1"), "uncommitted rows are invisible outside the session");
        ok(s, "ROLLBACK");
        assertEquals(0, count("s1"));
        ok(s, "BEGIN");
        ok(s, "INSERT INTO s1 VALUES ($1)", 2);
        ok(s, "COMMIT");
        assertEquals(1, count("s1"));
        assertEquals(200, http.call("DELETE", "/v1/sessions/" + s, ADMIN).status());
        assertError(http.sqlAs(ADMIN, s, "SELECT 1"), 404, "42704");
    }

    @Test
    void deletingASessionRollsBack() {
        http.node.execute("CREATE TABLE s2 (id INT PRIMARY KEY)");
        String s = open();
        ok(s, "BEGIN");
        ok(s, "INSERT INTO s2 VALUES (1)");
        assertEquals(200, http.call("DELETE", "/v1/sessions/" + s, ADMIN).status());
        assertEquals(0, count("s2"));
        assertEquals(0, http.node.execute("INSERT INTO s2 VALUES (1)") - 1, "no lock is left behind");
    }

    @Test
    void idleSessionIsClosedAndRolledBack() throws InterruptedException {
        http.node.execute("CREATE TABLE s3 (id INT PRIMARY KEY)");
        String s = open();
        ok(s, "BEGIN");
        ok(s, "INSERT INTO s3 VALUES (1)");
        // Closed at the first idle check after the timeout; checks run every idle-timeout / 4.
        Thread.sleep(IDLE_TIMEOUT_MS + IDLE_TIMEOUT_MS / 4 + 500);
        HttpFixture.Answer a = http.sqlAs(ADMIN, s, "COMMIT");
        assertError(a, 404, "42704");
        assertEquals(0, count("s3"), "the idle session's block was rolled back");
    }

    @Test
    void failedStatementFailsTheBlockUntilRollback() {
        http.node.execute("CREATE TABLE s4 (id INT PRIMARY KEY)");
        String s = open();
        ok(s, "BEGIN");
        ok(s, "INSERT INTO s4 VALUES (1)");
        assertError(http.sqlAs(ADMIN, s, "SELEKT"), 400, "42601");
        assertError(http.sqlAs(ADMIN, s, "INSERT INTO s4 VALUES (2)"), 409, "25P02");
        ok(s, "ROLLBACK");
        assertEquals(0, count("s4"));
    }

    @Test
    void sessionBelongsToItsRole() {
        http.node.execute("CREATE USER bob WITH PASSWORD 'bpw'");
        String s = open();
        assertError(http.sqlAs(HttpFixture.basic("bob", "bpw"), s, "SELECT 1"), 404, "42704");
        assertError(http.call("DELETE", "/v1/sessions/" + s, HttpFixture.basic("bob", "bpw")), 404, "42704");
        ok(s, "SELECT 1");
    }

    @Test
    void sessionsAreLimited() throws Exception {
        try (HttpFixture small = new HttpFixture(dir.resolve("small"), Map.of(), Map.of("max-sessions", 1))) {
            assertEquals(200, small.call("POST", "/v1/sessions", ADMIN).status());
            assertError(small.call("POST", "/v1/sessions", ADMIN), 503, "53300");
        }
    }
}
