package io.phantomdb.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.codec.KeyCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Table statistics ({@link TableStats}) stored in the system partition beside the catalog, one JSON value per
 * table under the key {@code ("stats", table name)}. A separate object kind, not part of a
 * {@link CatalogSnapshot}: writing statistics is no catalog change, so it neither bumps the catalog version
 * nor takes part in {@link Catalog#publish} ({@link Catalog#load} skips the kind).
 *
 * <p>Stateless; writes are ordered by the caller (the SQL layer's DDL lock).
 */
public final class StatisticsStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KIND = "stats";

    private StatisticsStore() {}

    /**
     * The stored statistics of the tables of {@code catalog}, by table id. Entries whose table was dropped
     * (or dropped and re-created with another id) are ignored. The system partition must be running.
     */
    public static Map<Integer, TableStats> load(PartitionRegistry registry, CatalogSnapshot catalog) {
        Engine engine = registry.engine(PartitionId.SYSTEM)
                .orElseThrow(() -> new IllegalStateException("the system partition is not running"));
        Map<Integer, TableStats> out = new HashMap<>();
        try (KvIterator it = engine.scan(null, null, Long.MAX_VALUE, false)) {
            while (it.next()) {
                List<Object> key = KeyCodec.decode(it.key(), new boolean[2]);
                if (!KIND.equals(key.get(0))) {
                    continue;
                }
                TableStats stats = JSON.readValue(it.value(), TableStats.class);
                TableDef table = catalog.table((String) key.get(1));
                if (table != null && stats.describes(table)) {
                    out.put(table.tableId(), stats);
                }
            }
        } catch (IOException e) {
            throw new PhantomSqlException(SqlState.DATA_CORRUPTED, "table statistics cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    /** Stores the statistics of {@code table} durably at {@code timestamp}, replacing earlier ones. */
    public static CompletionStage<Long> save(PartitionClient partitions, TableDef table, TableStats stats, long timestamp) {
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(stats);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("statistics not serializable: " + stats, e);
        }
        return partitions.write(PartitionId.SYSTEM, List.of(new Mutation.Put(key(table.name()), value)), timestamp);
    }

    /** Deletes the stored statistics of the named tables (after DROP TABLE). */
    public static CompletionStage<Long> delete(PartitionClient partitions, List<String> tableNames, long timestamp) {
        List<Mutation> deletes = new ArrayList<>();
        for (String name : tableNames) {
            deletes.add(new Mutation.Delete(key(name)));
        }
        return partitions.write(PartitionId.SYSTEM, deletes, timestamp);
    }

    private static byte[] key(String tableName) {
        return KeyCodec.encode(KIND, tableName);
    }
}
