package io.phantomdb.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Engine#open} found. A checksum failure in the last record of the newest WAL file cannot be
 * told apart from a write torn by a crash; it is truncated and reported here (and logged), never
 * replayed and never silently dropped.
 *
 * @param walRecordsReplayed write batches replayed from the WAL into the memtable
 * @param truncations the torn tails cut off, one per file
 * @param orphanFilesDeleted files in the directory that no manifest referenced (half-written segments)
 */
public record RecoveryReport(long walRecordsReplayed, List<Truncation> truncations, List<String> orphanFilesDeleted) {

    /** A torn tail cut from {@code file} at {@code offset}, dropping {@code bytesDropped} bytes. */
    public record Truncation(Path file, long offset, long bytesDropped, String reason) {}
}
