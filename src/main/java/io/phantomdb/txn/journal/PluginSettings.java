package io.phantomdb.txn.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Path;

/**
 * The settings of one plugin, read from its config block ({@code phantom.persistence.journal} or
 * {@code phantom.persistence.snapshot-store}; every key is documented in reference.conf). Errors name the
 * full key. Immutable.
 *
 * @param configPath          where the block lives, for error messages
 * @param dir                 the engine's directory
 * @param memtableBytes       {@code memtable-size}: overrides phantom.storage's, the journal is small
 * @param walPreallocateBytes {@code wal-preallocate-size}: likewise
 * @param blockCacheBytes     {@code block-cache-size}: likewise
 * @param deleteBatchMax      {@code delete-batch-max}: keys deleted per write batch by a range deletion
 */
record PluginSettings(String configPath, Path dir, long memtableBytes, long walPreallocateBytes, long blockCacheBytes,
        int deleteBatchMax) {

    /** Where {@code dir = ""} takes its parent directory from (the node's data directory). */
    static final String DATA_DIR_KEY = "phantom.data-dir";
    /** Upper bound of {@code delete-batch-max}: one batch is one WAL record, held in memory until written. */
    static final int DELETE_BATCH_MAX_LIMIT = 100_000;

    /**
     * Reads the block; {@code dir = ""} means {@code <phantom.data-dir>/<subdirectory>}.
     *
     * @throws ConfigException naming the first offending key
     */
    static PluginSettings fromConfig(Config plugin, String configPath, Config system, String subdirectory) {
        Path dir = directory(plugin, configPath, system, subdirectory);
        long memtable = plugin.getBytes("memtable-size");
        long preallocate = plugin.getBytes("wal-preallocate-size");
        long blockCache = plugin.getBytes("block-cache-size");
        int deleteBatchMax = plugin.getInt("delete-batch-max");
        if (deleteBatchMax < 1 || deleteBatchMax > DELETE_BATCH_MAX_LIMIT) {
            throw new ConfigException.BadValue(plugin.origin(), configPath + ".delete-batch-max",
                    "must be in [1, " + DELETE_BATCH_MAX_LIMIT + "], got " + deleteBatchMax);
        }
        PluginSettings settings = new PluginSettings(configPath, dir, memtable, preallocate, blockCache, deleteBatchMax);
        settings.engineOptions(EngineOptions.builder().build()); // fail at construction on out-of-bound sizes
        return settings;
    }

    private static Path directory(Config plugin, String configPath, Config system, String subdirectory) {
        String dir = plugin.getString("dir");
        if (!dir.isBlank()) {
            return Path.of(dir);
        }
        if (!system.hasPath(DATA_DIR_KEY) || system.getString(DATA_DIR_KEY).isBlank()) {
            throw new ConfigException.Missing(configPath + ".dir (empty means " + DATA_DIR_KEY + "/" + subdirectory
                    + ", and " + DATA_DIR_KEY + " is not set either)");
        }
        return Path.of(system.getString(DATA_DIR_KEY)).resolve(subdirectory);
    }

    /** {@code storage} (the node's phantom.storage) with this plugin's sizing keys applied. */
    EngineOptions engineOptions(EngineOptions storage) {
        try {
            return storage.toBuilder()
                    .memtableBytes(memtableBytes)
                    .walPreallocateBytes(walPreallocateBytes)
                    .blockCacheBytes(blockCacheBytes)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(configPath, "engine options rejected (memtable-size, "
                    + "wal-preallocate-size and block-cache-size come from this block, the rest from phantom.storage; "
                    + "conf/phantom.conf gives the bounds): " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the engine in {@link #dir()}; the caller closes it. */
    Engine openEngine(EngineOptions storage) {
        return Engine.open(RealFileSystem.INSTANCE, dir, engineOptions(storage));
    }
}
