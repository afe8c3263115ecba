package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueType;
import io.phantomdb.storage.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The configuration of one Phantom-DB node, loaded from {@code conf/} - the single source of settings.
 *
 * <p>Where settings come from, strongest first:
 * <ol>
 *   <li>JVM system properties ({@code -Dphantom.storage.memtable-size=128MiB}), as Typesafe Config's
 *       {@link ConfigFactory#defaultOverrides()};</li>
 *   <li>the file given with {@code --config}, else {@code ./conf/application.conf} when it exists (it
 *       {@code include}s {@code phantom.conf} from the same directory);</li>
 *   <li>the built-in defaults of each layer's options record (for storage: {@link EngineOptions}), which
 *       {@code conf/phantom.conf} spells out value for value.</li>
 * </ol>
 * The node's tunables have no {@code reference.conf} copy on the classpath: a second copy of the defaults
 * would drift from {@code conf/}. (The jar's reference.conf holds only Pekko wiring - persistence plugin
 * definitions and serialization bindings - docs/decisions.md D2.) Immutable and thread-safe.
 */
public final class NodeConfig {

    /** Used when no {@code --config} is given and this file exists (relative to the working directory). */
    public static final Path DEFAULT_CONFIG_FILE = Path.of("conf", "application.conf");
    public static final String DATA_DIR_KEY = "phantom.data-dir";
    /** Relative to the working directory, like every relative path in the configuration. */
    public static final String DATA_DIR_DEFAULT = "data";
    /** Logback configuration looked up beside the loaded config file. */
    public static final String LOGBACK_FILE_NAME = "logback.xml";

    private final Config config;
    private final Path source;

    private NodeConfig(Config config, Path source) {
        this.config = config;
        this.source = source;
    }

    /**
     * Loads {@code explicitFile}, or {@link #DEFAULT_CONFIG_FILE} when {@code explicitFile} is null and
     * that file exists, or only the built-in defaults otherwise.
     *
     * @throws InvalidConfigException when an explicit file is missing or a file does not parse
     */
    public static NodeConfig load(Path explicitFile) {
        Path file = explicitFile;
        if (file == null && Files.isRegularFile(DEFAULT_CONFIG_FILE)) {
            file = DEFAULT_CONFIG_FILE;
        }
        if (file == null) {
            return fromConfig(ConfigFactory.defaultOverrides().resolve(), null);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(file.toString(), "configuration file not found");
        }
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            return fromConfig(ConfigFactory.defaultOverrides().withFallback(parsed).resolve(), file.toAbsolutePath());
        } catch (ConfigException e) {
            throw new InvalidConfigException(file.toString(), e.getMessage(), e);
        }
    }

    /** Wraps an already resolved config (tests, embedding applications); {@code source} may be null. */
    public static NodeConfig fromConfig(Config resolved, Path source) {
        return new NodeConfig(resolved, source);
    }

    /** The whole resolved configuration (Pekko and Kamon read their own sections from it later). */
    public Config config() {
        return config;
    }

    /** The file the configuration was loaded from; empty when only built-in defaults are in force. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** {@code phantom.data-dir}, default {@value #DATA_DIR_DEFAULT}; relative to the working directory. */
    public Path dataDir() {
        if (!config.hasPathOrNull(DATA_DIR_KEY)) {
            return Path.of(DATA_DIR_DEFAULT);
        }
        if (config.getValue(DATA_DIR_KEY).valueType() != ConfigValueType.STRING) {
            throw new InvalidConfigException(DATA_DIR_KEY, "must be a string (a directory path)"
                    + StorageConfig.origin(config.getValue(DATA_DIR_KEY)));
        }
        String dir = config.getString(DATA_DIR_KEY);
        if (dir.isBlank()) {
            throw new InvalidConfigException(DATA_DIR_KEY, "must not be empty" + StorageConfig.origin(config.getValue(DATA_DIR_KEY)));
        }
        return Path.of(dir);
    }

    /** {@code phantom.storage} as engine options. */
    public EngineOptions engineOptions() {
        return StorageConfig.fromConfig(config);
    }

    /** {@code phantom.sql} as the SQL layer's settings. */
    public io.phantomdb.sql.SqlSettings sqlSettings() {
        return SqlConfig.fromConfig(config);
    }

    /** {@code phantom.txn} as the transaction layer's settings. */
    public io.phantomdb.sql.TxnSettings txnSettings() {
        return TxnConfig.fromConfig(config);
    }

    /** {@code phantom.security} as the security layer's settings (bootstrap admin, SCRAM, authentication). */
    public io.phantomdb.security.SecuritySettings securitySettings() {
        return SecurityConfig.fromConfig(config);
    }

    /** {@code phantom.saga} as the saga coordinators' settings. */
    public io.phantomdb.txn.coordinator.SagaSettings sagaSettings() {
        return SagaConfig.fromConfig(config);
    }

    /** {@code logback.xml} beside the loaded config file, when there is one. */
    public Optional<Path> logbackFile() {
        if (source == null || source.getParent() == null) {
            return Optional.empty();
        }
        Path logback = source.getParent().resolve(LOGBACK_FILE_NAME);
        return Files.isRegularFile(logback) ? Optional.of(logback) : Optional.empty();
    }
}
