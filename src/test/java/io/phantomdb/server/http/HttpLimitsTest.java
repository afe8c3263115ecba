package io.phantomdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: max-result-rows cuts a streamed result exactly at the limit and says so with a final 53400 error line.
 * Method: a server with max-result-rows = 5 and a query of 20 rows; the NDJSON lines are counted.
 */
class HttpLimitsTest {
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
}
