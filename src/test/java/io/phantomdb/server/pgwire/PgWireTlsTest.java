package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.server.TestCerts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: SSLRequest is honoured: with tls.enabled pgjdbc connects with sslmode=require (encrypted, certificate not
 * checked) and sslmode=verify-full (the test CA, host 127.0.0.1 in the certificate), and the SCRAM login and
 * queries work inside TLS; with TLS off, sslmode=prefer falls back to plain text and sslmode=require fails cleanly.
 *
 * <p>Method: a throwaway self-signed PKCS12 key store from {@link TestCerts}; one node with two pgwire servers
 * (TLS on and off) on free ports.
 */
class PgWireTlsTest {
    @TempDir
    static Path dir;
    static PgWireFixture plain;
    static PgWireServer tls;
    static TestCerts.Material certs;

    @BeforeAll
    static void start() throws Exception {
        Path certDir = dir.resolve("certs");
        java.nio.file.Files.createDirectories(certDir);
        certs = TestCerts.create(certDir);
        plain = new PgWireFixture(dir.resolve("node"));
        tls = PgWireServer.start(plain.node.db(), PgWireSettings.defaults().withPort(0)
                .withTls(new io.phantomdb.server.TlsSettings(true, certs.keyStore(), certs.password())))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        tls.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
        plain.close();
    }

    @Test
    void sslModeRequireConnectsOverTls() throws SQLException {
        try (Connection c = connect(tls.port(), "sslmode=require")) {
            assertEquals(42, one(c, "SELECT 42"));
            assertTrue(c.unwrap(org.postgresql.PGConnection.class) != null);
        }
    }

    @Test
    void sslModeVerifyFullTrustsTheTestCertificate() throws SQLException {
        try (Connection c = connect(tls.port(), "sslmode=verify-full&sslrootcert=" + certs.certificatePem())) {
            assertEquals(7, one(c, "SELECT 7"));
        }
    }

    @Test
    void withoutTlsPreferFallsBackAndRequireFails() throws SQLException {
        try (Connection c = connect(plain.server.port(), "sslmode=prefer")) {
            assertEquals(1, one(c, "SELECT 1"));
        }
        SQLException refused = assertThrows(SQLException.class, () -> connect(plain.server.port(), "sslmode=require"));
        assertTrue(refused.getMessage().contains("SSL"), refused.getMessage());
    }

    private static Connection connect(int port, String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PgWireFixture.USER);
        p.setProperty("password", PgWireFixture.PASSWORD);
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/phantom?" + extra, p);
    }

    private static int one(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }
}
