package io.phantomdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.phantomdb.storage.EngineOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: conf/application.conf loads as the CLI loads it (include, overrides, data dir), and every library
 * setting it changes is a real setting of that library - a misspelt Pekko or Kamon key would otherwise be
 * ignored silently and, for example, leave a port open on every interface.
 *
 * <p>Method: load the real files through {@link NodeConfig#load}; compare each non-phantom key with the
 * merged {@code reference.conf} of the test classpath (Pekko, Pekko Management, Kamon).
 */
class NodeConfigTest {

    static final Path APPLICATION_CONF = StorageConfigTest.CONF.resolve("application.conf");

    @Test
    void applicationConfIncludesPhantomConf() {
        NodeConfig node = NodeConfig.load(APPLICATION_CONF);
        assertEquals(Path.of("data"), node.dataDir());
        assertEquals(EngineOptions.builder().build(), node.engineOptions());
        assertEquals(APPLICATION_CONF.toAbsolutePath(), node.source().orElseThrow());
        assertEquals(StorageConfigTest.CONF.resolve("logback.xml").toAbsolutePath(), node.logbackFile().orElseThrow());
    }

    @Test
    void applicationConfSetsOnlyKeysTheLibrariesDefine() {
        Config application = NodeConfig.load(APPLICATION_CONF).config();
        Config reference = ConfigFactory.defaultReference();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : application.entrySet()) {
            String key = entry.getKey();
            boolean ours = key.startsWith("phantom.");
            boolean jvm = !key.startsWith("pekko.") && !key.startsWith("kamon.");
            if (!ours && !jvm && !reference.hasPathOrNull(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown, "keys no reference.conf defines (typo?)");
        assertTrue(reference.hasPath("pekko.management.http.hostname"), "Pekko Management on the test classpath");
        assertTrue(reference.hasPath("kamon.prometheus.embedded-server.hostname"), "Kamon Prometheus on the test classpath");
    }

    @Test
    void applicationConfKeepsEveryListenerOnLoopback() {
        Config application = NodeConfig.load(APPLICATION_CONF).config();
        for (String key : List.of("pekko.management.http.hostname", "kamon.status-page.listen.hostname",
                "kamon.prometheus.embedded-server.hostname")) {
            assertEquals("127.0.0.1", application.getString(key), key);
        }
        assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), application.getStringList("pekko.loggers"));
        assertEquals(false, application.getBoolean("pekko.actor.allow-java-serialization"));
    }

    @Test
    void systemPropertiesOverrideTheFile() {
        String key = "phantom.storage.memtable-size";
        String previous = System.getProperty(key);
        System.setProperty(key, "8 MiB");
        try {
            ConfigFactory.invalidateCaches();
            assertEquals(8L << 20, NodeConfig.load(APPLICATION_CONF).engineOptions().memtableBytes());
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
            ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void missingExplicitFileIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> NodeConfig.load(missing));
        assertEquals(missing.toString(), e.key());
    }

    @Test
    void unparsableFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "phantom { storage { memtable-size = \n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> NodeConfig.load(file));
        assertEquals(file.toString(), e.key());
    }

    @Test
    void dataDirComesFromTheFileAndMustBeAString(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.conf");
        Files.writeString(file, "phantom.data-dir = \"/var/lib/phantom\"\n");
        assertEquals(Path.of("/var/lib/phantom"), NodeConfig.load(file).dataDir());
        assertEquals(Path.of("data"), NodeConfig.fromConfig(ConfigFactory.empty(), null).dataDir());
        Files.writeString(file, "phantom.data-dir { a = 1 }\n");
        assertEquals(NodeConfig.DATA_DIR_KEY,
                assertThrows(InvalidConfigException.class, () -> NodeConfig.load(file).dataDir()).key());
    }
}
