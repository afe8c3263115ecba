package io.phantomdb.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.Row;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.server.http.HttpServer;
import io.phantomdb.server.http.HttpSettings;
import io.phantomdb.testkit.TestNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Goal: the reactive client returns what the embedded API returns - the same rows with the same Java classes -
 * reports errors as PhantomSqlException with the server's SQLSTATE, drives a Reactive Streams subscriber that
 * requests one row at a time, runs transaction blocks through a ClientSession, and cancelling a stream stops the
 * server's scan. Method: a TestNode with an HTTP server on a free port, the client in the node's actor system,
 * server counters (running statements, rows sent) read through HttpServer.stats().
 */
class PhantomClientTest {
    static final int BIG_ROWS = 100_000;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestNode node;
    static HttpServer server;
    static PhantomClient client;

    @BeforeAll
    static void start() {
        node = new TestNode(dir, Map.of("phantom.security.admin-user", "admin", "phantom.security.admin-password", "pw"));
        server = node.await(HttpServer.start(node.db(), HttpSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                "phantom.http.port", 0, "phantom.http.socket-send-buffer-bytes", "64 KiB")))));
        client = PhantomClient.connect(node.system(), ClientSettings.of("http://127.0.0.1:" + server.port(), "admin", "pw"));
        node.execute("CREATE TABLE typed (id INT PRIMARY KEY, s SMALLINT, b BIGINT, d DECIMAL(20, 4), r REAL,"
                + " f DOUBLE PRECISION, v VARCHAR(20), ok BOOLEAN, day DATE, at TIMESTAMP, raw BYTEA)");
        node.execute("CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(100)) WITH (partitions = 1)");
        for (int start = 0; start < BIG_ROWS; start += 1000) {
            StringBuilder sql = new StringBuilder("INSERT INTO big VALUES ");
            for (int id = start; id < start + 1000; id++) {
                sql.append(id == start ? "" : ", ").append('(').append(id).append(", '").append("p".repeat(50)).append("')");
            }
            node.execute(sql.toString());
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        node.await(server.stop());
        node.close();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void rowsAndTypesEqualTheEmbeddedApis() throws Exception {
        Object[] values = {1, (short) 7, 9_007_199_254_740_993L, new BigDecimal("12345678901234.5678"), 1.5f, 2.25, "text",
                true, LocalDate.of(2024, 5, 1), LocalDateTime.of(2024, 5, 1, 10, 15, 30, 123_456_000),
                new byte[] {(byte) 0xde, (byte) 0xad}};
        assertEquals(1L, await(client.execute("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", values)));
        await(client.execute("INSERT INTO typed (id) VALUES ($1)", 2));
        List<Row> remote = await(client.query("SELECT * FROM typed ORDER BY id"));
        List<Row> local = node.query("SELECT * FROM typed ORDER BY id");
        assertEquals(local.size(), remote.size());
        assertEquals(local.get(0).columns(), remote.get(0).columns());
        for (int r = 0; r < local.size(); r++) {
            for (int c = 0; c < local.get(r).size(); c++) {
                Object expected = local.get(r).get(c);
                Object actual = remote.get(r).get(c);
                if (expected instanceof byte[] bytes) {
                    assertArrayEquals(bytes, (byte[]) actual);
                } else {
                    assertEquals(expected, actual, "row " + r + " column " + c);
                    assertEquals(expected == null ? null : expected.getClass(), actual == null ? null : actual.getClass());
                }
            }
        }
        assertEquals(7, remote.get(0).getInt(1));
        assertEquals(new BigDecimal("12345678901234.5678"), remote.get(0).getBigDecimal(3));
    }

    @Test
    void errorsCarryTheServersSqlstate() throws Exception {
        assertEquals("42601", sqlstate(client.query("SELEKT 1")));
        assertEquals("42P01", sqlstate(client.query("SELECT * FROM nowhere")));
        assertEquals("22012", sqlstate(client.execute("SELECT 1 / 0")));
        PhantomClient wrong = PhantomClient.connect(node.system(),
                ClientSettings.of("http://127.0.0.1:" + server.port(), "admin", "wrong"));
        assertEquals("28P01", sqlstate(wrong.query("SELECT 1")));
    }

    private static String sqlstate(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        PhantomSqlException sql = PhantomSqlException.of(e);
        assertTrue(sql != null, "not a SQL error: " + e.getCause());
        return sql.state().code();
    }

    @Test
    void publisherServesASubscriberRequestingOneRowAtATime() throws Exception {
        CompletableFuture<List<Integer>> done = new CompletableFuture<>();
        client.publisher("SELECT id FROM big WHERE id < $1", 500).subscribe(new Subscriber<Row>() {
            private final List<Integer> ids = new ArrayList<>();
            private Subscription subscription;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Row row) {
                ids.add(row.getInt(0));
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(ids);
            }
        });
        List<Integer> ids = await(done);
        assertEquals(500, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, ids.get(i));
        }
    }

    @Test
    void sessionCarriesATransactionBlock() throws Exception {
        node.execute("CREATE TABLE tx (id INT PRIMARY KEY)");
        ClientSession session = await(client.session());
        await(session.execute("BEGIN"));
        await(session.execute("INSERT INTO tx VALUES ($1)", 1));
        assertEquals(1, await(session.query("SELECT id FROM tx")).size());
        assertEquals(0, node.query("SELECT id FROM tx").size());
        await(session.execute("COMMIT"));
        assertEquals(1, node.query("SELECT id FROM tx").size());
        await(session.closeAsync());
        assertEquals("42704", sqlstate(session.query("SELECT 1")));
    }

    @Test
    void cancellingMidStreamStopsTheServerScan() throws Exception {
        long sentBefore = server.stats().rowsSent();
        List<Row> first = await(client.sql("SELECT id, pad FROM big").take(10).runWith(Sink.seq(), node.system()));
        assertEquals(10, first.size());
        assertEquals(0, first.get(0).getInt(0));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.stats().runningStatements() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.stats().runningStatements(), "the server-side stream did not terminate after the cancel");
        long sent = server.stats().rowsSent() - sentBefore;
        assertTrue(sent < BIG_ROWS / 4, "the server produced " + sent + " of " + BIG_ROWS + " rows for a cancelled stream");
    }
}
