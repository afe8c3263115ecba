package io.phantomdb.storage.fs;

import java.io.IOException;

/** An append-only file. Not thread-safe: one writer at a time. */
public interface WritableFile extends AutoCloseable {

    void append(byte[] bytes, int offset, int length) throws IOException;

    default void append(byte[] bytes) throws IOException {
        append(bytes, 0, bytes.length);
    }

    /** Makes every byte appended so far durable (fsync / fdatasync). */
    void sync() throws IOException;

    /** Bytes appended so far (synced or not). */
    long size();

    @Override
    void close() throws IOException;
}
