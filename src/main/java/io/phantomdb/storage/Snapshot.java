package io.phantomdb.storage;

/**
 * A registered read timestamp: while open, compaction keeps every version it can see. Close it when done;
 * an unclosed snapshot holds back garbage collection.
 */
public interface Snapshot extends AutoCloseable {

    long timestamp();

    @Override
    void close();
}
