package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.node.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@code phantom.pgwire} is parsed key by key, absent keys keep the defaults, and typos or impossible values
 * stop startup naming the key. Method: HOCON snippets through {@link PgWireSettings#fromConfig}.
 */
class PgWireSettingsTest {
    @Test
    void absentBlockGivesDefaults() {
        PgWireSettings s = PgWireSettings.fromConfig(ConfigFactory.empty());
        assertEquals("127.0.0.1", s.host());
        assertEquals(5433, s.port());
        assertEquals(Duration.ZERO, s.statementTimeout());
        assertFalse(s.tls().enabled());
        assertEquals(PgWireSettings.Transport.NIO, s.transport());
        assertEquals(PgWireSettings.NIO_EXECUTION_DEFAULT, s.nioExecution());
        assertEquals(PgWireSettings.defaultSelectorThreads(s.nioExecution()), s.selectorThreads());
        assertEquals(256 << 10, s.maxBufferedInput());
        assertEquals(64 << 10, s.readBufferSize());
    }

    @Test
    void everyKeyIsRead() {
        PgWireSettings s = PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire { host = \"0.0.0.0\", port = 6543, "
                + "max-connections = 7, max-message-size = 1 MiB, statement-timeout = 2s, idle-in-transaction-timeout = 3s, "
                + "authentication-timeout = 4s, settle-timeout = 5s, prepared-statements-max = 8, portals-max = 9, "
                + "transport = \"pekko-tcp\", nio-execution = \"dispatcher\", selector-threads = 3, max-buffered-input = 32 KiB, read-buffer-size = 8 KiB, "
                + "tls { enabled = true, key-store = \"/k.p12\", key-store-password = \"secret\" } }"));
        assertEquals("0.0.0.0", s.host());
        assertEquals(6543, s.port());
        assertEquals(7, s.maxConnections());
        assertEquals(1 << 20, s.maxMessageBytes());
        assertEquals(Duration.ofSeconds(2), s.statementTimeout());
        assertEquals(Duration.ofSeconds(3), s.idleInTransactionTimeout());
        assertEquals(Duration.ofSeconds(4), s.authenticationTimeout());
        assertEquals(Duration.ofSeconds(5), s.settleTimeout());
        assertEquals(8, s.preparedStatementsMax());
        assertEquals(9, s.portalsMax());
        assertEquals(PgWireSettings.Transport.PEKKO_TCP, s.transport());
        assertEquals(PgWireSettings.NioExecution.DISPATCHER, s.nioExecution());
        assertEquals(3, s.selectorThreads());
        assertEquals(32 << 10, s.maxBufferedInput());
        assertEquals(8 << 10, s.readBufferSize());
        assertTrue(s.tls().enabled());
        assertEquals(Path.of("/k.p12"), s.tls().keyStore());
        assertFalse(s.tls().toString().contains("secret"), "the password is never printed");
    }

    /** Streams on the selector threads need one per core (else one core caps the server); readers alone need one. */
    @Test
    void selectorThreadsDefaultFollowsTheExecution() {
        int cores = Runtime.getRuntime().availableProcessors();
        PgWireSettings onSelectors = PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.nio-execution = selector"));
        assertEquals(Math.min(cores, PgWireSettings.SELECTOR_THREADS_CEILING), onSelectors.selectorThreads());
        PgWireSettings onDispatcher = PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.nio-execution = dispatcher"));
        assertEquals(1, onDispatcher.selectorThreads());
        PgWireSettings pinned = PgWireSettings.fromConfig(ConfigFactory.parseString(
                "phantom.pgwire { nio-execution = selector, selector-threads = 5 }"));
        assertEquals(5, pinned.selectorThreads());
    }

    @Test
    void typosAndBadValuesStopStartup() {
        InvalidConfigException typo = assertThrows(InvalidConfigException.class,
                () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.max-conections = 5")));
        assertEquals("phantom.pgwire.max-conections", typo.key());
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.port = 70000")));
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.max-connections = 0")));
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.tls.enabled = true")));
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.tls.key-stor = x")));
        InvalidConfigException transport = assertThrows(InvalidConfigException.class,
                () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.transport = netty")));
        assertTrue(transport.getMessage().contains("transport"), transport.getMessage());
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.selector-threads = 0")));
        InvalidConfigException execution = assertThrows(InvalidConfigException.class,
                () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.nio-execution = inline")));
        assertTrue(execution.getMessage().contains("nio-execution"), execution.getMessage());
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.max-buffered-input = 10")));
        assertThrows(InvalidConfigException.class, () -> PgWireSettings.fromConfig(ConfigFactory.parseString("phantom.pgwire.read-buffer-size = 1 GiB")));
    }
}
