package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the nio transport alone (no protocol) holds its input bound: while a connection's stream takes nothing,
 * the server reads at most max-buffered-input plus one read from the socket and then leaves the rest in TCP (the
 * client's writes block); once the stream drains, reading resumes and every byte arrives, in order. Method: an
 * echo flow held shut by a gate (mapAsync on a future), a client writing 1 MiB in 1 KiB pieces from a second
 * thread; the test waits until the server has paused reading (the high-water mark passed the limit), checks the
 * mark, opens the gate and compares the echo with what was sent.
 */
class NioTransportTest {
    private static final int MAX_BUFFERED_INPUT = 16 << 10;
    private static final int READ_BUFFER = 4 << 10;
    private static final int TOTAL = 1 << 20;
    private static final int PIECE = 1 << 10;
    private static final int WAIT_STEPS = 600;
    private static final long WAIT_STEP_MILLIS = 50;

    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("nio-transport-test");
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aStalledStreamStopsReadingAndResumesWithEveryByte() throws Exception {
        CompletableFuture<Boolean> gate = new CompletableFuture<>();
        Flow<ByteString, ByteString, org.apache.pekko.NotUsed> gated = Flow.of(ByteString.class)
                .mapAsync(1, bytes -> gate.thenApply(open -> bytes));
        NioTransport transport = NioTransport.bind("127.0.0.1", 0, 2, READ_BUFFER, MAX_BUFFERED_INPUT, () -> gated,
                Materializer.matFromSystem(system), system.dispatcher());
        byte[] sent = new byte[TOTAL];
        new Random(42).nextBytes(sent);
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(30_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(socket, sent));
            for (int i = 0; i < WAIT_STEPS && transport.bufferedInputHighWater() <= MAX_BUFFERED_INPUT; i++) {
                Thread.sleep(WAIT_STEP_MILLIS);
            }
            long mark = transport.bufferedInputHighWater();
            assertTrue(mark > MAX_BUFFERED_INPUT, "the stalled stream let input pile up to the limit: " + mark);
            assertFalse(writer.isCompletedExceptionally());
            gate.complete(true);
            byte[] echoed = readFully(socket.getInputStream(), TOTAL);
            writer.get(60, TimeUnit.SECONDS);
            assertArrayEquals(digest(sent), digest(echoed), "every byte echoed in order");
            assertTrue(transport.bufferedInputHighWater() <= MAX_BUFFERED_INPUT + READ_BUFFER,
                    "read ahead of the stream at most the limit plus one read: " + transport.bufferedInputHighWater());
        } finally {
            transport.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        for (Thread t : transport.selectorThreads()) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after stop");
        }
        assertEquals(0, transport.openConnections());
    }

    private static void write(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int at = 0; at < bytes.length; at += PIECE) {
                out.write(bytes, at, Math.min(PIECE, bytes.length - at));
                out.flush();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int at = 0;
        while (at < n) {
            int r = in.read(b, at, n - at);
            if (r < 0) {
                throw new IOException("closed after " + at + " of " + n + " bytes");
            }
            at += r;
        }
        return b;
    }

    private static byte[] digest(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
