package io.phantomdb.server.http;

import io.phantomdb.PhantomDb;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * Phantom-DB's HTTP interface (docs/http.md): SQL over {@code POST /v1/sql} streaming NDJSON with backpressure,
 * bearer tokens, HTTP sessions for transaction blocks, and a health check.
 *
 * <pre>
 *   connection ──▶ Router ──▶ Authenticator (Basic / Bearer / trust) ──▶ SqlEndpoint ──▶ SessionState (sql)
 *                    │                │                                        │
 *                    │            TokenStore, PasswordCache             HttpSessions (idle timer)
 *                    └─ /v1/health, /v1/tokens, /v1/sessions
 * </pre>
 * Lifetime: {@link #start} binds; {@link #stop} unbinds, ends open connections and closes every HTTP session
 * (rolling back their blocks). Pekko HTTP's own request-timeout is switched off: a query may take a while to
 * produce its first row, and {@code phantom.http.statement-timeout} is the one limit on statement time.
 * Thread-safe.
 */
public final class HttpServer {
    /** How long {@link #stop} lets running responses finish before their connections are closed. */
    public static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
    /** The idle-session check runs at a quarter of the idle timeout, within these bounds. */
    static final Duration IDLE_CHECK_MIN = Duration.ofMillis(10);
    static final Duration IDLE_CHECK_MAX = Duration.ofSeconds(10);

    /** A snapshot of the HTTP layer's counters (operations and tests). */
    public record Stats(int runningStatements, long statementsStarted, long rowsSent, int sessions, int tokens) {}

    private final ServerBinding binding;
    private final HttpMetrics metrics;
    private final HttpSessions sessions;
    private final TokenStore tokens;
    private final Cancellable idleCheck;

    private HttpServer(ServerBinding binding, HttpMetrics metrics, HttpSessions sessions, TokenStore tokens, Cancellable idleCheck) {
        this.binding = binding;
        this.metrics = metrics;
        this.sessions = sessions;
        this.tokens = tokens;
        this.idleCheck = idleCheck;
    }

    /** Binds {@code settings.host():settings.port()} (port 0: a free one) and serves {@code db}. */
    public static CompletionStage<HttpServer> start(PhantomDb db, HttpSettings settings) {
        ActorSystem<?> system = db.system();
        Clock clock = Clock.systemUTC();
        HttpMetrics metrics = new HttpMetrics();
        HttpSessions sessions = new HttpSessions(db.engine(), settings.maxSessions(), settings.sessionIdleTimeout(), clock);
        TokenStore tokens = new TokenStore(settings.tokenTtl(), settings.maxTokens(), clock);
        Authenticator authenticator = new Authenticator(db.security(), tokens,
                new PasswordCache(settings.basicCacheTtl(), settings.basicCacheEntries(), clock),
                settings.allowPasswordWithoutTlsFromLoopback());
        SqlEndpoint sql = new SqlEndpoint(db.engine(), settings, sessions, metrics, system);
        Router router = new Router(authenticator, sql, sessions, tokens, settings, system);
        ServerSettings serverSettings = ServerSettings.create(system.classicSystem()).withRemoteAddressAttribute(true);
        serverSettings = serverSettings.withTimeouts(serverSettings.getTimeouts()
                .withRequestTimeout(scala.concurrent.duration.Duration.Inf()));
        if (settings.sendBufferBytes() > 0) {
            serverSettings = serverSettings.withSocketOptions(
                    java.util.List.of(org.apache.pekko.io.TcpSO.sendBufferSize(settings.sendBufferBytes())));
        }
        ServerBuilder builder = Http.get(system).newServerAt(settings.host(), settings.port()).withSettings(serverSettings);
        if (settings.tls().enabled()) {
            builder = builder.enableHttps(ConnectionContext.httpsServer(settings.tls().serverContext(HttpSettings.PATH + ".tls")));
        }
        Duration check = clamp(settings.sessionIdleTimeout().dividedBy(4));
        return builder.bind(router::handle).thenApply(binding -> {
            Cancellable idle = system.scheduler().scheduleAtFixedRate(check, check, sessions::closeIdle, system.executionContext());
            return new HttpServer(binding, metrics, sessions, tokens, idle);
        });
    }

    /** The bound port (the free one chosen when configured with port 0). */
    public int port() {
        return binding.localAddress().getPort();
    }

    public Stats stats() {
        return new Stats(metrics.running(), metrics.started(), metrics.rowsSent(), sessions.size(), tokens.size());
    }

    /** Stops accepting, ends connections (after at most {@link #STOP_DEADLINE}) and closes every HTTP session. */
    public CompletionStage<Void> stop() {
        idleCheck.cancel();
        return binding.terminate(STOP_DEADLINE).thenApply(terminated -> {
            sessions.closeAll();
            return null;
        });
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(IDLE_CHECK_MIN) < 0 ? IDLE_CHECK_MIN : d.compareTo(IDLE_CHECK_MAX) > 0 ? IDLE_CHECK_MAX : d;
    }
}
