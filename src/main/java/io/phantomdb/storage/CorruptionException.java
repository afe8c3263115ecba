package io.phantomdb.storage;

import java.nio.file.Path;

/**
 * Stored bytes failed a check (checksum, magic number, length, key order). Always names the file and
 * the byte offset, so an operator can tell which file is damaged and where.
 */
public final class CorruptionException extends StorageException {

    private final Path file;
    private final long offset;

    public CorruptionException(Path file, long offset, String what) {
        super("corruption in " + file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public CorruptionException(Path file, long offset, String what, Throwable cause) {
        super("corruption in " + file + " at offset " + offset + ": " + what, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
