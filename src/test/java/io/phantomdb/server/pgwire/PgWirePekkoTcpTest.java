package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the Pekko Streams TCP transport (transport = "pekko-tcp", no longer the default) still carries the
 * protocol: SCRAM login, DDL, a prepared insert and select, a transaction rolled back, and the connection slot
 * freed on close. Method: pgjdbc against a {@link PgWireFixture} on that transport.
 */
class PgWirePekkoTcpTest {
    @TempDir
    Path dir;

    @Test
    void pgjdbcStatementsRunOverPekkoTcp() throws Exception {
        PgWireSettings settings = PgWireSettings.defaults().withTransport(PgWireSettings.Transport.PEKKO_TCP,
                PgWireSettings.SELECTOR_THREADS_DEFAULT, PgWireSettings.MAX_BUFFERED_INPUT_DEFAULT, PgWireSettings.READ_BUFFER_SIZE_DEFAULT);
        try (PgWireFixture f = new PgWireFixture(dir, Map.of(), settings)) {
            assertNull(f.server.nioTransport(), "no nio transport runs");
            try (Connection c = f.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE p (id INT PRIMARY KEY, v VARCHAR(10))");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO p VALUES (?, ?)")) {
                    for (int i = 0; i < 10; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "v" + i);
                        assertEquals(1, insert.executeUpdate());
                    }
                }
                c.setAutoCommit(false);
                s.executeUpdate("DELETE FROM p WHERE id = 3");
                c.rollback();
                c.setAutoCommit(true);
                try (PreparedStatement select = c.prepareStatement("SELECT v FROM p WHERE id = ?")) {
                    select.setInt(1, 3);
                    try (ResultSet rs = select.executeQuery()) {
                        assertTrue(rs.next(), "the rolled-back delete left the row");
                        assertEquals("v3", rs.getString(1));
                        assertFalse(rs.next());
                    }
                }
                assertEquals(1, f.server.connections());
            }
            for (int i = 0; i < 200 && f.server.connections() > 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(0, f.server.connections(), "closing frees the slot");
        }
    }
}
