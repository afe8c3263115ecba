package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.server.TestCerts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        tls = plain.start(PgWireSettings.defaults()
                .withTls(new io.phantomdb.server.TlsSettings(true, certs.keyStore(), certs.password())));
    }

    @AfterAll
    static void stop() throws Exception {
        PgWireFixture.stop(tls);
        plain.close();
    }

    @Test
    void sslModeRequireConnectsOverTls() throws SQLException {
        try (Connection c = PgWireFixture.connect(tls, "sslmode=require")) {
            assertEquals(42, one(c, "SELECT 42"));
            assertTrue(c.unwrap(org.postgresql.PGConnection.class) != null);
        }
    }

    @Test
    void sslModeVerifyFullTrustsTheTestCertificate() throws SQLException {
        try (Connection c = PgWireFixture.connect(tls, "sslmode=verify-full&sslrootcert=" + certs.certificatePem())) {
            assertEquals(7, one(c, "SELECT 7"));
        }
    }

    @Test
    void withoutTlsPreferFallsBackAndRequireFails() throws SQLException {
        try (Connection c = plain.connect("sslmode=prefer")) {
            assertEquals(1, one(c, "SELECT 1"));
        }
        SQLException refused = assertThrows(SQLException.class, () -> plain.connect("sslmode=require"));
        assertTrue(refused.getMessage().contains("SSL"), refused.getMessage());
    }

    private static int one(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }
}
