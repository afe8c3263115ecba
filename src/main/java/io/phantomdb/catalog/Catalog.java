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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The catalog: the current {@link CatalogSnapshot}, persisted in the system partition ({@link
 * PartitionId#SYSTEM}) as one JSON value per object under keys {@code ("table"|"view", name)} and
 * {@code ("meta", "last-table-id")} (docs/formats/catalog.md). Table statistics share the partition under
 * {@code ("stats", name)} ({@link StatisticsStore}); {@link #load} skips them.
 *
 * <p>Concurrency: readers take {@link #current()} (a volatile read of an immutable snapshot). DDL is
 * serialized by the caller (the SQL layer's DDL lock); {@link #publish} writes the change durably through the
 * system partition and only then makes the new snapshot current, so a crash never leaves a catalog that
 * names objects whose definition was not stored.
 */
public final class Catalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "table";
    private static final String VIEW = "view";
    private static final String META = "meta";
    private static final String LAST_TABLE_ID = "last-table-id";

    private final PartitionClient partitions;
    private volatile CatalogSnapshot current;

    private Catalog(PartitionClient partitions, CatalogSnapshot initial) {
        this.partitions = partitions;
        this.current = initial;
    }

    /** Reads the catalog from the system partition, which must be running on this node. */
    public static Catalog load(PartitionRegistry registry, PartitionClient partitions) {
        Engine engine = registry.engine(PartitionId.SYSTEM)
                .orElseThrow(() -> new IllegalStateException("the system partition is not running"));
        Map<String, TableDef> tables = new HashMap<>();
        Map<String, ViewDef> views = new HashMap<>();
        int lastTableId = 0;
        try (KvIterator it = engine.scan(null, null, Long.MAX_VALUE, false)) {
            while (it.next()) {
                List<Object> key = KeyCodec.decode(it.key(), new boolean[2]);
                String kind = (String) key.get(0);
                if (kind.equals(TABLE)) {
                    TableDef table = JSON.readValue(it.value(), TableDef.class);
                    tables.put(table.name(), table);
                } else if (kind.equals(VIEW)) {
                    ViewDef view = JSON.readValue(it.value(), ViewDef.class);
                    views.put(view.name(), view);
                } else if (kind.equals(META) && key.get(1).equals(LAST_TABLE_ID)) {
                    lastTableId = JSON.readValue(it.value(), Integer.class);
                }
            }
        } catch (IOException e) {
            throw new PhantomSqlException(SqlState.DATA_CORRUPTED, "the catalog cannot be read: " + e.getMessage(), e);
        }
        return new Catalog(partitions, new CatalogSnapshot(1, tables, views, lastTableId));
    }

    public CatalogSnapshot current() {
        return current;
    }

    /**
     * Stores {@code next} (which must derive from {@link #current()}) durably at {@code timestamp}, then makes
     * it current. The caller holds the DDL lock.
     */
    public CompletionStage<Void> publish(CatalogSnapshot next, long timestamp) {
        CatalogSnapshot previous = current;
        List<Mutation> mutations = new java.util.ArrayList<>();
        for (TableDef t : previous.tables().values()) {
            if (!next.tables().containsKey(t.name())) {
                mutations.add(new Mutation.Delete(key(TABLE, t.name())));
            }
        }
        for (ViewDef v : previous.views().values()) {
            if (!next.views().containsKey(v.name())) {
                mutations.add(new Mutation.Delete(key(VIEW, v.name())));
            }
        }
        for (TableDef t : next.tables().values()) {
            if (!t.equals(previous.tables().get(t.name()))) {
                mutations.add(new Mutation.Put(key(TABLE, t.name()), json(t)));
            }
        }
        for (ViewDef v : next.views().values()) {
            if (!v.equals(previous.views().get(v.name()))) {
                mutations.add(new Mutation.Put(key(VIEW, v.name()), json(v)));
            }
        }
        mutations.add(new Mutation.Put(key(META, LAST_TABLE_ID), json(next.lastTableId())));
        return partitions.write(PartitionId.SYSTEM, mutations, timestamp).thenAccept(ts -> current = next);
    }

    private static byte[] key(String kind, String name) {
        return KeyCodec.encode(kind, name);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog object not serializable: " + value, e);
        }
    }
}
