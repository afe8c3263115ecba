package io.phantomdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.phantomdb.Row;
import io.phantomdb.security.GrantMatrix;
import io.phantomdb.server.http.HttpServer;
import io.phantomdb.server.http.HttpSettings;
import io.phantomdb.server.pgwire.PgWireServer;
import io.phantomdb.server.pgwire.PgWireSettings;
import io.phantomdb.testkit.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * Goal: the GRANT matrix of issue 6 ({@link GrantMatrix}, the same cells and PostgreSQL-derived expectations as
 * the embedded {@code GrantMatrixTest}) holds over the real interfaces: through pgjdbc against PgWireServer
 * (extended and simple query protocol), allowed cells succeed with the right count and denied ones fail with
 * SQLSTATE 42501; through HTTP {@code POST /v1/sql}, allowed cells answer 200 with a completion line and denied
 * ones 403 with a JSON body carrying 42501; a denial changes nothing on either.
 *
 * <p>Method: one node serving pgwire and HTTP on free loopback ports; the roles, tables and grants are made over
 * pgjdbc (the superuser and the owner logged in with their passwords); every role then logs in with its own
 * password (a pgjdbc connection per role, Basic credentials per request). Before each cell the table is reset
 * through the embedded API; after it, its rows are read there too. All mismatching cells are reported at once.
 * Each run finally feeds a real cell with an inverted expectation through the same path, to show a wrong
 * expectation is caught.
 */
class GrantMatrixOverWireTest {
    private static final String ADMIN = "phantom";
    private static final String ADMIN_PASSWORD = "admin-pw";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestNode node;
    static PgWireServer pgwire;
    static HttpServer http;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir, Map.of("phantom.security.admin-user", ADMIN, "phantom.security.admin-password", ADMIN_PASSWORD));
        pgwire = node.await(PgWireServer.start(node.db(), PgWireSettings.defaults().withPort(0)));
        http = node.await(HttpServer.start(node.db(), HttpSettings.defaults().withPort(0)));
        try (Connection admin = connect(ADMIN, ADMIN_PASSWORD, "extended")) {
            Connection[] owner = new Connection[1]; // opened when first used: the role exists only after setUp began
            try {
                GrantMatrix.setUp(sql -> admin.createStatement().execute(sql), sql -> {
                    if (owner[0] == null) {
                        owner[0] = connect("owner", GrantMatrix.password("owner"), "extended");
                    }
                    owner[0].createStatement().execute(sql);
                });
            } finally {
                if (owner[0] != null) {
                    owner[0].close();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (http != null) {
                node.await(http.stop());
            }
            if (pgwire != null) {
                node.await(pgwire.stop());
            }
        } finally {
            node.close();
        }
    }

    /** Runs a cell through some front end and tells what it observed. */
    @FunctionalInterface
    private interface Front {
        GrantMatrix.Outcome run(GrantMatrix.Cell cell) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    void everyCellOverPgJdbcMatchesPostgreSql(String mode) throws Exception {
        Map<String, Connection> connections = new HashMap<>();
        try {
            for (String role : GrantMatrix.roles()) {
                connections.put(role, connect(role, GrantMatrix.password(role), mode));
            }
            assertMatrix(cell -> jdbc(connections.get(cell.role()), cell));
        } finally {
            for (Connection c : connections.values()) {
                c.close();
            }
        }
    }

    @Test
    void everyCellOverHttpMatchesPostgreSql() throws Exception {
        assertMatrix(GrantMatrixOverWireTest::http);
    }

    /** Every cell through {@code front}; then one allowed and one denied cell with inverted expectations. */
    private static void assertMatrix(Front front) throws Exception {
        List<GrantMatrix.Cell> cells = GrantMatrix.cells();
        List<String> mismatches = new ArrayList<>();
        for (GrantMatrix.Cell cell : cells) {
            mismatches.addAll(run(front, cell));
        }
        assertEquals(60, cells.size());
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatching cells:\n" + String.join("\n", mismatches));
        for (boolean allowed : new boolean[] {true, false}) {
            GrantMatrix.Cell wrong = cells.stream().filter(c -> c.allowed() == allowed && !c.role().equals("owner"))
                    .findFirst().orElseThrow().inverted();
            assertFalse(run(front, wrong).isEmpty(), "a wrong expectation is caught: " + wrong);
        }
    }

    private static List<String> run(Front front, GrantMatrix.Cell cell) throws Exception {
        GrantMatrix.reset(node::execute, cell.table());
        GrantMatrix.Outcome outcome = front.run(cell);
        List<String> rows = new ArrayList<>();
        for (Row r : node.query("SELECT id, v FROM " + cell.table() + " ORDER BY id")) {
            rows.add(r.get(0) + " " + r.get(1));
        }
        return GrantMatrix.check(cell, outcome, rows);
    }

    private static GrantMatrix.Outcome jdbc(Connection c, GrantMatrix.Cell cell) {
        try (Statement s = c.createStatement()) {
            if (!s.execute(cell.sql())) {
                return GrantMatrix.Outcome.ran(s.getUpdateCount());
            }
            long n = 0;
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    n++;
                }
            }
            return GrantMatrix.Outcome.ran(n);
        } catch (SQLException e) {
            String message = e instanceof PSQLException p && p.getServerErrorMessage() != null
                    ? p.getServerErrorMessage().getMessage() : e.getMessage();
            return GrantMatrix.Outcome.failed(String.valueOf(e.getSQLState()), message);
        }
    }

    /**
     * A cell over HTTP: 200 must end with a completion line (an error line instead is reported as that error,
     * marked); 403 must carry a JSON error body (application/json); any other status or body is reported with it,
     * so it never matches 42501.
     */
    private static GrantMatrix.Outcome http(GrantMatrix.Cell cell) throws Exception {
        HttpResponse<String> r = post(basic(cell.role(), GrantMatrix.password(cell.role())), cell.sql());
        String[] lines = r.body().split("\n");
        if (r.statusCode() == 200) {
            JsonNode last = parseOrMissing(lines[lines.length - 1]);
            if (last.has("complete")) {
                JsonNode rows = last.path("complete").path("rows"); // missing: a count no cell expects
                return GrantMatrix.Outcome.ran(rows.isIntegralNumber() ? rows.asLong() : Long.MAX_VALUE);
            }
            return GrantMatrix.Outcome.failed("200 then " + last.path("error").path("sqlstate").asText(), r.body());
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode error = parseOrMissing(r.body()).path("error");
        String state = error.path("sqlstate").asText();
        boolean asDocumented = r.statusCode() == 403 && type.equals("application/json");
        return GrantMatrix.Outcome.failed(asDocumented ? state : "HTTP " + r.statusCode() + " " + type + " " + state,
                error.path("message").asText());
    }

    /** A JSON document, or a missing node when {@code text} is not one (reported as a mismatch, not thrown). */
    private static JsonNode parseOrMissing(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static HttpResponse<String> post(String authorization, String sql) throws Exception {
        String body = JSON.writeValueAsString(Map.of("sql", sql));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/sql"))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(TIMEOUT).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Connection connect(String user, String password, String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("preferQueryMode", mode);
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgwire.port() + "/phantom", p);
    }
}
