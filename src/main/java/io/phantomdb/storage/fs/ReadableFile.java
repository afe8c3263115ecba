package io.phantomdb.storage.fs;

import java.io.EOFException;
import java.io.IOException;

/** A file opened for positional reads. Thread-safe: concurrent {@link #read} calls are allowed. */
public interface ReadableFile extends AutoCloseable {

    /** Reads up to {@code length} bytes at {@code position}; returns the count read, -1 at end of file. */
    int read(long position, byte[] buffer, int offset, int length) throws IOException;

    long size() throws IOException;

    /** Reads exactly {@code length} bytes or throws {@link EOFException}. */
    default void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = read(position + done, buffer, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("end of file at " + (position + done) + " reading " + length + " bytes");
            }
            done += n;
        }
    }

    default byte[] readFully(long position, int length) throws IOException {
        byte[] buffer = new byte[length];
        readFully(position, buffer, 0, length);
        return buffer;
    }

    @Override
    void close() throws IOException;
}
