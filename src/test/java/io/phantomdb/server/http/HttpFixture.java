package io.phantomdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.testkit.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test node with an HTTP server on a free loopback port, a known superuser ({@link #ADMIN}) and blocking
 * request helpers over java.net.http. Not a test: shared by the HTTP tests of this package.
 */
final class HttpFixture implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-pw";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    final TestNode node;
    final HttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A node with {@code nodeOverrides} and an HTTP server with {@code httpOverrides} (keys below phantom.http). */
    HttpFixture(Path dir, Map<String, Object> nodeOverrides, Map<String, Object> httpOverrides) {
        Map<String, Object> all = new HashMap<>(nodeOverrides);
        all.putIfAbsent("phantom.security.admin-user", ADMIN);
        all.putIfAbsent("phantom.security.admin-password", ADMIN_PASSWORD);
        node = new TestNode(dir, all);
        Map<String, Object> http = new HashMap<>();
        httpOverrides.forEach((k, v) -> http.put("phantom.http." + k, v));
        http.putIfAbsent("phantom.http.port", 0);
        HttpSettings settings = HttpSettings.fromConfig(ConfigFactory.parseMap(http));
        server = node.await(HttpServer.start(node.db(), settings));
    }

    HttpFixture(Path dir) {
        this(dir, Map.of(), Map.of());
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A parsed response: status, headers and body (NDJSON lines parsed one by one, or one JSON document). */
    record Answer(int status, HttpResponse<String> raw) {
        List<JsonNode> lines() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : raw.body().split("\n")) {
                if (!line.isEmpty()) {
                    out.add(parse(line));
                }
            }
            return out;
        }

        JsonNode json() {
            return parse(raw.body());
        }

        String sqlstate() {
            return json().path("error").path("sqlstate").asText();
        }

        /** The last NDJSON line. */
        JsonNode last() {
            List<JsonNode> l = lines();
            return l.get(l.size() - 1);
        }

        private static JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.sendAsync(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(r.statusCode(), r);
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** POST /v1/sql with a raw body as the admin. */
    Answer postRaw(String body, String authorization, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/v1/sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (session != null) {
            b.header("Phantom-Session", session);
        }
        return send(b);
    }

    static String body(String sql, Object... params) {
        try {
            Map<String, Object> m = new HashMap<>();
            m.put("sql", sql);
            m.put("params", List.of(params));
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Answer sql(String sql, Object... params) {
        return postRaw(body(sql, params), basic(ADMIN, ADMIN_PASSWORD), null);
    }

    Answer sqlAs(String authorization, String session, String sql, Object... params) {
        return postRaw(body(sql, params), authorization, session);
    }

    Answer call(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    @Override
    public void close() {
        try {
            node.await(server.stop());
        } finally {
            node.close();
        }
    }
}
