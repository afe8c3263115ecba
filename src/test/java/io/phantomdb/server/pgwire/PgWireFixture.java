package io.phantomdb.server.pgwire;

import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineStats;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A test node with a pgwire server on a free loopback port and a login role {@code alice} (password {@code pw},
 * superuser so tests may create tables), plus pgjdbc connections and logged-in {@link RawPgClient}s to it. The
 * server authenticates as the node is configured (SCRAM), or, for a fixture made with {@link #trusting}, lets every
 * login in: the hand-written client does not speak SCRAM. Close it after the tests.
 */
final class PgWireFixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "pw";
    private static final long WAIT_SECONDS = 60;
    /** The storage block size the block counts below assume. */
    private static final long BLOCK_BYTES = 16 * 1024;

    final TestNode node;
    final PgWireServer server;
    private final boolean trust;

    PgWireFixture(Path dir, Map<String, Object> nodeOverrides, PgWireSettings settings) throws Exception {
        this(dir, nodeOverrides, settings, false);
    }

    PgWireFixture(Path dir) throws Exception {
        this(dir, Map.of(), PgWireSettings.defaults());
    }

    private PgWireFixture(Path dir, Map<String, Object> nodeOverrides, PgWireSettings settings, boolean trust) throws Exception {
        this.trust = trust;
        node = new TestNode(dir, nodeOverrides);
        try {
            node.execute("CREATE USER " + USER + " WITH SUPERUSER PASSWORD '" + PASSWORD + "'");
            server = start(settings);
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    /** A fixture whose servers let every login in without a password (trust authentication). */
    static PgWireFixture trusting(Path dir, PgWireSettings settings) throws Exception {
        return new PgWireFixture(dir, Map.of(), settings, true);
    }

    static PgWireFixture trusting(Path dir) throws Exception {
        return trusting(dir, PgWireSettings.defaults());
    }

    /**
     * Another server for this node on a free port, authenticating as the fixture's does; the caller stops it
     * ({@link #stop}).
     */
    PgWireServer start(PgWireSettings settings) throws Exception {
        PgWireSettings freePort = settings.withPort(0);
        CompletionStage<PgWireServer> started = trust
                ? PgWireServer.start(node.db(), freePort, role -> Optional.empty(), true)
                : PgWireServer.start(node.db(), freePort);
        return started.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static void stop(PgWireServer server) throws Exception {
        server.stop().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    String url(String extra) {
        return url(server, extra);
    }

    private static String url(PgWireServer server, String extra) {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/phantom" + (extra.isEmpty() ? "" : "?" + extra);
    }

    Connection connect() throws SQLException {
        return connect("", USER, PASSWORD);
    }

    Connection connect(String extra) throws SQLException {
        return connect(extra, USER, PASSWORD);
    }

    Connection connect(String extra, String user, String password) throws SQLException {
        return connect(server, extra, user, password);
    }

    /** A pgjdbc connection as {@code alice} to {@code other}, a server started with {@link #start}. */
    static Connection connect(PgWireServer other, String extra) throws SQLException {
        return connect(other, extra, USER, PASSWORD);
    }

    private static Connection connect(PgWireServer server, String extra, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url(server, extra), p);
    }

    /** A hand-written client logged in as {@code alice}, past ReadyForQuery (a trusting fixture's server only). */
    RawPgClient login() throws Exception {
        RawPgClient c = new RawPgClient(server.port());
        try {
            c.login(USER);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** Blocks {@code engines} have read so far, from the block cache or from disk. */
    static long blocksRead(List<Engine> engines) {
        long n = 0;
        for (Engine e : engines) {
            EngineStats s = e.stats();
            n += s.blockCacheHits() + s.blockCacheMisses();
        }
        return n;
    }

    /** About how many blocks the data of {@code engines} spans (the bytes on every level, in blocks). */
    static long totalBlocks(List<Engine> engines) {
        long bytes = 0;
        for (Engine e : engines) {
            for (long b : e.stats().bytesPerLevel()) {
                bytes += b;
            }
        }
        return bytes / BLOCK_BYTES;
    }

    @Override
    public void close() throws Exception {
        try {
            stop(server);
        } finally {
            node.close();
        }
    }
}
