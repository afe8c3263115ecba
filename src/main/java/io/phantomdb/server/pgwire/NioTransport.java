package io.phantomdb.server.pgwire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.DurationConverters;

/**
 * The pgwire transport on java.nio (docs/pgwire.md "Transport"): N selector threads ({@link SelectorLoop}, daemon,
 * {@code phantom-pgwire-selector-N}); the first also accepts. Each accepted socket (TCP_NODELAY) becomes
 * {@code NioSource -> flow -> NioSink}, materialized and then registered for reading on a selector thread (round
 * robin). The stream runs on the materializer's dispatcher ({@code nio-execution = dispatcher}) or on the selector
 * thread of its socket ({@code selector}: a dispatcher per selector thread, {@link SelectorDispatchers}).
 *
 * <p>Why: under Pekko's TCP actors a request crossed about five threads (selector, connection actor, stream, the
 * actor again for the write, the ack back). Here a request crosses one (selector thread to the connection's stream)
 * or none, and the answer is written by the stream's own thread. Thread-safe; lifetime from {@link #bind} to
 * {@link #stop}.
 */
final class NioTransport {
    private static final Logger LOG = LoggerFactory.getLogger(NioTransport.class);
    /** Accepts per readiness event: a burst of connects does not starve the reads of the accepting thread. */
    private static final int ACCEPTS_PER_EVENT = 64;
    /** Pause after a failed accept (out of descriptors): long enough not to spin, short enough to go unnoticed. */
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

    private final ServerSocketChannel server;
    private final List<SelectorLoop> loops;
    private final Supplier<Flow<ByteString, ByteString, NotUsed>> flow;
    private final Materializer materializer;
    private final Executor materializing;
    private final int maxBufferedInput;
    /** Per loop, the dispatcher its connections' streams run on; null: the materializer's default. */
    private final List<String> loopDispatchers;
    private final Set<NioConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bufferedHighWater = new AtomicLong();
    private final CompletableFuture<Void> unbound = new CompletableFuture<>();
    private int nextLoop; // accepting selector thread only

    private NioTransport(ServerSocketChannel server, List<SelectorLoop> loops, Supplier<Flow<ByteString, ByteString, NotUsed>> flow,
            Materializer materializer, Executor materializing, int maxBufferedInput, List<String> loopDispatchers) {
        this.server = server;
        this.loopDispatchers = loopDispatchers;
        this.loops = loops;
        this.flow = flow;
        this.materializer = materializer;
        this.materializing = materializing;
        this.maxBufferedInput = maxBufferedInput;
    }

    /**
     * Binds {@code host:port} (0: a free port) and serves each connection with a fresh {@code flow}.
     *
     * @param materializing where streams are materialized (not the selector thread: that would hold up reads)
     */
    static NioTransport bind(String host, int port, int selectorThreads, int readBufferSize, int maxBufferedInput,
            Supplier<Flow<ByteString, ByteString, NotUsed>> flow, Materializer materializer, Executor materializing)
            throws IOException {
        return bind(host, port, selectorThreads, readBufferSize, maxBufferedInput, flow, materializer, materializing, null);
    }

    /**
     * As the other {@code bind}; with {@code onSelectors} (not null) each connection's stream runs on the selector
     * thread that reads its socket, through dispatchers registered with that actor system; once the selector
     * threads have stopped, what is left runs on {@code materializing}.
     */
    static NioTransport bind(String host, int port, int selectorThreads, int readBufferSize, int maxBufferedInput,
            Supplier<Flow<ByteString, ByteString, NotUsed>> flow, Materializer materializer, Executor materializing,
            ActorSystem onSelectors) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        List<SelectorLoop> loops = new ArrayList<>();
        try {
            server.bind(new InetSocketAddress(host, port));
            server.configureBlocking(false);
            for (int i = 0; i < selectorThreads; i++) {
                loops.add(new SelectorLoop("phantom-pgwire-selector-" + i, readBufferSize, materializing));
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            for (SelectorLoop loop : loops) {
                loop.selector().close();
            }
            throw e;
        }
        List<String> dispatchers = onSelectors == null ? null : SelectorDispatchers.register(onSelectors, loops);
        NioTransport transport = new NioTransport(server, loops, flow, materializer, materializing, maxBufferedInput, dispatchers);
        SelectorLoop acceptor = loops.get(0);
        server.register(acceptor.selector(), SelectionKey.OP_ACCEPT, transport.new Acceptor());
        loops.forEach(SelectorLoop::start);
        return transport;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Connections whose socket is open (including those not past startup yet). */
    int openConnections() {
        return open.size();
    }

    /** The most bytes one connection had read but its stream had not taken yet (bounded by max-buffered-input). */
    long bufferedInputHighWater() {
        return bufferedHighWater.get();
    }

    List<Thread> selectorThreads() {
        return loops.stream().map(SelectorLoop::thread).toList();
    }

    /** Stops accepting: closes the listening socket on the accepting thread (its key must be deregistered there). */
    CompletionStage<Void> unbind() {
        if (!loops.get(0).execute(this::closeServer)) {
            closeServer();
        }
        return unbound;
    }

    /** Closes every connection and stops the selector threads; completes when they have exited. */
    CompletionStage<Void> stop() {
        return unbind().thenCompose(done -> {
            for (NioConnection c : List.copyOf(open)) {
                c.close();
            }
            CompletableFuture<?>[] stopped = loops.stream().map(l -> l.stop().toCompletableFuture()).toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(stopped);
        });
    }

    private void closeServer() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the pgwire listening socket", e);
        }
        unbound.complete(null);
    }

    private void accepted(SocketChannel channel) {
        int index = nextLoop;
        SelectorLoop loop = loops.get(index);
        nextLoop = (nextLoop + 1) % loops.size();
        Attributes where = loopDispatchers == null ? Attributes.none() : ActorAttributes.dispatcher(loopDispatchers.get(index));
        NioConnection connection = new NioConnection(channel, loop, maxBufferedInput, bufferedHighWater, open::remove);
        open.add(connection);
        try {
            materializing.execute(() -> {
                try {
                    Source.fromGraph(new NioSource(connection)).via(flow.get()).to(new NioSink(connection))
                            .withAttributes(where).run(materializer);
                    connection.register();
                } catch (RuntimeException e) {
                    LOG.warn("pgwire connection from {} could not start", remote(channel), e);
                    connection.close();
                }
            });
        } catch (RuntimeException e) { // the dispatcher rejected the task: the system is shutting down
            connection.close();
        }
    }

    private static Object remote(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return "a closed socket";
        }
    }

    /** The listening socket's attachment: accepts on the first selector thread. */
    private final class Acceptor implements SelectorLoop.Ready {
        @Override
        public void onReady(SelectionKey key, ByteBuffer readBuffer) {
            for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
                SocketChannel channel;
                try {
                    channel = server.accept();
                } catch (IOException e) {
                    // e.g. out of file descriptors: the socket stays acceptable, so retrying at once would spin
                    LOG.warn("pgwire accept failed; accepting again in {} ms", ACCEPT_RETRY.toMillis(), e);
                    key.interestOps(0);
                    materializer.scheduleOnce(DurationConverters.toScala(ACCEPT_RETRY), () -> loops.get(0).execute(() -> {
                        if (key.isValid()) {
                            key.interestOps(SelectionKey.OP_ACCEPT);
                        }
                    }));
                    return;
                }
                if (channel == null) {
                    return;
                }
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException e) {
                    closeQuietly(channel);
                    continue;
                }
                accepted(channel);
            }
        }

        @Override
        public void onStopped() {
            closeServer();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the client already went away
        }
    }
}
