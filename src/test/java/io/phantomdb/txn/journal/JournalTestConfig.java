package io.phantomdb.txn.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** ActorSystem configs for the journal tests: both plugins selected, their engines in a given directory. */
final class JournalTestConfig {

    private JournalTestConfig() {}

    /**
     * Local provider (nothing binds a port), Java serialization off as in production, both Phantom plugins
     * selected, engines under {@code dataDir} through {@code phantom.data-dir} (the default {@code dir = ""}).
     */
    static Config withDataDir(Path dataDir) {
        return ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.actor.allow-java-serialization = off
                pekko.loglevel = WARNING
                pekko.persistence.journal.plugin = "phantom.persistence.journal"
                pekko.persistence.snapshot-store.plugin = "phantom.persistence.snapshot-store"
                """).withValue("phantom.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    }

    /**
     * A fresh path under the temporary directory, not created: the plugins create their engine directories
     * when they start. (The ScalaTest engine instantiates a suite more than once during discovery, and
     * only the instance that runs gets afterAll, so creating the directory here would leak one per extra
     * instance.)
     */
    static Path newTempDir(String prefix) {
        return Path.of(System.getProperty("java.io.tmpdir"), prefix + "-" + UUID.randomUUID());
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
