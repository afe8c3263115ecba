package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.sql.SqlSettings;
import java.util.Set;

/**
 * Maps {@code phantom.sql} (documented key by key in conf/phantom.conf) onto {@link SqlSettings}. As for
 * storage: absent keys keep the built-in default, unknown keys and out-of-bound values stop the node at
 * startup with the key named.
 */
public final class SqlConfig {
    public static final String PATH = "phantom.sql";

    private static final Set<String> KEYS = Set.of("default-partitions", "partitions-max", "query-memory-budget",
            "batch-rows", "plan-cache-entries", "partition-timeout", "statement-queue-max", "dml-rows-max");

    private SqlConfig() {}

    public static SqlSettings fromConfig(Config config) {
        SqlSettings d = SqlSettings.defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            return new SqlSettings(
                    c.hasPath("default-partitions") ? c.getInt("default-partitions") : d.defaultPartitions(),
                    c.hasPath("partitions-max") ? c.getInt("partitions-max") : d.partitionsMax(),
                    c.hasPath("query-memory-budget") ? c.getBytes("query-memory-budget") : d.queryMemoryBytes(),
                    c.hasPath("batch-rows") ? c.getInt("batch-rows") : d.batchRows(),
                    c.hasPath("plan-cache-entries") ? c.getInt("plan-cache-entries") : d.planCacheEntries(),
                    c.hasPath("partition-timeout") ? c.getDuration("partition-timeout") : d.partitionTimeout(),
                    c.hasPath("statement-queue-max") ? c.getInt("statement-queue-max") : d.statementQueueMax(),
                    c.hasPath("dml-rows-max") ? c.getInt("dml-rows-max") : d.dmlRowsMax());
        } catch (ConfigException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }
}
