package io.phantomdb.server.pgwire;

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
 * The PostgreSQL wire protocol server's settings: {@code phantom.pgwire} (documented key by key in
 * conf/phantom.conf and docs/pgwire.md). Absent keys keep {@link #defaults()}; unknown keys and out-of-range values
 * stop the node at startup with the key named. Immutable.
 *
 * @param host                      interface to bind (loopback by default: expose it on purpose)
 * @param port                      TCP port; 0 picks a free one (tests)
 * @param maxConnections            client sessions at once; one more gets FATAL 53300 at startup
 * @param maxMessageBytes           largest frontend message; a larger one gets FATAL 08P01 and the connection closes
 * @param statementTimeout          a statement running longer is cancelled with 57014; zero = no limit
 * @param idleInTransactionTimeout  a session idle inside a transaction block this long is closed (FATAL 25P03); zero = off
 * @param authenticationTimeout     a client must finish startup and authentication within this time, else it is
 *                                  disconnected (PostgreSQL's authentication_timeout)
 * @param settleTimeout             how long a statement waits for the previous (cancelled or cut) statement of its
 *                                  connection to release the session before failing with 25000
 * @param preparedStatementsMax     named prepared statements one connection may hold (more: 53400)
 * @param portalsMax                named portals one connection may hold open (more: 53400)
 * @param outputBufferBytes         answers of extended-query messages are held back (as PostgreSQL does) until Sync,
 *                                  Flush, a streamed result, or this many bytes: one TCP write per statement
 * @param tls                       SSLRequest handling: TLS with a PKCS12 key store, or 'N' when off
 * @param transport                 how connections reach their streams: java.nio selectors (no or one thread
 *                                  hand-off per request, see nioExecution) or Pekko Streams TCP (docs/pgwire.md "Transport")
 * @param nioExecution              nio: where connections' streams run - on the selector thread that reads the socket
 *                                  (no thread hand-off per request) or on the Pekko dispatcher
 * @param selectorThreads           nio: selector threads that accept, read, and wake writers waiting for a full socket
 *                                  (and run the streams, with nio-execution = selector)
 * @param maxBufferedInput          nio: bytes read from one client but not yet taken by its stream; above it the
 *                                  server stops reading that socket (TCP backpressure to the client)
 * @param readBufferSize            nio: bytes one read takes from a socket at most (one buffer per selector thread)
 */
public record PgWireSettings(String host, int port, int maxConnections, int maxMessageBytes, Duration statementTimeout,
        Duration idleInTransactionTimeout, Duration authenticationTimeout, Duration settleTimeout, int preparedStatementsMax,
        int portalsMax, int outputBufferBytes, TlsSettings tls, Transport transport, NioExecution nioExecution, int selectorThreads,
        int maxBufferedInput, int readBufferSize) {

    /** The byte transport under {@link ConnectionFlow}; both carry the same flow (TLS included). */
    public enum Transport {
        /** {@link NioTransport}: selector threads read, the connection's stream writes. */
        NIO("nio"),
        /** Pekko Streams {@code Tcp.bind}: the IO actors between the socket and the stream. */
        PEKKO_TCP("pekko-tcp");

        private final String configName;

        Transport(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static Transport parse(String name) {
            for (Transport t : values()) {
                if (t.configName.equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("transport must be \"nio\" or \"pekko-tcp\", not \"" + name + "\"");
        }
    }

    /** Where the nio transport runs a connection's stream (docs/pgwire.md "Transport"). */
    public enum NioExecution {
        /** On the selector thread that reads its socket: read, protocol, engine and write on one thread. */
        SELECTOR("selector"),
        /** On the Pekko dispatcher: the selector thread hands each read over. */
        DISPATCHER("dispatcher");

        private final String configName;

        NioExecution(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static NioExecution parse(String name) {
            for (NioExecution e : values()) {
                if (e.configName.equals(name)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("nio-execution must be \"selector\" or \"dispatcher\", not \"" + name + "\"");
        }
    }

    public static final String PATH = "phantom.pgwire";
    /** PostgreSQL's own default port is 5432; 5433 lets both run on one machine (the benchmark does). */
    public static final int PORT_DEFAULT = 5433;
    /** Hard ceilings: a typo (an extra zero) fails at startup instead of exhausting memory later. */
    public static final int MAX_CONNECTIONS_CEILING = 100_000;
    /** PostgreSQL refuses messages above 1 GiB; a row of ours is far smaller. */
    public static final int MAX_MESSAGE_BYTES_CEILING = 1 << 30;
    /** The smallest sane frame limit: a startup packet with a user name and a few settings. */
    public static final int MAX_MESSAGE_BYTES_FLOOR = 1024;
    /** PostgreSQL's own send buffer is 8 KiB; a little more lets a small batch of statements share a write. */
    public static final int OUTPUT_BUFFER_BYTES_DEFAULT = 64 << 10;
    /** Measured faster (docs/benchmarks.md, docs/pgwire.md "Transport"). */
    public static final Transport TRANSPORT_DEFAULT = Transport.NIO;
    /** Measured faster (docs/pgwire.md "Transport"). */
    public static final NioExecution NIO_EXECUTION_DEFAULT = NioExecution.SELECTOR;
    /**
     * Selector threads when they only read: one keeps up with a 2-core machine's worth of requests, it does no
     * protocol work.
     */
    public static final int SELECTOR_THREADS_DEFAULT = 1;
    public static final int SELECTOR_THREADS_CEILING = 64;
    /** Four reads' worth: a pipelined batch fits, a client flooding a busy connection is held at the socket. */
    public static final int MAX_BUFFERED_INPUT_DEFAULT = 256 << 10;
    /** The kernel's default socket receive buffer is 128 KiB on Linux; half of it per read. */
    public static final int READ_BUFFER_SIZE_DEFAULT = 64 << 10;
    /** Below this, a request costs many wakeups of the selector thread. */
    public static final int TRANSPORT_BYTES_FLOOR = 512;
    /** A read buffer is allocated per selector thread; more than this wastes memory without a gain. */
    public static final int READ_BUFFER_SIZE_CEILING = 16 << 20;

    private static final Set<String> KEYS = Set.of("host", "port", "max-connections", "max-message-size",
            "statement-timeout", "idle-in-transaction-timeout", "authentication-timeout", "settle-timeout", "prepared-statements-max",
            "portals-max", "output-buffer-size", "tls", "transport", "nio-execution", "selector-threads", "max-buffered-input",
            "read-buffer-size");

    /**
     * The default selector threads for {@code execution}: with the streams on the selector threads, one per core (a
     * single thread would cap all protocol and engine work of the server at one core); else {@link
     * #SELECTOR_THREADS_DEFAULT}.
     */
    public static int defaultSelectorThreads(NioExecution execution) {
        return execution == NioExecution.SELECTOR
                ? Math.min(Runtime.getRuntime().availableProcessors(), SELECTOR_THREADS_CEILING)
                : SELECTOR_THREADS_DEFAULT;
    }


    public PgWireSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        requireRange("port", port, 0, 65_535);
        requireRange("max-connections", maxConnections, 1, MAX_CONNECTIONS_CEILING);
        requireRange("max-message-size", maxMessageBytes, MAX_MESSAGE_BYTES_FLOOR, MAX_MESSAGE_BYTES_CEILING);
        requireRange("prepared-statements-max", preparedStatementsMax, 1, 1_000_000);
        requireRange("portals-max", portalsMax, 1, 1_000_000);
        requireRange("output-buffer-size", outputBufferBytes, 0, MAX_MESSAGE_BYTES_CEILING);
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(nioExecution, "nio-execution");
        requireRange("selector-threads", selectorThreads, 1, SELECTOR_THREADS_CEILING);
        requireRange("max-buffered-input", maxBufferedInput, TRANSPORT_BYTES_FLOOR, MAX_MESSAGE_BYTES_CEILING);
        requireRange("read-buffer-size", readBufferSize, TRANSPORT_BYTES_FLOOR, READ_BUFFER_SIZE_CEILING);
        requireNotNegative("statement-timeout", statementTimeout);
        requireNotNegative("idle-in-transaction-timeout", idleInTransactionTimeout);
        requireNotNegative("settle-timeout", settleTimeout);
        requireNotNegative("authentication-timeout", authenticationTimeout);
        if (authenticationTimeout.isZero()) {
            throw new IllegalArgumentException("authentication-timeout must be positive");
        }
    }

    /** Settings with the default transport (the form before the transport keys existed). */
    public PgWireSettings(String host, int port, int maxConnections, int maxMessageBytes, Duration statementTimeout,
            Duration idleInTransactionTimeout, Duration authenticationTimeout, Duration settleTimeout, int preparedStatementsMax,
            int portalsMax, int outputBufferBytes, TlsSettings tls) {
        this(host, port, maxConnections, maxMessageBytes, statementTimeout, idleInTransactionTimeout, authenticationTimeout,
                settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, tls, TRANSPORT_DEFAULT, NIO_EXECUTION_DEFAULT,
                defaultSelectorThreads(NIO_EXECUTION_DEFAULT), MAX_BUFFERED_INPUT_DEFAULT, READ_BUFFER_SIZE_DEFAULT);
    }

    /** The built-in defaults (conf/phantom.conf spells out the same values). */
    public static PgWireSettings defaults() {
        return new PgWireSettings("127.0.0.1", PORT_DEFAULT, 100, 64 << 20, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(60), Duration.ofSeconds(5), 1024, 256, OUTPUT_BUFFER_BYTES_DEFAULT, TlsSettings.off());
    }

    /** A copy listening on {@code newPort} (0: a free port). */
    public PgWireSettings withPort(int newPort) {
        return new PgWireSettings(host, newPort, maxConnections, maxMessageBytes, statementTimeout, idleInTransactionTimeout,
                authenticationTimeout, settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, tls, transport,
                nioExecution, selectorThreads, maxBufferedInput, readBufferSize);
    }

    /** A copy with other connection limits: {@code maxConnections} and the idle-in-transaction timeout. */
    public PgWireSettings withLimits(int newMaxConnections, Duration newIdleInTransactionTimeout) {
        return new PgWireSettings(host, port, newMaxConnections, maxMessageBytes, statementTimeout, newIdleInTransactionTimeout,
                authenticationTimeout, settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, tls, transport,
                nioExecution, selectorThreads, maxBufferedInput, readBufferSize);
    }

    /** A copy with TLS settings {@code newTls}. */
    public PgWireSettings withTls(TlsSettings newTls) {
        return new PgWireSettings(host, port, maxConnections, maxMessageBytes, statementTimeout, idleInTransactionTimeout,
                authenticationTimeout, settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, newTls, transport,
                nioExecution, selectorThreads, maxBufferedInput, readBufferSize);
    }

    /** A copy on another transport with its selector threads and buffer limits. */
    public PgWireSettings withTransport(Transport newTransport, int newSelectorThreads, int newMaxBufferedInput,
            int newReadBufferSize) {
        return new PgWireSettings(host, port, maxConnections, maxMessageBytes, statementTimeout, idleInTransactionTimeout,
                authenticationTimeout, settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, tls, newTransport,
                nioExecution, newSelectorThreads, newMaxBufferedInput, newReadBufferSize);
    }

    /** A copy running the nio transport's streams per {@code newExecution} on {@code newSelectorThreads} threads. */
    public PgWireSettings withNioExecution(NioExecution newExecution, int newSelectorThreads) {
        return new PgWireSettings(host, port, maxConnections, maxMessageBytes, statementTimeout, idleInTransactionTimeout,
                authenticationTimeout, settleTimeout, preparedStatementsMax, portalsMax, outputBufferBytes, tls, transport,
                newExecution, newSelectorThreads, maxBufferedInput, readBufferSize);
    }

    /** Parses {@code phantom.pgwire} of {@code config} (absent: the defaults). */
    public static PgWireSettings fromConfig(Config config) {
        PgWireSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            NioExecution execution = c.hasPath("nio-execution") ? NioExecution.parse(c.getString("nio-execution"))
                    : d.nioExecution();
            return new PgWireSettings(
                    c.hasPath("host") ? c.getString("host") : d.host(),
                    c.hasPath("port") ? c.getInt("port") : d.port(),
                    c.hasPath("max-connections") ? c.getInt("max-connections") : d.maxConnections(),
                    c.hasPath("max-message-size") ? bytes(c, "max-message-size") : d.maxMessageBytes(),
                    c.hasPath("statement-timeout") ? c.getDuration("statement-timeout") : d.statementTimeout(),
                    c.hasPath("idle-in-transaction-timeout") ? c.getDuration("idle-in-transaction-timeout")
                            : d.idleInTransactionTimeout(),
                    c.hasPath("authentication-timeout") ? c.getDuration("authentication-timeout") : d.authenticationTimeout(),
                    c.hasPath("settle-timeout") ? c.getDuration("settle-timeout") : d.settleTimeout(),
                    c.hasPath("prepared-statements-max") ? c.getInt("prepared-statements-max") : d.preparedStatementsMax(),
                    c.hasPath("portals-max") ? c.getInt("portals-max") : d.portalsMax(),
                    c.hasPath("output-buffer-size") ? bytes(c, "output-buffer-size") : d.outputBufferBytes(),
                    c.hasPath("tls") ? TlsSettings.fromConfig(c, PATH) : d.tls(),
                    c.hasPath("transport") ? Transport.parse(c.getString("transport")) : d.transport(),
                    execution,
                    c.hasPath("selector-threads") ? c.getInt("selector-threads") : defaultSelectorThreads(execution),
                    c.hasPath("max-buffered-input") ? bytes(c, "max-buffered-input") : d.maxBufferedInput(),
                    c.hasPath("read-buffer-size") ? bytes(c, "read-buffer-size") : d.readBufferSize());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }

    private static int bytes(Config c, String key) {
        long value = c.getBytes(key);
        if (value > MAX_MESSAGE_BYTES_CEILING) {
            throw new IllegalArgumentException(key + " must be at most " + MAX_MESSAGE_BYTES_CEILING + " bytes");
        }
        return (int) value;
    }

    private static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void requireNotNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be zero or positive");
        }
    }
}
