package io.phantomdb.partition;

/**
 * One change a {@link PartitionEntity.Write} applies; all mutations of one write land in one WAL record,
 * atomically (rows and their index entries together, DESIGN.md "Partitions").
 */
public sealed interface Mutation {
    /** Writes {@code value} under {@code key}. */
    record Put(byte[] key, byte[] value) implements Mutation {}

    /** Deletes {@code key} (a tombstone). */
    record Delete(byte[] key) implements Mutation {}

    /**
     * Inserts a row of a keyless table: the partition assigns the next row id {@code r} of the table and
     * writes {@code rowPrefix ++ enc(r) -> value} and, for each index, {@code indexPrefix ++ enc(r) -> []}.
     * The prefixes are KeyCodec-encoded tuples, so appending an encoded element extends the tuple.
     */
    record InsertWithRowId(int tableId, byte[] rowPrefix, byte[] value, java.util.List<byte[]> indexPrefixes)
            implements Mutation {}
}
