package io.phantomdb.storage.iterator;

import io.phantomdb.storage.key.ValueKind;

/**
 * A bidirectional cursor over engine entries ({@link io.phantomdb.storage.key.InternalKey} order),
 * every version and tombstone included. Memtables, segments and the merge of all of them implement
 * it; the MVCC view on top picks the version a snapshot sees.
 *
 * <p>A fresh iterator is not positioned ({@link #valid()} is false) until a seek. Not thread-safe.
 * Methods may throw {@link io.phantomdb.storage.CorruptionException} when a checksum fails: a corrupt
 * block is never returned as data.
 */
public interface InternalIterator extends AutoCloseable {

    boolean valid();

    void seekToFirst();

    void seekToLast();

    /** Positions at the first entry whose key is {@code >= target}. */
    void seek(byte[] target);

    /** Positions at the last entry whose key is {@code <= target}. */
    void seekForPrev(byte[] target);

    void next();

    void prev();

    /**
     * The engine key at the current position. The array stays valid after the cursor moves (callers may
     * keep it) and must not be modified.
     */
    byte[] key();

    ValueKind kind();

    /** The value at the current position (empty for tombstones); kept and shared like {@link #key()}. */
    byte[] value();

    @Override
    void close();
}
