package io.phantomdb.storage;

/** When a write is acknowledged, relative to the moment its WAL record is on stable storage. */
public enum Durability {
    /** Acknowledge only after the WAL record is fsynced (group commit). Survives power loss. The default. */
    COMMIT,
    /**
     * Acknowledge after the record reaches the operating system; fsync at a fixed interval. A power
     * loss can lose the writes of the last interval; a process crash loses nothing.
     */
    PERIODIC,
    /**
     * Acknowledge after the record reaches the operating system; never fsync the WAL (segments and the
     * manifest are still synced). A power loss can lose any number of recent writes.
     */
    OFF
}
