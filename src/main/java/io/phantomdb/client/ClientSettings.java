package io.phantomdb.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PhantomClient} reaches a server. Immutable; build with {@link #of} and the {@code with*} copies.
 *
 * @param baseUri            {@code http://host:port} or {@code https://host:port} of the node's HTTP interface
 * @param user               role for Basic authentication (null with a token)
 * @param password           its password (sent on every request; over plain HTTP only to loopback servers)
 * @param token              a bearer token from {@code POST /v1/tokens}, used instead of user/password when set
 * @param trustStore         PKCS12 trust store for HTTPS (null: the JVM's default trust)
 * @param trustStorePassword its password
 * @param maxLineBytes       longest NDJSON line (one row) accepted; a longer one fails the stream
 * @param connectTimeout     TCP (and TLS) connection establishment
 * @param requestTimeout     time until the response status arrives (the first row, for queries)
 * @param maxConnections     concurrent HTTP connections, i.e. statements streaming at once
 */
public record ClientSettings(URI baseUri, String user, String password, String token, Path trustStore,
        String trustStorePassword, int maxLineBytes, Duration connectTimeout, Duration requestTimeout, int maxConnections) {

    public static final int MAX_LINE_BYTES_DEFAULT = 16 << 20;
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofMinutes(5);
    public static final int MAX_CONNECTIONS_DEFAULT = 16;

    public ClientSettings {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("baseUri must be http:// or https://, not " + baseUri);
        }
        if (maxLineBytes < 1024 || maxConnections < 1) {
            throw new IllegalArgumentException("maxLineBytes >= 1024 and maxConnections >= 1");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** Basic authentication as {@code user}/{@code password}, default limits. */
    public static ClientSettings of(String baseUri, String user, String password) {
        return new ClientSettings(URI.create(baseUri), user, password, null, null, null, MAX_LINE_BYTES_DEFAULT,
                CONNECT_TIMEOUT_DEFAULT, REQUEST_TIMEOUT_DEFAULT, MAX_CONNECTIONS_DEFAULT);
    }

    public ClientSettings withToken(String newToken) {
        return new ClientSettings(baseUri, user, password, newToken, trustStore, trustStorePassword, maxLineBytes,
                connectTimeout, requestTimeout, maxConnections);
    }

    public ClientSettings withTrustStore(Path store, String storePassword) {
        return new ClientSettings(baseUri, user, password, token, store, storePassword, maxLineBytes, connectTimeout,
                requestTimeout, maxConnections);
    }

    public ClientSettings withLimits(int newMaxLineBytes, Duration newConnectTimeout, Duration newRequestTimeout,
            int newMaxConnections) {
        return new ClientSettings(baseUri, user, password, token, trustStore, trustStorePassword, newMaxLineBytes,
                newConnectTimeout, newRequestTimeout, newMaxConnections);
    }

    @Override
    public String toString() { // never print secrets
        return "ClientSettings[" + baseUri + ", user=" + user + (token != null ? ", token=***" : "") + "]";
    }
}
