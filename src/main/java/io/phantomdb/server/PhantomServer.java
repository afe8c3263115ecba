package io.phantomdb.server;

import com.typesafe.config.Config;
import io.phantomdb.PhantomDb;
import io.phantomdb.node.InvalidConfigException;
import io.phantomdb.node.KnownKeys;
import io.phantomdb.server.http.HttpServer;
import io.phantomdb.server.http.HttpSettings;
import io.phantomdb.server.pgwire.PgWireServer;
import io.phantomdb.server.pgwire.PgWireSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The network face of one node: the PostgreSQL wire protocol server and the HTTP server, each started when
 * {@code phantom.server} enables it, on the settings of {@code phantom.pgwire} and {@code phantom.http}. {@code
 * phantom serve} and embedding applications that want the same endpoints start one; stopping it unbinds both
 * (the database stays open: its owner closes it).
 */
public final class PhantomServer {
    public static final String PATH = "phantom.server";
    private static final Set<String> KEYS = Set.of("pgwire-enabled", "http-enabled", "start-timeout");

    /** What {@code phantom.server} decides: which servers run, and how long binding may take. */
    public record Settings(boolean pgwireEnabled, boolean httpEnabled, Duration startTimeout) {
        public static Settings defaults() {
            return new Settings(true, true, Duration.ofSeconds(30));
        }

        /** Parses {@code phantom.server} (absent: the defaults); unknown keys stop the node. */
        public static Settings fromConfig(Config config) {
            Settings d = defaults();
            if (!config.hasPath(PATH)) {
                return d;
            }
            Config c = config.getConfig(PATH);
            KnownKeys.require(c, PATH, KEYS);
            Duration timeout = c.hasPath("start-timeout") ? c.getDuration("start-timeout") : d.startTimeout();
            if (timeout.isZero() || timeout.isNegative()) {
                throw new InvalidConfigException(PATH + ".start-timeout", "must be positive");
            }
            return new Settings(c.hasPath("pgwire-enabled") ? c.getBoolean("pgwire-enabled") : d.pgwireEnabled(),
                    c.hasPath("http-enabled") ? c.getBoolean("http-enabled") : d.httpEnabled(), timeout);
        }
    }

    private final PgWireServer pgwire;
    private final HttpServer http;
    private CompletableFuture<Void> stopped;

    private PhantomServer(PgWireServer pgwire, HttpServer http) {
        this.pgwire = pgwire;
        this.http = http;
    }

    /**
     * Binds the enabled servers, waiting at most {@code phantom.server.start-timeout}; a failure (port in use,
     * bad key store) stops whatever did start and is thrown.
     */
    public static PhantomServer start(PhantomDb db, Config config) {
        Settings settings = Settings.fromConfig(config);
        PgWireSettings pgwireSettings = PgWireSettings.fromConfig(config);
        HttpSettings httpSettings = HttpSettings.fromConfig(config);
        PgWireServer pgwire = null;
        HttpServer http = null;
        try {
            if (settings.pgwireEnabled()) {
                pgwire = await(PgWireServer.start(db, pgwireSettings), settings.startTimeout());
            }
            if (settings.httpEnabled()) {
                http = await(HttpServer.start(db, httpSettings), settings.startTimeout());
            }
            PhantomServer server = new PhantomServer(pgwire, http);
            // SIGTERM and terminate(): stop taking connections first (open blocks roll back), before the partitions close.
            CoordinatedShutdown.get(db.system()).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "phantom-servers",
                    () -> server.stop().thenApply(v -> Done.getInstance()));
            return server;
        } catch (RuntimeException e) {
            new PhantomServer(pgwire, http).stop().toCompletableFuture().join();
            throw e;
        }
    }

    /** The bound PostgreSQL protocol port, if that server runs. */
    public Optional<Integer> pgwirePort() {
        return Optional.ofNullable(pgwire).map(PgWireServer::port);
    }

    /** The bound HTTP port, if that server runs. */
    public Optional<Integer> httpPort() {
        return Optional.ofNullable(http).map(HttpServer::port);
    }

    /** Unbinds both servers and closes their connections (open transactions roll back). Idempotent. */
    public synchronized CompletionStage<Void> stop() {
        if (stopped == null) {
            CompletableFuture<Void> a = pgwire == null ? CompletableFuture.completedFuture(null) : pgwire.stop().toCompletableFuture();
            CompletableFuture<Void> b = http == null ? CompletableFuture.completedFuture(null) : http.stop().toCompletableFuture();
            stopped = CompletableFuture.allOf(a, b);
        }
        return stopped;
    }

    private static <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException("server did not start: " + cause, cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("server did not bind within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting servers", e);
        }
    }
}
