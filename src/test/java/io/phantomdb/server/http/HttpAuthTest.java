package io.phantomdb.server.http;

import static io.phantomdb.server.http.HttpSqlTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: /v1 requests run only for authenticated roles and with their privileges: no or wrong credentials get 401
 * with WWW-Authenticate, tokens work until revoked or expired, and a statement the role was not granted gets
 * 403 + 42501 while a granted one runs. Method: a user alice created and granted SELECT on one table through the
 * embedded API (which runs as the superuser), a short token-ttl, and requests over java.net.http.
 */
class HttpAuthTest {
    static final long TOKEN_TTL_MS = 1500;

    @TempDir
    static Path dir;
    static HttpFixture http;
    static final String ALICE = HttpFixture.basic("alice", "pw");

    @BeforeAll
    static void start() {
        http = new HttpFixture(dir, Map.of(), Map.of("token-ttl", TOKEN_TTL_MS + "ms"));
        http.node.execute("CREATE USER alice WITH PASSWORD 'pw'");
        http.node.execute("CREATE TABLE open_t (id INT PRIMARY KEY)");
        http.node.execute("CREATE TABLE secret_t (id INT PRIMARY KEY)");
        http.node.execute("INSERT INTO open_t VALUES (1)");
        http.node.execute("GRANT SELECT ON open_t TO alice");
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void missingCredentialsAre401WithChallenge() {
        HttpFixture.Answer a = http.sqlAs(null, null, "SELECT id FROM open_t");
        assertError(a, 401, "28000");
        assertEquals("Basic realm=\"phantom\"", a.raw().headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void wrongPasswordAndUnknownUserAre401() {
        assertError(http.sqlAs(HttpFixture.basic("alice", "wrong"), null, "SELECT id FROM open_t"), 401, "28P01");
        assertError(http.sqlAs(HttpFixture.basic("mallory", "pw"), null, "SELECT id FROM open_t"), 401, "28P01");
        assertError(http.sqlAs("Bearer not-a-token", null, "SELECT id FROM open_t"), 401, "28P01");
    }

    @Test
    void grantedStatementRunsAndOthersAre403() {
        HttpFixture.Answer ok = http.sqlAs(ALICE, null, "SELECT id FROM open_t");
        assertEquals(200, ok.status(), ok.raw().body());
        assertEquals(1, ok.lines().get(1).get(0).asInt());
        assertError(http.sqlAs(ALICE, null, "SELECT id FROM secret_t"), 403, "42501");
        assertError(http.sqlAs(ALICE, null, "INSERT INTO open_t VALUES (2)"), 403, "42501");
        assertEquals(1, http.node.query("SELECT id FROM open_t").size(), "a denied INSERT changed nothing");
    }

    @Test
    void tokenWorksUntilRevoked() {
        HttpFixture.Answer issued = http.call("POST", "/v1/tokens", ALICE);
        assertEquals(200, issued.status(), issued.raw().body());
        String token = issued.json().get("token").asText();
        assertTrue(token.length() >= 40, token);
        assertTrue(issued.json().has("expires_at"));
        String bearer = "Bearer " + token;
        assertEquals(200, http.sqlAs(bearer, null, "SELECT id FROM open_t").status());
        assertError(http.sqlAs(bearer, null, "SELECT id FROM secret_t"), 403, "42501");
        assertError(http.call("POST", "/v1/tokens", bearer), 403, "42501");
        assertEquals(200, http.call("DELETE", "/v1/tokens/current", bearer).status());
        assertError(http.sqlAs(bearer, null, "SELECT id FROM open_t"), 401, "28P01");
    }

    @Test
    void tokenExpires() throws InterruptedException {
        String bearer = "Bearer " + http.call("POST", "/v1/tokens", ALICE).json().get("token").asText();
        assertEquals(200, http.sqlAs(bearer, null, "SELECT id FROM open_t").status());
        Thread.sleep(TOKEN_TTL_MS + 200);
        assertError(http.sqlAs(bearer, null, "SELECT id FROM open_t"), 401, "28P01");
    }

    @Test
    void healthNeedsNoCredentials() {
        assertEquals(200, http.call("GET", "/v1/health", null).status());
    }
}
