package io.phantomdb.storage.fs;

import java.io.IOException;

/**
 * An append-only file. Not thread-safe: one writer at a time. In a file made by {@link
 * FileSystem#createPreallocated} appends start at offset 0 and overwrite the preallocated zeros.
 */
public interface WritableFile extends AutoCloseable {

    /** Writes at offset {@link #size()} and advances it. */
    void append(byte[] bytes, int offset, int length) throws IOException;

    default void append(byte[] bytes) throws IOException {
        append(bytes, 0, bytes.length);
    }

    /** Makes every byte appended so far durable (fsync / fdatasync). */
    void sync() throws IOException;

    /**
     * Bytes appended so far (synced or not): the offset of the next append. A preallocated file is longer
     * on disk than this; the rest of it is zeros.
     */
    long size();

    @Override
    void close() throws IOException;
}
