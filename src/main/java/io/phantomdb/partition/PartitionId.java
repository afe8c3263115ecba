package io.phantomdb.partition;

/**
 * Names one table partition: {@code <tableId>-<n>}, the sharding entity id (DESIGN.md "Partitions").
 * Table 0 is the system table that holds the catalog.
 */
public record PartitionId(int tableId, int partition) implements Comparable<PartitionId> {
    public PartitionId {
        if (tableId < 0 || partition < 0) {
            throw new IllegalArgumentException("bad partition id " + tableId + "-" + partition);
        }
    }

    /** The catalog's partition. */
    public static final PartitionId SYSTEM = new PartitionId(0, 0);

    public String entityId() {
        return tableId + "-" + partition;
    }

    public static PartitionId parse(String entityId) {
        int dash = entityId.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a partition id: " + entityId);
        }
        return new PartitionId(Integer.parseInt(entityId.substring(0, dash)), Integer.parseInt(entityId.substring(dash + 1)));
    }

    /** Table, then partition: the order in which a transaction's partitions are written. */
    @Override
    public int compareTo(PartitionId other) {
        int c = Integer.compare(tableId, other.tableId);
        return c != 0 ? c : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return entityId();
    }
}
