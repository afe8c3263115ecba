package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: with {@code nio-execution = selector} a connection's stream runs on the selector thread that reads its socket
 * - for every connection, spread over all loops - including the part after a future completed on a foreign thread;
 * and stopping the transport still runs the streams' final work. Method: {@link NioTransport} bound with echo flows
 * that record the thread each element passes on, raw sockets as clients.
 */
class SelectorExecutionTest {
    private static final int LOOPS = 3;
    private static final int CONNECTIONS = 12;
    private static final int ROUNDS = 20;
    private static final int READ_BUFFER = 4 << 10;
    private static final int MAX_BUFFERED_INPUT = 16 << 10;

    private static NioTransportFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new NioTransportFixture("selector-execution-test");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Streams on the selector threads (nio-execution = selector). */
    private static NioTransport bind(Flow<ByteString, ByteString, NotUsed> flow) throws IOException {
        return fixture.bind(LOOPS, READ_BUFFER, MAX_BUFFERED_INPUT, flow, true);
    }

    @Test
    void everyConnectionIsServedOnItsSelectorThread() throws Exception {
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        NioTransport transport = bind(Flow.of(ByteString.class).map(b -> {
            ranOn.add(Thread.currentThread().getName());
            return b;
        }));
        try {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    sockets.add(connect(transport));
                }
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < CONNECTIONS; i++) {
                        write(sockets.get(i), "c" + i + "r" + round + ";");
                    }
                    for (int i = 0; i < CONNECTIONS; i++) {
                        String expected = "c" + i + "r" + round + ";";
                        assertEquals(expected, read(sockets.get(i), expected.length()), "connection " + i + " answered");
                    }
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        } finally {
            NioTransportFixture.stop(transport);
        }
        assertEquals(selectorNames(transport), ranOn, "each loop ran its connections' streams, and nothing else did");
    }

    @Test
    void aFutureCompletedOnAnotherThreadReachesItsConnection() throws Exception {
        ExecutorService committer = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-committer"));
        Set<String> afterwards = ConcurrentHashMap.newKeySet();
        NioTransport transport = bind(Flow.of(ByteString.class)
                .mapAsync(1, b -> CompletableFuture.supplyAsync(() -> b, committer))
                .map(b -> {
                    afterwards.add(Thread.currentThread().getName());
                    return b;
                }));
        try (Socket socket = connect(transport)) {
            for (int round = 0; round < ROUNDS; round++) {
                String message = "commit " + round + ";";
                write(socket, message);
                assertEquals(message, read(socket, message.length()));
            }
        } finally {
            NioTransportFixture.stop(transport);
            committer.shutdownNow();
        }
        assertFalse(afterwards.isEmpty());
        assertTrue(selectorNames(transport).containsAll(afterwards),
                "the stream went on on its selector thread, not the committer's: " + afterwards);
    }

    /** A stream's end (PgConnection's rollback in the real flow) still runs when the loops stop under it. */
    @Test
    void stopStillEndsEveryStream() throws Exception {
        List<CompletableFuture<Done>> ended = new ArrayList<>();
        NioTransport transport = bind(Flow.of(ByteString.class).watchTermination((mat, done) -> {
            synchronized (ended) {
                ended.add(done.toCompletableFuture());
            }
            return mat;
        }));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = connect(transport);
                sockets.add(s);
                write(s, "hi;");
                assertEquals("hi;", read(s, 3));
            }
            NioTransportFixture.stop(transport);
            List<CompletableFuture<Done>> all;
            synchronized (ended) {
                all = List.copyOf(ended);
            }
            assertEquals(CONNECTIONS, all.size());
            for (CompletableFuture<Done> done : all) {
                done.get(60, TimeUnit.SECONDS);
            }
            NioTransportFixture.assertStopped(transport);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static Set<String> selectorNames(NioTransport transport) {
        return transport.selectorThreads().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private static Socket connect(NioTransport transport) throws IOException {
        Socket s = NioTransportFixture.connect(transport);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String read(Socket s, int n) throws IOException {
        return new String(NioTransportFixture.readFully(s.getInputStream(), n), StandardCharsets.US_ASCII);
    }
}
