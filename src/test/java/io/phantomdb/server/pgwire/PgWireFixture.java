package io.phantomdb.server.pgwire;

import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A test node with a pgwire server on a free loopback port and a login role {@code alice} (password {@code pw},
 * superuser so tests may create tables), plus pgjdbc connections to it. Close it after the tests.
 */
final class PgWireFixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "pw";
    private static final long START_SECONDS = 60;

    final TestNode node;
    final PgWireServer server;

    PgWireFixture(Path dir, Map<String, Object> nodeOverrides, PgWireSettings settings) throws Exception {
        node = new TestNode(dir, nodeOverrides);
        node.execute("CREATE USER " + USER + " WITH SUPERUSER PASSWORD '" + PASSWORD + "'");
        server = PgWireServer.start(node.db(), settings.withPort(0)).toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
    }

    PgWireFixture(Path dir) throws Exception {
        this(dir, Map.of(), PgWireSettings.defaults());
    }

    String url(String extra) {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/phantom" + (extra.isEmpty() ? "" : "?" + extra);
    }

    Connection connect() throws SQLException {
        return connect("", USER, PASSWORD);
    }

    Connection connect(String extra) throws SQLException {
        return connect(extra, USER, PASSWORD);
    }

    Connection connect(String extra, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url(extra), p);
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
    }
}
