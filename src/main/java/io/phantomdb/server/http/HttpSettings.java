package io.phantomdb.server.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.node.InvalidConfigException;
import io.phantomdb.node.KnownKeys;
import io.phantomdb.server.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP server's settings: {@code phantom.http} (every key documented in conf/phantom.conf and docs/http.md).
 * Absent keys keep the defaults of {@link #defaults()}; unknown keys and out-of-range values stop the node at
 * startup with the key named. Immutable.
 *
 * @param host                     interface to bind (loopback by default: expose it on purpose)
 * @param port                     TCP port; 0 picks a free one (tests)
 * @param maxRequestBytes          largest request body accepted; larger ones get 413
 * @param requestBodyTimeout       time to receive a whole request body
 * @param statementTimeout         a streamed query running longer is cancelled (57014); zero = no limit
 * @param maxResultRows            rows one statement may return before it is cut with 53400; 0 = unlimited
 * @param maxResultBytes           NDJSON bytes one statement may return before it is cut with 53400; 0 = unlimited
 * @param responseChunkBytes       target size of one chunk of a streamed response (the read-ahead unit)
 * @param sendBufferBytes          SO_SNDBUF of client connections; 0 = the OS default (Linux grows it to a few MB,
 *                                 which is how far a streamed result may run ahead of a slow reader)
 * @param maxStatements            statements running at once over HTTP; more get 503 + 53400
 * @param maxSessions              open HTTP sessions; more get 503 + 53300
 * @param sessionIdleTimeout       an HTTP session unused this long is closed (its transaction rolled back)
 * @param tokenTtl                 lifetime of a bearer token from POST /v1/tokens
 * @param maxTokens                live bearer tokens; more get 503 + 53400
 * @param basicCacheTtl            how long a verified Basic password is remembered (saves PBKDF2 per request); zero = off
 * @param basicCacheEntries        users whose verified password is remembered at once
 * @param tls                      HTTPS settings
 * @param allowPasswordWithoutTlsFromLoopback accept Basic passwords over plain HTTP from 127.0.0.0/8 and ::1
 */
public record HttpSettings(String host, int port, long maxRequestBytes, Duration requestBodyTimeout,
        Duration statementTimeout, long maxResultRows, long maxResultBytes, int responseChunkBytes, int sendBufferBytes,
        int maxStatements, int maxSessions, Duration sessionIdleTimeout, Duration tokenTtl, int maxTokens, Duration basicCacheTtl,
        int basicCacheEntries, TlsSettings tls, boolean allowPasswordWithoutTlsFromLoopback) {

    public static final String PATH = "phantom.http";
    /** Hard ceilings: a typo (an extra zero) fails at startup instead of exhausting memory later. */
    public static final long MAX_REQUEST_BYTES_CEILING = 256L << 20;
    public static final int RESPONSE_CHUNK_BYTES_CEILING = 4 << 20;
    public static final int MAX_STATEMENTS_CEILING = 100_000;
    public static final int MAX_SESSIONS_CEILING = 1_000_000;
    public static final int MAX_TOKENS_CEILING = 10_000_000;

    private static final Set<String> KEYS = Set.of("host", "port", "max-request-bytes", "request-body-timeout",
            "statement-timeout", "max-result-rows", "max-result-bytes", "response-chunk-bytes", "socket-send-buffer-bytes", "max-statements",
            "max-sessions", "session-idle-timeout", "token-ttl", "max-tokens", "basic-auth-cache-ttl",
            "basic-auth-cache-entries", "tls", "allow-password-without-tls-from-loopback");


    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        require(!host.isBlank(), "host must not be empty");
        require(port >= 0 && port <= 65_535, "port in [0, 65535]");
        require(maxRequestBytes >= 1 && maxRequestBytes <= MAX_REQUEST_BYTES_CEILING, "max-request-bytes in [1, 256 MiB]");
        require(positive(requestBodyTimeout), "request-body-timeout must be positive");
        require(!statementTimeout.isNegative(), "statement-timeout must be >= 0 (0 = no limit)");
        require(maxResultRows >= 0 && maxResultBytes >= 0, "max-result-rows and max-result-bytes must be >= 0 (0 = unlimited)");
        require(responseChunkBytes >= 256 && responseChunkBytes <= RESPONSE_CHUNK_BYTES_CEILING,
                "response-chunk-bytes in [256, 4 MiB]");
        require(sendBufferBytes >= 0 && sendBufferBytes <= RESPONSE_CHUNK_BYTES_CEILING * 16,
                "socket-send-buffer-bytes in [0, 64 MiB] (0 = OS default)");
        require(maxStatements >= 1 && maxStatements <= MAX_STATEMENTS_CEILING, "max-statements in [1, 100000]");
        require(maxSessions >= 0 && maxSessions <= MAX_SESSIONS_CEILING, "max-sessions in [0, 1000000]");
        require(positive(sessionIdleTimeout), "session-idle-timeout must be positive");
        require(positive(tokenTtl), "token-ttl must be positive");
        require(maxTokens >= 0 && maxTokens <= MAX_TOKENS_CEILING, "max-tokens in [0, 10000000]");
        require(!basicCacheTtl.isNegative(), "basic-auth-cache-ttl must be >= 0 (0 = off)");
        require(basicCacheEntries >= 0 && basicCacheEntries <= MAX_SESSIONS_CEILING, "basic-auth-cache-entries in [0, 1000000]");
    }

    /** The built-in defaults (conf/phantom.conf spells out the same values). */
    public static HttpSettings defaults() {
        return new HttpSettings("127.0.0.1", 8088, 1L << 20, Duration.ofSeconds(10), Duration.ofMinutes(5), 0, 0,
                64 << 10, 0, 64, 256, Duration.ofMinutes(5), Duration.ofHours(1), 10_000, Duration.ofSeconds(60), 1024,
                TlsSettings.off(), true);
    }

    /** Reads {@code phantom.http} of {@code config} over the defaults. */
    public static HttpSettings fromConfig(Config config) {
        HttpSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            return new HttpSettings(
                    c.hasPath("host") ? c.getString("host") : d.host(),
                    c.hasPath("port") ? c.getInt("port") : d.port(),
                    c.hasPath("max-request-bytes") ? c.getBytes("max-request-bytes") : d.maxRequestBytes(),
                    c.hasPath("request-body-timeout") ? c.getDuration("request-body-timeout") : d.requestBodyTimeout(),
                    c.hasPath("statement-timeout") ? c.getDuration("statement-timeout") : d.statementTimeout(),
                    c.hasPath("max-result-rows") ? c.getLong("max-result-rows") : d.maxResultRows(),
                    c.hasPath("max-result-bytes") ? c.getBytes("max-result-bytes") : d.maxResultBytes(),
                    c.hasPath("response-chunk-bytes") ? c.getBytes("response-chunk-bytes").intValue() : d.responseChunkBytes(),
                    c.hasPath("socket-send-buffer-bytes") ? c.getBytes("socket-send-buffer-bytes").intValue() : d.sendBufferBytes(),
                    c.hasPath("max-statements") ? c.getInt("max-statements") : d.maxStatements(),
                    c.hasPath("max-sessions") ? c.getInt("max-sessions") : d.maxSessions(),
                    c.hasPath("session-idle-timeout") ? c.getDuration("session-idle-timeout") : d.sessionIdleTimeout(),
                    c.hasPath("token-ttl") ? c.getDuration("token-ttl") : d.tokenTtl(),
                    c.hasPath("max-tokens") ? c.getInt("max-tokens") : d.maxTokens(),
                    c.hasPath("basic-auth-cache-ttl") ? c.getDuration("basic-auth-cache-ttl") : d.basicCacheTtl(),
                    c.hasPath("basic-auth-cache-entries") ? c.getInt("basic-auth-cache-entries") : d.basicCacheEntries(),
                    TlsSettings.fromConfig(c, PATH),
                    c.hasPath("allow-password-without-tls-from-loopback")
                            ? c.getBoolean("allow-password-without-tls-from-loopback") : d.allowPasswordWithoutTlsFromLoopback());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }

    /** Copies with another port (tests bind port 0). */
    public HttpSettings withPort(int newPort) {
        return new HttpSettings(host, newPort, maxRequestBytes, requestBodyTimeout, statementTimeout, maxResultRows,
                maxResultBytes, responseChunkBytes, sendBufferBytes, maxStatements, maxSessions, sessionIdleTimeout, tokenTtl,
                maxTokens, basicCacheTtl, basicCacheEntries, tls, allowPasswordWithoutTlsFromLoopback);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
