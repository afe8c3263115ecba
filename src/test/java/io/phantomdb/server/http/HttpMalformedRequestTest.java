package io.phantomdb.server.http;

import static io.phantomdb.server.http.HttpSqlTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: every malformed POST /v1/sql body gets the documented 4xx with a JSON error body and SQLSTATE, and runs
 * nothing (issue 6: "bad JSON, oversize body, unknown fields, wrong types each get the right 4xx and change
 * nothing"). Method: each bad body wraps an INSERT into a table that must stay empty; after every request the
 * table is counted through the embedded API.
 */
class HttpMalformedRequestTest {
    static final String INSERT = "INSERT INTO victim VALUES (1)";
    static final int MAX_REQUEST_BYTES = 4096;

    @TempDir
    static Path dir;
    static HttpFixture http;
    static String admin = HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD);

    @BeforeAll
    static void start() {
        http = new HttpFixture(dir, Map.of(), Map.of("max-request-bytes", MAX_REQUEST_BYTES));
        http.node.execute("CREATE TABLE victim (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static void assertRefused(String body, int status, String sqlstate) {
        assertError(http.postRaw(body, admin, null), status, sqlstate);
        assertEquals(0, http.node.query("SELECT id FROM victim").size(), "a refused request must change nothing: " + body);
    }

    @Test
    void badJsonIs400() {
        assertRefused("{\"sql\": \"" + INSERT + "\"", 400, "08P01");
        assertRefused("{\"sql\": \"" + INSERT + "\"} trailing", 400, "08P01");
        assertRefused("{'sql': '" + INSERT + "'}", 400, "08P01");
        assertRefused("{\"sql\": \"" + INSERT + "\", \"sql\": \"SELECT 1\"}", 400, "08P01");
        assertRefused("", 400, "08P01");
    }

    @Test
    void unknownFieldIs400() {
        assertRefused("{\"sql\": \"" + INSERT + "\", \"parms\": []}", 400, "08P01");
    }

    @Test
    void wrongFieldTypesAre400() {
        assertRefused("{\"sql\": 42}", 400, "08P01");
        assertRefused("{\"sql\": \"" + INSERT + "\", \"params\": {\"a\": 1}}", 400, "08P01");
        assertRefused("{\"sql\": \"INSERT INTO victim VALUES ($1)\", \"params\": [[1]]}", 400, "08P01");
        assertRefused("[\"" + INSERT + "\"]", 400, "08P01");
    }

    @Test
    void missingSqlIs400() {
        assertRefused("{\"params\": [1]}", 400, "08P01");
        assertRefused("{\"sql\": null}", 400, "08P01");
    }

    @Test
    void oversizeBodyIs413() {
        String padding = " ".repeat(MAX_REQUEST_BYTES);
        assertRefused("{\"sql\": \"" + INSERT + padding + "\"}", 413, "53400");
    }

    @Test
    void badSqlAndUnknownTableAre400() {
        assertRefused("{\"sql\": \"INSERT INTO victim VALUES (1) garbage\"}", 400, "42601");
        assertRefused("{\"sql\": \"INSERT INTO no_such_table VALUES (1)\"}", 400, "42P01");
        assertRefused("{\"sql\": \"INSERT INTO victim VALUES ($1)\", \"params\": [\"not a number\"]}", 400, "22P02");
    }

    @Test
    void wrongContentTypeIs415() {
        HttpFixture.Answer a = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/sql"))
                .header("Authorization", admin).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + INSERT + "\"}")));
        assertError(a, 415, "08P01");
        assertEquals(0, http.node.query("SELECT id FROM victim").size());
    }
}
