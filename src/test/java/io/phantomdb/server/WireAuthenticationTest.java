package io.phantomdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.server.http.HttpServer;
import io.phantomdb.server.http.HttpSettings;
import io.phantomdb.server.pgwire.PgWireServer;
import io.phantomdb.server.pgwire.PgWireSettings;
import io.phantomdb.testkit.TestNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: who may log in is decided the same way over pgwire and HTTP, and a change of a role takes effect at once
 * on both: a NOLOGIN role is refused (pgjdbc 28P01, HTTP 401) until ALTER ROLE ... LOGIN and again after NOLOGIN;
 * after ALTER ROLE ... PASSWORD (by a superuser, or by the role itself) the old password is refused on both and
 * the new one works - over HTTP also right after the old password was used, i.e. the Basic-auth cache
 * (basic-auth-cache-ttl, 60 s by default) does not outlive the change; a dropped role is refused on both.
 * Over TLS (pgjdbc sslmode=require, HTTPS with passwords refused on plain HTTP) a plain role logs in with its
 * password, a wrong one is refused, and its privileges apply (42501 / 403). Wrong passwords in plain text and the
 * TLS handshakes themselves are covered by PgWireJdbcTest, HttpAuthTest, PgWireTlsTest and HttpTlsTest.
 *
 * <p>Method: one node serving pgwire and HTTP in plain text, plus pgwire and HTTPS servers with TLS on (a
 * throwaway key store from {@link TestCerts}); roles are changed through the embedded API (a superuser) or, for
 * a self-service password change, by the role over the wire.
 */
class WireAuthenticationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestNode node;
    static PgWireServer pgwire;
    static PgWireServer pgwireTls;
    static HttpServer http;
    static HttpServer https;
    static HttpClient plainClient;
    static HttpClient tlsClient;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir.resolve("node"), Map.of("phantom.security.admin-password", "admin-pw"));
        TestCerts.Material certs = TestCerts.create(Files.createDirectories(dir.resolve("certs")));
        pgwire = node.await(PgWireServer.start(node.db(), PgWireSettings.defaults().withPort(0)));
        pgwireTls = node.await(PgWireServer.start(node.db(), PgWireSettings.defaults().withPort(0)
                .withTls(new io.phantomdb.server.TlsSettings(true, certs.keyStore(), certs.password()))));
        http = node.await(HttpServer.start(node.db(), HttpSettings.defaults().withPort(0)));
        https = node.await(HttpServer.start(node.db(), HttpSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                "phantom.http.port", 0, "phantom.http.tls.enabled", true,
                "phantom.http.tls.key-store", certs.keyStore().toString(),
                "phantom.http.tls.key-store-password", certs.password(),
                "phantom.http.allow-password-without-tls-from-loopback", false)))));
        plainClient = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        tlsClient = HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(trusting(certs)).build();
        node.execute("CREATE TABLE open_t (id INT PRIMARY KEY)");
        node.execute("CREATE TABLE secret_t (id INT PRIMARY KEY)");
        node.execute("INSERT INTO open_t VALUES (1)");
    }

    @AfterAll
    static void stop() {
        try {
            for (HttpServer s : new HttpServer[] {http, https}) {
                if (s != null) {
                    node.await(s.stop());
                }
            }
            for (PgWireServer s : new PgWireServer[] {pgwire, pgwireTls}) {
                if (s != null) {
                    node.await(s.stop());
                }
            }
        } finally {
            node.close();
        }
    }

    @Test
    void nologinRoleIsRefusedOnBothUntilItMayLogIn() throws Exception {
        node.execute("CREATE ROLE nora NOLOGIN PASSWORD 'pw'");
        assertRefused("nora", "pw");
        node.execute("ALTER ROLE nora LOGIN");
        assertAccepted("nora", "pw"); // the password was right all along: NOLOGIN was the reason
        node.execute("ALTER ROLE nora NOLOGIN");
        assertRefused("nora", "pw"); // also over HTTP, where the password was just verified and cached
    }

    @Test
    void oldPasswordStopsWorkingAtOnceOnBoth() throws Exception {
        node.execute("CREATE USER carol PASSWORD 'old'");
        assertAccepted("carol", "old"); // over HTTP this puts the password in the Basic-auth cache
        node.execute("ALTER ROLE carol PASSWORD 'new'");
        assertRefused("carol", "old");
        assertAccepted("carol", "new");
    }

    @Test
    void roleChangingItsOwnPasswordLocksOutTheOldOne() throws Exception {
        node.execute("CREATE USER dave PASSWORD 'first'");
        try (Connection c = connect(pgwire, "dave", "first", "")) {
            c.createStatement().execute("ALTER ROLE dave PASSWORD 'second'");
        }
        assertRefused("dave", "first");
        assertAccepted("dave", "second");
        HttpResponse<String> self = post(plainClient, http, basic("dave", "second"), "ALTER USER dave WITH PASSWORD 'third'");
        assertEquals(200, self.statusCode(), self.body());
        assertRefused("dave", "second");
        assertAccepted("dave", "third");
    }

    @Test
    void droppedRoleIsRefusedOnBoth() throws Exception {
        node.execute("CREATE USER erin PASSWORD 'pw'");
        assertAccepted("erin", "pw");
        node.execute("DROP ROLE erin");
        assertRefused("erin", "pw");
    }

    @Test
    void overTlsPasswordsAndPrivilegesWorkAsInPlainText() throws Exception {
        node.execute("CREATE USER tess PASSWORD 'tls-pw'");
        node.execute("GRANT SELECT ON open_t TO tess");
        try (Connection c = connect(pgwireTls, "tess", "tls-pw", "sslmode=require")) {
            assertEquals(1, count(c, "SELECT COUNT(*) FROM open_t"));
            SQLException denied = assertThrows(SQLException.class, () -> c.createStatement().executeQuery("SELECT id FROM secret_t"));
            assertEquals("42501", denied.getSQLState());
        }
        SQLException wrong = assertThrows(SQLException.class, () -> connect(pgwireTls, "tess", "nope", "sslmode=require"));
        assertEquals("28P01", wrong.getSQLState());

        assertEquals(200, post(tlsClient, https, basic("tess", "tls-pw"), "SELECT id FROM open_t").statusCode());
        assertStatus(post(tlsClient, https, basic("tess", "tls-pw"), "SELECT id FROM secret_t"), 403, "42501");
        assertStatus(post(tlsClient, https, basic("tess", "nope"), "SELECT id FROM open_t"), 401, "28P01");
    }

    /** The role logs in over pgjdbc and HTTP Basic with {@code password} and runs a statement on each. */
    private static void assertAccepted(String role, String password) throws Exception {
        try (Connection c = connect(pgwire, role, password, "")) {
            assertEquals(42, count(c, "SELECT 42"));
        }
        HttpResponse<String> r = post(plainClient, http, basic(role, password), "SELECT 42");
        assertEquals(200, r.statusCode(), role + ": " + r.body());
    }

    /** The role cannot log in with {@code password}: pgjdbc 28P01, HTTP 401 + 28P01 + the Basic challenge. */
    private static void assertRefused(String role, String password) throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> connect(pgwire, role, password, "").close(), role);
        assertEquals("28P01", e.getSQLState(), e.getMessage());
        HttpResponse<String> r = post(plainClient, http, basic(role, password), "SELECT 42");
        assertStatus(r, 401, "28P01");
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent(), "401 carries the challenge");
    }

    private static void assertStatus(HttpResponse<String> r, int status, String sqlstate) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(sqlstate, error.path("sqlstate").asText(), r.body());
    }

    private static HttpResponse<String> post(HttpClient client, HttpServer server, String authorization, String sql) throws Exception {
        String scheme = server == https ? "https://localhost:" : "http://127.0.0.1:";
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + server.port() + "/v1/sql"))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))).timeout(TIMEOUT).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Connection connect(PgWireServer server, String user, String password, String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/phantom?" + extra, p);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static SSLContext trusting(TestCerts.Material certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.keyStore())) {
            store.load(in, certs.password().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
