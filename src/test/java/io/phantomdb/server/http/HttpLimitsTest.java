package io.phantomdb.server.http;

import static io.phantomdb.server.http.HttpSqlTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the limits of phantom.http each hold and say which one was hit: max-result-rows cuts a streamed result
 * exactly at the limit with a final 53400 line; statement-timeout cuts a query that has not produced a row yet
 * with 503 + 57014, and one already streaming with a final 57014 line; max-statements refuses the statement
 * beyond the limit with 503 + 53400 and frees the slot when the holder goes; max-tokens refuses the token beyond
 * the limit with 503 + 53400 until one is revoked or expires.
 *
 * <p>Method: small limits on a fresh server per test. Slow queries are a three-way cross join of a 400-row table
 * (64 million combinations, many seconds of work), so only the limit can end them in time; a statement is held
 * running by a raw-socket reader that stops reading a streamed result ({@link SlowReader}). Waits are polls of
 * {@link HttpServer#stats()} with a deadline, never fixed sleeps, except to let a token's TTL pass.
 */
class HttpLimitsTest {
    private static final String SPIN_COUNT = "SELECT COUNT(*) FROM spin a, spin b, spin c WHERE a.id + b.id + c.id >= 0";
    private static final String SPIN_ROWS = "SELECT a.id, b.id, c.id FROM spin a, spin b, spin c";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void resultIsCutAtMaxResultRowsWithAnErrorLine() {
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("max-result-rows", 5))) {
            http.node.execute("CREATE TABLE many (id INT PRIMARY KEY)");
            for (int i = 0; i < 20; i++) {
                http.node.execute("INSERT INTO many VALUES ($1)", i);
            }
            HttpFixture.Answer a = http.sql("SELECT id FROM many");
            assertEquals(200, a.status(), a.raw().body());
            List<JsonNode> lines = a.lines();
            assertEquals(1 + 5 + 1, lines.size(), a.raw().body());
            assertEquals("53400", lines.get(6).get("error").get("sqlstate").asText());
            HttpFixture.Answer atLimit = http.sql("SELECT id FROM many LIMIT 5");
            assertEquals(7, atLimit.lines().size(), atLimit.raw().body());
            assertEquals(5, atLimit.last().get("complete").get("rows").asLong(), "a result of exactly the limit is whole");
        }
    }

    @Test
    void statementTimeoutBeforeTheFirstRowIs503With57014() {
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("statement-timeout", "300ms"))) {
            spin(http);
            long start = System.nanoTime();
            HttpFixture.Answer a = http.sql(SPIN_COUNT);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertError(a, 503, "57014");
            assertTrue(a.json().get("error").get("message").asText().contains("statement timeout"), a.raw().body());
            assertTrue(tookMs < DEADLINE.toMillis() / 2, "cut by the timeout, not run to its end: " + tookMs + " ms");
            awaitTrue(() -> http.server.stats().runningStatements() == 0, "the statement's slot is freed");
            assertEquals(200, http.sql("SELECT COUNT(*) FROM spin").status(), "the server goes on");
        }
    }

    @Test
    void statementTimeoutWhileStreamingEndsTheBodyWith57014() throws Exception {
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("statement-timeout", "500ms"))) {
            spin(http);
            HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + "/v1/sql"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD))
                    .POST(HttpRequest.BodyPublishers.ofString(HttpFixture.body(SPIN_ROWS))).timeout(DEADLINE).build();
            HttpResponse<Stream<String>> r = http.client.send(request, HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            long rows = 0;
            String first;
            String last;
            try (Stream<String> lines = r.body()) {
                Iterator<String> it = lines.iterator();
                first = it.next();
                last = first;
                while (it.hasNext()) { // bounded: the server ends the body at the timeout (or the request times out)
                    last = it.next();
                    rows += last.startsWith("[") ? 1 : 0;
                }
            }
            assertTrue(HttpFixture.JSON.readTree(first).has("columns"), first);
            assertTrue(rows > 0 && rows < 64_000_000L, "rows streamed before the cut: " + rows);
            JsonNode end = HttpFixture.JSON.readTree(last);
            assertEquals("57014", end.path("error").path("sqlstate").asText(), last);
            awaitTrue(() -> http.server.stats().runningStatements() == 0, "the statement's slot is freed");
        }
    }

    @Test
    void statementsBeyondMaxStatementsGet503AndTheSlotIsFreedWhenTheHolderGoes() throws Exception {
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("max-statements", 1, "statement-timeout", "0s"))) {
            spin(http);
            try (SlowReader holder = new SlowReader(http.server.port(), "/v1/sql",
                    HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD), HttpFixture.body(SPIN_ROWS))) {
                assertEquals(200, holder.status);
                assertTrue(HttpFixture.JSON.readTree(holder.line()).has("columns"));
                // the holder stops reading here: its statement stays running, held back by TCP flow control
                assertEquals(1, http.server.stats().runningStatements());
                HttpFixture.Answer refused = http.sql("SELECT 1");
                assertError(refused, 503, "53400");
                assertTrue(refused.json().get("error").get("message").asText().contains("max-statements"), refused.raw().body());
                HttpFixture.Answer refusedDml = http.sql("INSERT INTO spin VALUES (1000)");
                assertError(refusedDml, 503, "53400");
            }
            awaitTrue(() -> http.server.stats().runningStatements() == 0, "a disconnected reader's statement is cancelled");
            assertEquals(200, http.sql("SELECT 1").status());
            assertEquals(400L, http.node.query("SELECT COUNT(*) FROM spin").get(0).get(0), "the refused INSERT did not run");
        }
    }

    @Test
    void tokensBeyondMaxTokensGet503UntilOneIsRevoked() {
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("max-tokens", 2))) {
            String admin = HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD);
            String first = token(http, admin);
            String second = token(http, admin);
            HttpFixture.Answer refused = http.call("POST", "/v1/tokens", admin);
            assertError(refused, 503, "53400");
            assertTrue(refused.json().get("error").get("message").asText().contains("max-tokens"), refused.raw().body());
            assertEquals(2, http.server.stats().tokens());
            assertEquals(200, http.sqlAs("Bearer " + first, null, "SELECT 1").status(), "live tokens still work");
            assertEquals(200, http.call("DELETE", "/v1/tokens/current", "Bearer " + first).status());
            String third = token(http, admin);
            assertEquals(200, http.sqlAs("Bearer " + second, null, "SELECT 1").status());
            assertEquals(200, http.sqlAs("Bearer " + third, null, "SELECT 1").status());
            assertError(http.call("POST", "/v1/tokens", admin), 503, "53400");
        }
    }

    @Test
    void expiredTokensMakeRoomAtMaxTokens() throws InterruptedException {
        long ttlMs = 1000;
        try (HttpFixture http = new HttpFixture(dir, Map.of(), Map.of("max-tokens", 1, "token-ttl", ttlMs + "ms"))) {
            String admin = HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD);
            token(http, admin);
            assertEquals(1, http.server.stats().tokens());
            Thread.sleep(ttlMs + 200); // the store is full of one expired token, never looked up since
            String fresh = token(http, admin);
            assertEquals(1, http.server.stats().tokens(), "the expired token was dropped to make room");
            assertEquals(200, http.sqlAs("Bearer " + fresh, null, "SELECT 1").status());
        }
    }

    private static String token(HttpFixture http, String authorization) {
        HttpFixture.Answer a = http.call("POST", "/v1/tokens", authorization);
        assertEquals(200, a.status(), a.raw().body());
        return a.json().get("token").asText();
    }

    /** A 400-row table: its three-way cross join is 64 million combinations, far more than any test waits for. */
    private static void spin(HttpFixture http) {
        http.node.execute("CREATE TABLE spin (id INT PRIMARY KEY)");
        StringBuilder sql = new StringBuilder("INSERT INTO spin VALUES (0)");
        for (int i = 1; i < 400; i++) {
            sql.append(", (").append(i).append(')');
        }
        http.node.execute(sql.toString());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
