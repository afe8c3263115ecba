package io.phantomdb.partition;

import io.phantomdb.storage.Engine;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-local read path to partitions: each running {@link PartitionEntity} registers its engine here
 * while it is alive, so that reads at a snapshot timestamp go straight to the engine's concurrent read path
 * instead of queueing behind writes in the entity's mailbox (DESIGN.md "Partitions"). Writes always go
 * through the entity, its single writer.
 *
 * <p>Thread-safe. One instance per node ({@link io.phantomdb.partition.PartitionEntity#init}).
 */
public final class PartitionRegistry {
    private final Map<PartitionId, Engine> engines = new ConcurrentHashMap<>();

    void register(PartitionId id, Engine engine) {
        Engine previous = engines.putIfAbsent(id, engine);
        if (previous != null && previous != engine) {
            throw new IllegalStateException("partition " + id + " registered twice on this node");
        }
    }

    void deregister(PartitionId id, Engine engine) {
        engines.remove(id, engine);
    }

    /** The engine of a partition running on this node, if it is running. */
    public Optional<Engine> engine(PartitionId id) {
        return Optional.ofNullable(engines.get(id));
    }

    /** The engine of a partition that must be running on this node, else SQLSTATE 58030. */
    public Engine require(PartitionId id) {
        Engine engine = engines.get(id);
        if (engine == null) {
            throw new io.phantomdb.error.PhantomSqlException(io.phantomdb.error.SqlState.IO_ERROR,
                    "partition " + id + " is not running on this node");
        }
        return engine;
    }

    /** The partitions running on this node. */
    public java.util.Set<PartitionId> running() {
        return java.util.Set.copyOf(engines.keySet());
    }

    /** Every engine running on this node (for the GC horizon and statistics). */
    public Iterable<Engine> engines() {
        return engines.values();
    }
}
