package io.phantomdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.phantomdb.storage.Compression;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.EngineOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: conf/phantom.conf is the documented truth of the storage defaults, and every key reaches the
 * right EngineOptions field with a clear error when it is wrong.
 *
 * <p>Method: parse the real file and compare with {@link EngineOptions#builder()} defaults; set each key to
 * a non-default value and check which field changed; feed bad values and check the error names the key.
 */
class StorageConfigTest {

    static final Path CONF = Path.of(System.getProperty("basedir", ".")).resolve("conf");

    /** EngineOptions fields that are not operator settings (see EngineOptions.Builder#backgroundWork). */
    static final Set<String> TEST_ONLY_OPTIONS = Set.of("backgroundWork");

    /** Filled by {@link #put}: the value each key's test setting must produce. */
    private final Map<String, Object> expected = new LinkedHashMap<>();

    private static Config parseFile(Path file) {
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private static EngineOptions options(String hocon) {
        return StorageConfig.fromConfig(ConfigFactory.parseString(hocon).resolve());
    }

    private static InvalidConfigException rejected(String hocon) {
        return assertThrows(InvalidConfigException.class, () -> options(hocon), hocon);
    }

    @Test
    void phantomConfParsesToExactlyTheEngineDefaults() {
        EngineOptions fromFile = StorageConfig.fromConfig(parseFile(CONF.resolve("phantom.conf")));
        assertEquals(EngineOptions.builder().build(), fromFile);
    }

    @Test
    void phantomConfSetsEveryStorageKeyAndNoOther() {
        Config storage = parseFile(CONF.resolve("phantom.conf")).getConfig(StorageConfig.PATH);
        assertEquals(new TreeSet<>(StorageConfig.keys()), new TreeSet<>(storage.root().keySet()),
                "conf/phantom.conf must set (and so document) every storage key");
    }

    @Test
    void everyEngineOptionHasAKey() {
        Set<String> components = new TreeSet<>();
        for (RecordComponent component : EngineOptions.class.getRecordComponents()) {
            components.add(component.getName());
        }
        components.removeAll(TEST_ONLY_OPTIONS);
        assertEquals(components, new TreeSet<>(StorageConfig.fieldsByKey().values()),
                "every EngineOptions field needs a key in StorageConfig and conf/phantom.conf");
    }

    @Test
    void everyKeyInPhantomConfHasACommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(CONF.resolve("phantom.conf"), StandardCharsets.UTF_8);
        List<String> uncommented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean setting = line.matches("[a-z0-9-]+\\s*(=|\\{).*");
            if (setting && (i == 0 || !lines.get(i - 1).strip().startsWith("#"))) {
                uncommented.add((i + 1) + ": " + line);
            }
        }
        assertEquals(List.of(), uncommented, "settings without a comment directly above them");
    }

    @Test
    void absentBlockMeansDefaults() {
        assertEquals(EngineOptions.builder().build(), options("phantom { data-dir = x }"));
        assertEquals(EngineOptions.builder().build(), options("phantom.storage {}"));
    }

    @Test
    void eachKeyReachesItsOwnField() {
        Map<String, Function<EngineOptions, Object>> fields = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        put(values, fields, "durability = periodic", EngineOptions::durability, Durability.PERIODIC);
        put(values, fields, "periodic-sync-interval = 2 s", EngineOptions::periodicSyncMillis, 2000L);
        put(values, fields, "memtable-size = 8 MiB", EngineOptions::memtableBytes, 8L << 20);
        put(values, fields, "immutable-memtables-max = 5", EngineOptions::immutableMemtablesMax, 5);
        put(values, fields, "write-queue-max = 100", EngineOptions::writeQueueMax, 100);
        put(values, fields, "group-commit-size-max = 1 MiB", EngineOptions::groupCommitBytesMax, 1L << 20);
        put(values, fields, "group-commit-wait-max = 0 us", EngineOptions::groupCommitWaitMicrosMax, 0L);
        put(values, fields, "wal-preallocate-size = 0", EngineOptions::walPreallocateBytes, 0L);
        put(values, fields, "block-size = 4 KiB", EngineOptions::blockBytes, 4096);
        put(values, fields, "compression = lz4", EngineOptions::compression, Compression.LZ4);
        put(values, fields, "bloom-bits-per-key = 0", EngineOptions::bloomBitsPerKey, 0);
        put(values, fields, "block-cache-size = 0", EngineOptions::blockCacheBytes, 0L);
        put(values, fields, "open-files-max = 64", EngineOptions::openFilesMax, 64);
        put(values, fields, "l0-compaction-trigger = 2", EngineOptions::l0CompactionTrigger, 2);
        put(values, fields, "l0-slowdown-trigger = 9", EngineOptions::l0SlowdownTrigger, 9);
        put(values, fields, "l0-stop-trigger = 20", EngineOptions::l0StopTrigger, 20);
        put(values, fields, "slowdown-delay = 250 us", EngineOptions::slowdownDelayMicros, 250L);
        put(values, fields, "write-stall-timeout = 5 s", EngineOptions::writeStallTimeoutMillis, 5000L);
        put(values, fields, "level-base-size = 10 MiB", EngineOptions::levelBaseBytes, 10L << 20);
        put(values, fields, "level-multiplier = 8", EngineOptions::levelMultiplier, 8);
        put(values, fields, "levels-max = 4", EngineOptions::levelsMax, 4);
        put(values, fields, "target-segment-size = 2 MiB", EngineOptions::targetSegmentBytes, 2L << 20);
        put(values, fields, "compaction-rate-limit = 0", EngineOptions::compactionBytesPerSecond, 0L);
        assertEquals(new TreeSet<>(StorageConfig.keys()), new TreeSet<>(values.keySet()), "test covers every key");

        EngineOptions defaults = EngineOptions.builder().build();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            EngineOptions changed = options("phantom.storage { " + entry.getValue() + " }");
            assertNotEquals(defaults, changed, key);
            assertEquals(expected.get(key), fields.get(key).apply(changed), key);
            // Only that field changed: restoring it gives back the defaults.
            for (Map.Entry<String, Function<EngineOptions, Object>> other : fields.entrySet()) {
                if (!other.getKey().equals(key)) {
                    assertEquals(other.getValue().apply(defaults), other.getValue().apply(changed),
                            key + " must not change " + other.getKey());
                }
            }
        }
    }

    private void put(Map<String, String> values, Map<String, Function<EngineOptions, Object>> fields, String hocon,
            Function<EngineOptions, Object> field, Object value) {
        String key = hocon.substring(0, hocon.indexOf('=')).strip();
        values.put(key, hocon);
        fields.put(key, field);
        expected.put(key, value);
    }

    @Test
    void outOfBoundValueNamesTheKeyAndTheValue() {
        InvalidConfigException e = rejected("phantom.storage.memtable-size = 1 KiB");
        assertEquals("phantom.storage.memtable-size", e.key());
        assertTrue(e.getMessage().contains("1 KiB"), e.getMessage());
        assertTrue(e.getMessage().contains("[4 KiB, 1 GiB]"), e.getMessage());

        assertEquals("phantom.storage.levels-max", rejected("phantom.storage.levels-max = 8").key());
        assertEquals("phantom.storage.bloom-bits-per-key", rejected("phantom.storage.bloom-bits-per-key = -1").key());
        assertEquals("phantom.storage.open-files-max", rejected("phantom.storage.open-files-max = 2").key());

        InvalidConfigException wal = rejected("phantom.storage.wal-preallocate-size = 1 KiB");
        assertEquals("phantom.storage.wal-preallocate-size", wal.key());
        assertTrue(wal.getMessage().contains("wal-preallocate-size 0 or in [4 KiB, 1 GiB]"), wal.getMessage());
        assertEquals("phantom.storage.wal-preallocate-size", rejected("phantom.storage.wal-preallocate-size = 2 GiB").key());
        assertEquals(4096L, options("phantom.storage.wal-preallocate-size = 4 KiB").walPreallocateBytes());
    }

    @Test
    void inconsistentPairNamesTheDependentKey() {
        InvalidConfigException e = rejected("phantom.storage { l0-compaction-trigger = 10 }");
        assertEquals("phantom.storage.l0-slowdown-trigger", e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("default in force"), e.getMessage());
        assertEquals("phantom.storage.target-segment-size",
                rejected("phantom.storage { block-size = 64 KiB, target-segment-size = 32 KiB }").key());
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertEquals("phantom.storage.l0-stop-trigger", rejected("phantom.storage.l0-stop-trigger = \"many\"").key());
        assertEquals("phantom.storage.memtable-size", rejected("phantom.storage.memtable-size = \"big\"").key());
        assertEquals("phantom.storage.write-queue-max", rejected("phantom.storage.write-queue-max = 10000000000").key());
        assertEquals("phantom.storage.block-size", rejected("phantom.storage.block-size = 3 GiB").key());
        assertEquals("phantom.storage.memtable-size", rejected("phantom.storage.memtable-size = null").key());
        assertEquals("phantom.storage", rejected("phantom.storage = 5").key());
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        InvalidConfigException e = rejected("phantom.storage.durability = sometimes");
        assertEquals("phantom.storage.durability", e.key());
        assertTrue(e.getMessage().contains("commit | periodic | off"), e.getMessage());
        assertEquals("phantom.storage.compression", rejected("phantom.storage.compression = zstd").key());
        assertEquals("phantom.storage.durability", rejected("phantom.storage.durability = COMMIT").key());
    }

    @Test
    void durationMustBeAWholeNumberOfTheEngineUnit() {
        InvalidConfigException e = rejected("phantom.storage.periodic-sync-interval = 1500 us");
        assertEquals("phantom.storage.periodic-sync-interval", e.key());
        assertTrue(e.getMessage().contains("whole number of milliseconds"), e.getMessage());
        assertEquals("phantom.storage.slowdown-delay", rejected("phantom.storage.slowdown-delay = 10 ns").key());
        assertEquals("phantom.storage.write-stall-timeout", rejected("phantom.storage.write-stall-timeout = -1 s").key());
        assertEquals("phantom.storage.periodic-sync-interval", rejected("phantom.storage.periodic-sync-interval = 0 ms").key());
    }

    @Test
    void unknownKeyIsRejectedNotIgnored() {
        InvalidConfigException e = rejected("phantom.storage.memtable-sise = 8 MiB");
        assertEquals("phantom.storage.memtable-sise", e.key());
        assertTrue(e.getMessage().contains("memtable-size"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void errorSaysWhereTheValueWasSet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "phantom.storage {\n  durability = commit\n  levels-max = 1\n}\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> StorageConfig.fromConfig(parseFile(file)));
        assertEquals("phantom.storage.levels-max", e.key());
        assertTrue(e.getMessage().contains("bad.conf: 3"), e.getMessage());
    }
}
