package io.phantomdb.server.pgwire;

import static io.phantomdb.server.pgwire.NioTransportFixture.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private static NioTransportFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new NioTransportFixture("nio-transport-test");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aStalledStreamStopsReadingAndResumesWithEveryByte() throws Exception {
        CompletableFuture<Boolean> gate = new CompletableFuture<>();
        Flow<ByteString, ByteString, org.apache.pekko.NotUsed> gated = Flow.of(ByteString.class)
                .mapAsync(1, bytes -> gate.thenApply(open -> bytes));
        NioTransport transport = fixture.bind(2, READ_BUFFER, MAX_BUFFERED_INPUT, gated, false);
        byte[] sent = new byte[TOTAL];
        new Random(42).nextBytes(sent);
        try (Socket socket = NioTransportFixture.connect(transport)) {
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
            NioTransportFixture.stop(transport);
        }
        NioTransportFixture.assertStopped(transport);
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

    private static byte[] digest(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
