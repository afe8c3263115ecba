package io.phantomdb.server.http;

import static io.phantomdb.server.http.HttpSqlTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phantomdb.server.TestCerts;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with phantom.http.tls on, HTTPS with Basic works end to end against a self-signed PKCS12 key store, and
 * without TLS a password is refused (401 + 28000) unless loopback clients are allowed to send it. Method: a key
 * store from TestCerts, a java.net.http client trusting exactly that certificate.
 */
class HttpTlsTest {
    @TempDir
    Path dir;

    @Test
    void httpsWithBasicRunsStatements() throws Exception {
        TestCerts.Material certs = TestCerts.create(Files.createDirectories(dir.resolve("certs")));
        try (HttpFixture http = new HttpFixture(dir.resolve("node"), Map.of(), Map.of("tls.enabled", true,
                "tls.key-store", certs.keyStore().toString(), "tls.key-store-password", certs.password(),
                "allow-password-without-tls-from-loopback", false))) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(certs)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + http.server.port() + "/v1/sql"))
                    .header("Authorization", HttpFixture.basic(HttpFixture.ADMIN, HttpFixture.ADMIN_PASSWORD))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(HttpFixture.body("SELECT 40 + $1 AS answer", 2)))
                    .timeout(HttpFixture.TIMEOUT).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("[42]", response.body().split("\n")[1]);
        }
    }

    @Test
    void plainHttpRefusesPasswordsUnlessLoopbackIsAllowed() {
        try (HttpFixture http = new HttpFixture(dir.resolve("plain"), Map.of(),
                Map.of("allow-password-without-tls-from-loopback", false))) {
            HttpFixture.Answer a = http.sql("SELECT 1");
            assertError(a, 401, "28000");
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
