package io.phantomdb.partition;

/**
 * One change a {@link PartitionEntity.Write} applies; all mutations of one write land in one WAL record,
 * atomically (rows and their index entries together, DESIGN.md "Partitions").
 */
public sealed interface Mutation {
    /** The key this mutation writes. */
    byte[] key();

    /** Writes {@code value} under {@code key}. */
    record Put(byte[] key, byte[] value) implements Mutation {}

    /** Deletes {@code key} (a tombstone). */
    record Delete(byte[] key) implements Mutation {}
}
