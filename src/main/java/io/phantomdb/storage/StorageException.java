package io.phantomdb.storage;

/**
 * An operating error of the storage engine: an I/O failure, a full disk, an engine that stopped
 * accepting writes after a failed sync. Unchecked so that iterators and callbacks can carry it.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
