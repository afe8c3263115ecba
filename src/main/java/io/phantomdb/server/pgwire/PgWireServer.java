package io.phantomdb.server.pgwire;

import io.phantomdb.PhantomDb;
import io.phantomdb.security.AuthenticationMethod;
import io.phantomdb.security.ScramVerifier;
import io.phantomdb.server.pgcatalog.PgCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.stream.SystemMaterializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * The PostgreSQL wire protocol v3 server (docs/pgwire.md): psql, pgjdbc and other PostgreSQL drivers connect to
 * Phantom-DB through it.
 *
 * <pre>
 *   NioTransport (or Tcp.bind) --connection--> ConnectionFlow (SSLRequest/TLS, framing)
 *                                          -> PgConnection (startup, SCRAM-SHA-256)
 *                                          -> QueryProtocol (simple + extended query)
 *                                          -> StatementRunner -> PgCatalog | SessionState (one per connection)
 * </pre>
 *
 * The transport ({@code transport}: java.nio selectors by default, or Pekko Streams TCP) only carries bytes; each
 * connection is one Pekko Streams flow owning its session (on nio run by default on the selector thread of its
 * socket, {@code nio-execution}); connections share only the {@link Connections}
 * registry (max-connections, cancel keys). Lifetime: from {@link #start} until {@link #stop}, which unbinds and
 * closes every connection (their open blocks roll back). Thread-safe.
 */
public final class PgWireServer {
    /** Bytes of the per-server secret behind mock SCRAM verifiers of unknown roles. */
    private static final int MOCK_SECRET_BYTES = 32;

    private final Listener listener;
    private final Connections connections;

    private PgWireServer(Listener listener, Connections connections) {
        this.listener = listener;
        this.connections = connections;
    }

    /** Binds {@code settings.host():settings.port()} (port 0: a free port) and serves {@code db}. */
    public static CompletionStage<PgWireServer> start(PhantomDb db, PgWireSettings settings) {
        boolean trust = db.security().authenticationMethod() == AuthenticationMethod.TRUST;
        return start(db, settings, db.security()::loginVerifier, trust);
    }

    /**
     * As {@link #start(PhantomDb, PgWireSettings)} with the role verifiers and the trust switch given explicitly
     * (tests of the wire layer alone).
     */
    static CompletionStage<PgWireServer> start(PhantomDb db, PgWireSettings settings,
            Function<String, Optional<ScramVerifier>> verifiers, boolean trust) {
        SecureRandom random = new SecureRandom();
        byte[] mockSecret = new byte[MOCK_SECRET_BYTES];
        random.nextBytes(mockSecret);
        Connections connections = new Connections(settings.maxConnections(), random);
        PgContext context = new PgContext(db, settings, new PgCatalog(db), connections, settings.tls().serverContext(PgWireSettings.PATH + ".tls"),
                verifiers, trust, mockSecret, random);
        if (settings.transport() == PgWireSettings.Transport.PEKKO_TCP) {
            return Tcp.get(db.system()).bind(settings.host(), settings.port())
                    .to(Sink.foreach(connection -> connection.handleWith(ConnectionFlow.create(context), db.system())))
                    .run(db.system())
                    .thenApply(binding -> new PgWireServer(new PekkoTcpListener(binding), connections));
        }
        try {
            NioTransport nio = NioTransport.bind(settings.host(), settings.port(), settings.selectorThreads(),
                    settings.readBufferSize(), settings.maxBufferedInput(), () -> ConnectionFlow.create(context),
                    SystemMaterializer.get(db.system()).materializer(), db.system().executionContext(),
                    settings.nioExecution() == PgWireSettings.NioExecution.SELECTOR ? db.system().classicSystem() : null);
            // Pekko's own TCP binding dies with the actor system; the selector threads must too (embedded use
            // may terminate the system without stopping the server first).
            Futures.plain(db.system().getWhenTerminated()).whenComplete((done, e) -> nio.stop());
            return CompletableFuture.completedFuture(new PgWireServer(new NioListener(nio), connections));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(
                    "pgwire cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e));
        }
    }

    /** The port the server listens on (the free port chosen when the settings said 0). */
    public int port() {
        return listener.port();
    }

    /** Connections currently admitted (past StartupMessage, counted against max-connections). */
    public int connections() {
        return connections.admitted();
    }

    /** Stops accepting connections and closes the open ones (their transaction blocks roll back). */
    public CompletionStage<Void> stop() {
        return listener.unbind().thenCompose(done -> {
            for (PgConnection c : connections.all()) {
                c.shutdown();
            }
            return listener.close();
        });
    }

    /** The nio transport, or null on pekko-tcp (tests look at its threads and buffers). */
    NioTransport nioTransport() {
        return listener instanceof NioListener n ? n.transport : null;
    }

    /** A bound transport: its port, then unbinding, then closing what is still open (the transport's own part). */
    private interface Listener {
        int port();

        CompletionStage<Void> unbind();

        CompletionStage<Void> close();
    }

    private record PekkoTcpListener(Tcp.ServerBinding binding) implements Listener {
        @Override
        public int port() {
            return binding.localAddress().getPort();
        }

        @Override
        public CompletionStage<Void> unbind() {
            return Futures.plain(binding.unbind()).thenApply(done -> (Void) null);
        }

        @Override
        public CompletionStage<Void> close() {
            return CompletableFuture.completedFuture(null); // Pekko's IO actors close with the connections' streams
        }
    }

    private record NioListener(NioTransport transport) implements Listener {
        @Override
        public int port() {
            return transport.port();
        }

        @Override
        public CompletionStage<Void> unbind() {
            return transport.unbind();
        }

        @Override
        public CompletionStage<Void> close() {
            return transport.stop(); // also closes connections not yet past startup, then the selector threads
        }
    }
}
