package io.phantomdb.txn.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.EngineOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Goal: the plugin blocks read as reference.conf documents them - the engines land under phantom.data-dir
 * unless a dir is given, the journal's small sizing overrides phantom.storage's while everything else
 * (durability first) is kept, and a bad value stops the plugin with the full key named.
 *
 * <p>Method: PluginSettings on the real reference.conf block with single keys overridden.
 */
class PluginSettingsTest {

    static final String JOURNAL = "phantom.persistence.journal";

    private static PluginSettings journal(String overrides, String system) {
        Config reference = ConfigFactory.defaultReference();
        Config plugin = ConfigFactory.parseString(overrides).withFallback(reference.getConfig(JOURNAL));
        return PluginSettings.fromConfig(plugin, JOURNAL, ConfigFactory.parseString(system),
                PhantomJournal.DEFAULT_SUBDIRECTORY);
    }

    @Test
    void emptyDirMeansTheJournalSubdirectoryOfTheDataDir() {
        assertEquals(Path.of("/var/phantom", "journal"), journal("", "phantom.data-dir = \"/var/phantom\"").dir());
        assertEquals(Path.of("/elsewhere"), journal("dir = \"/elsewhere\"", "phantom.data-dir = \"/var/phantom\"").dir());
    }

    @Test
    void missingDirectoryIsAnErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> journal("", ""));
        assertTrue(e.getMessage().contains(JOURNAL + ".dir"), e.getMessage());
    }

    @Test
    void journalSizingOverridesStorageSettingsAndKeepsTheRest() {
        PluginSettings settings = journal("", "phantom.data-dir = d");
        EngineOptions storage = EngineOptions.builder().durability(Durability.PERIODIC).levelMultiplier(7).build();
        EngineOptions options = settings.engineOptions(storage);
        assertEquals(4L << 20, options.memtableBytes());
        assertEquals(1L << 20, options.walPreallocateBytes());
        assertEquals(8L << 20, options.blockCacheBytes());
        assertEquals(Durability.PERIODIC, options.durability());
        assertEquals(7, options.levelMultiplier());
        assertEquals(Durability.COMMIT, settings.engineOptions(EngineOptions.builder().build()).durability(),
                "engine default: an event is fsynced before it is acknowledged");
    }

    @Test
    void outOfBoundValuesAreRejectedWithTheKey() {
        ConfigException batch = assertThrows(ConfigException.class,
                () -> journal("delete-batch-max = 0", "phantom.data-dir = d"));
        assertTrue(batch.getMessage().contains(JOURNAL + ".delete-batch-max"), batch.getMessage());
        ConfigException memtable = assertThrows(ConfigException.class,
                () -> journal("memtable-size = 1 KiB", "phantom.data-dir = d"));
        assertTrue(memtable.getMessage().contains(JOURNAL) && memtable.getMessage().contains("memtableBytes"),
                memtable.getMessage());
    }
}
