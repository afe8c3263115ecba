package io.phantomdb.server.pgwire;

import io.phantomdb.PhantomDb;
import io.phantomdb.security.AuthenticationMethod;
import io.phantomdb.security.ScramVerifier;
import io.phantomdb.server.pgcatalog.PgCatalog;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * The PostgreSQL wire protocol v3 server (docs/pgwire.md): psql, pgjdbc and other PostgreSQL drivers connect to
 * Phantom-DB through it.
 *
 * <pre>
 *   Tcp.bind(host, port) --connection--> ConnectionFlow (SSLRequest/TLS, framing)
 *                                          -> PgConnection (startup, SCRAM-SHA-256)
 *                                          -> QueryProtocol (simple + extended query)
 *                                          -> StatementRunner -> PgCatalog | SessionState (one per connection)
 * </pre>
 *
 * Each connection is one Pekko Streams flow owning its session; connections share only the {@link Connections}
 * registry (max-connections, cancel keys). Lifetime: from {@link #start} until {@link #stop}, which unbinds and
 * closes every connection (their open blocks roll back). Thread-safe.
 */
public final class PgWireServer {
    /** Bytes of the per-server secret behind mock SCRAM verifiers of unknown roles. */
    private static final int MOCK_SECRET_BYTES = 32;

    private final Tcp.ServerBinding binding;
    private final Connections connections;

    private PgWireServer(Tcp.ServerBinding binding, Connections connections) {
        this.binding = binding;
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
        return Tcp.get(db.system()).bind(settings.host(), settings.port())
                .to(Sink.foreach(connection -> connection.handleWith(ConnectionFlow.create(context), db.system())))
                .run(db.system())
                .thenApply(binding -> new PgWireServer(binding, connections));
    }

    /** The port the server listens on (the free port chosen when the settings said 0). */
    public int port() {
        return binding.localAddress().getPort();
    }

    /** Connections currently admitted (past StartupMessage, counted against max-connections). */
    public int connections() {
        return connections.admitted();
    }

    /** Stops accepting connections and closes the open ones (their transaction blocks roll back). */
    public CompletionStage<Void> stop() {
        return binding.unbind().thenApply(done -> {
            for (PgConnection c : connections.all()) {
                c.shutdown();
            }
            return (Void) null;
        });
    }

    /** Completes with {@link Done} when {@code stop} finished unbinding (for symmetry with Pekko bindings). */
    CompletionStage<Done> whenUnbound() {
        return binding.whenUnbound();
    }
}
