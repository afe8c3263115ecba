package io.phantomdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: POST /v1/sql answers the NDJSON documented in docs/http.md - a columns line, one array per row with
 * values in their documented JSON form, a completion line with the command tag - and maps SQL errors to the
 * documented statuses with a JSON body carrying the SQLSTATE. Method: one node and server for the class,
 * requests over java.net.http as the bootstrap superuser, results compared with the embedded API's rows.
 */
class HttpSqlTest {
    @TempDir
    static Path dir;
    static HttpFixture http;

    @BeforeAll
    static void start() {
        http = new HttpFixture(dir);
        http.node.execute("CREATE TABLE typed (id INT PRIMARY KEY, s SMALLINT, b BIGINT, d DECIMAL(20, 4), r REAL, f DOUBLE PRECISION,"
                + " v VARCHAR(20), ok BOOLEAN, day DATE, at TIMESTAMP, raw BYTEA)");
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void queryStreamsColumnsRowsAndCompletion() {
        http.node.execute("CREATE TABLE q (id INT PRIMARY KEY, name VARCHAR(10))");
        for (int i = 1; i <= 3; i++) {
            http.node.execute("INSERT INTO q VALUES ($1, $2)", i, "n" + i);
        }
        HttpFixture.Answer a = http.sql("SELECT id, name FROM q WHERE id >= $1 ORDER BY id", 2);
        assertEquals(200, a.status(), a.raw().body());
        assertEquals("application/x-ndjson", a.raw().headers().firstValue("Content-Type").orElse("").split(";")[0]);
        List<JsonNode> lines = a.lines();
        assertEquals(4, lines.size(), a.raw().body());
        JsonNode columns = lines.get(0).get("columns");
        assertEquals("id", columns.get(0).get("name").asText());
        assertEquals("INTEGER", columns.get(0).get("type").asText());
        assertEquals("VARCHAR", columns.get(1).get("type").asText());
        assertEquals("[2,\"n2\"]", lines.get(1).toString());
        assertEquals("[3,\"n3\"]", lines.get(2).toString());
        assertEquals("SELECT 2", lines.get(3).get("complete").get("tag").asText());
        assertEquals(2, lines.get(3).get("complete").get("rows").asLong());
    }

    @Test
    void everyTypeRoundTripsThroughParametersAndRows() {
        HttpFixture.Answer insert = http.sql("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                1, 7, 9_007_199_254_740_993L, new java.math.BigDecimal("12345678901234.5678"), 1.5, 2.25, "text", true,
                "2024-05-01", "2024-05-01T10:15:30.123456", "3q2+7w==");
        assertEquals(200, insert.status(), insert.raw().body());
        assertEquals("INSERT 0 1", insert.last().get("complete").get("tag").asText());
        HttpFixture.Answer a = http.sql("SELECT * FROM typed WHERE id = 1");
        assertEquals(200, a.status(), a.raw().body());
        String row = a.raw().body().split("\n")[1];
        assertEquals("[1,7,9007199254740993,12345678901234.5678,1.5,2.25,\"text\",true,\"2024-05-01\","
                + "\"2024-05-01T10:15:30.123456\",\"3q2+7w==\"]", row);
        io.phantomdb.Row embedded = http.node.query("SELECT * FROM typed WHERE id = 1").get(0);
        assertEquals(9_007_199_254_740_993L, embedded.getLong(2));
        assertTrue(java.util.Arrays.equals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}, embedded.getBytes(10)));
    }

    @Test
    void statementsWithoutRowsAnswerEmptyColumnsAndATag() {
        HttpFixture.Answer a = http.sql("CREATE TABLE norows (id INT PRIMARY KEY)");
        assertEquals(200, a.status(), a.raw().body());
        assertEquals(0, a.lines().get(0).get("columns").size());
        assertEquals("CREATE TABLE", a.last().get("complete").get("tag").asText());
        HttpFixture.Answer update = http.sql("UPDATE norows SET id = id + 1");
        assertEquals("UPDATE 0", update.last().get("complete").get("tag").asText());
    }

    @Test
    void sqlErrorsGetTheirStatusAndSqlstate() {
        assertError(http.sql("SELEKT 1"), 400, "42601");
        assertError(http.sql("SELECT * FROM no_such_table"), 400, "42P01");
        assertError(http.sql("SELECT 1 / 0"), 400, "22012");
        http.node.execute("CREATE TABLE uniq (id INT PRIMARY KEY)");
        http.node.execute("INSERT INTO uniq VALUES (1)");
        assertError(http.sql("INSERT INTO uniq VALUES (1)"), 409, "23505");
        assertError(http.sql("BEGIN"), 400, "0A000");
    }

    @Test
    void unknownRoutesAndMethodsAreJson() {
        HttpFixture.Answer missing = http.call("GET", "/v1/nothing", null);
        assertError(missing, 404, "08P01");
        HttpFixture.Answer wrong = http.call("GET", "/v1/sql", HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD));
        assertError(wrong, 405, "08P01");
        assertEquals("POST", wrong.raw().headers().firstValue("Allow").orElse(""));
        HttpFixture.Answer health = http.call("GET", "/v1/health", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
    }

    static void assertError(HttpFixture.Answer a, int status, String sqlstate) {
        assertEquals(status, a.status(), a.raw().body());
        assertEquals("application/json", a.raw().headers().firstValue("Content-Type").orElse(""), a.raw().body());
        assertEquals(sqlstate, a.sqlstate(), a.raw().body());
        assertTrue(a.json().get("error").get("message").asText().length() > 0);
    }
}
