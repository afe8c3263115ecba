package io.phantomdb.storage;

/**
 * A cursor over the versions one snapshot sees in a key range: for every user key, its newest version at
 * or before the snapshot timestamp, tombstones hidden. Obtained from {@link Engine#scan}; must be closed
 * (it pins the segment files it reads). Not thread-safe.
 *
 * <pre>{@code
 * try (KvIterator it = engine.scan(low, high, ts, false)) {
 *     while (it.next()) {
 *         use(it.key(), it.value());
 *     }
 * }
 * }</pre>
 */
public interface KvIterator extends AutoCloseable {

    /** Advances to the next visible key; false when the range is exhausted. */
    boolean next();

    /** The user key at the current position. */
    byte[] key();

    byte[] value();

    /** Commit timestamp of the version returned. */
    long timestamp();

    @Override
    void close();
}
