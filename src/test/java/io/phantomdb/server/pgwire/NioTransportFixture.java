package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * For tests of {@link NioTransport} alone (no protocol): a classic actor system to materialize the connections'
 * flows, transports bound to a free loopback port, raw sockets to them, and the check that a stopped transport
 * left nothing running. Close it after the tests.
 */
final class NioTransportFixture implements AutoCloseable {
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final long WAIT_SECONDS = 60;
    private static final long JOIN_MILLIS = 10_000;

    final ActorSystem system;

    NioTransportFixture(String systemName) {
        system = ActorSystem.create(systemName);
    }

    /**
     * A transport serving every connection with {@code flow}; {@code onSelectors}: each connection's stream runs on
     * the selector thread that reads its socket (nio-execution = selector), else on the system's dispatcher.
     */
    NioTransport bind(int loops, int readBuffer, int maxBufferedInput, Flow<ByteString, ByteString, NotUsed> flow,
            boolean onSelectors) throws IOException {
        return NioTransport.bind("127.0.0.1", 0, loops, readBuffer, maxBufferedInput, () -> flow,
                Materializer.matFromSystem(system), system.dispatcher(), onSelectors ? system : null);
    }

    /** A client socket to {@code transport}, with a read timeout so a silent server fails the test. */
    static Socket connect(NioTransport transport) throws IOException {
        Socket s = new Socket("127.0.0.1", transport.port());
        s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return s;
    }

    /** Exactly {@code n} bytes from {@code in}; fails when the stream ends before. */
    static byte[] readFully(InputStream in, int n) throws IOException {
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

    /** After {@code transport.stop()}: its selector threads end and it holds no connection. */
    static void assertStopped(NioTransport transport) throws InterruptedException {
        for (Thread t : transport.selectorThreads()) {
            t.join(JOIN_MILLIS);
            assertFalse(t.isAlive(), t.getName() + " still runs after stop");
        }
        assertEquals(0, transport.openConnections());
    }

    static void stop(NioTransport transport) throws Exception {
        transport.stop().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
