package io.phantomdb.storage;

/**
 * A write refused because the engine is closing or closed, before any of it reached the WAL: the write
 * certainly did not happen, so a caller may send it again elsewhere (for instance to the partition's new
 * home after it moved to another node).
 */
public final class EngineClosedException extends StorageException {

    public EngineClosedException() {
        super("engine is closed");
    }
}
