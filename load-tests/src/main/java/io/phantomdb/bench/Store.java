package io.phantomdb.bench;

import java.util.Map;

/**
 * The few operations the benchmark needs, implemented once per engine so that both run the exact same
 * driver code. Every write is durable (fsync before return) on both engines.
 */
interface Store extends AutoCloseable {

    /** Short engine name used in the report ("Phantom", "RocksDB"). */
    String name();

    /** One durable batch holding {@code keys[order[from..to)]} with the matching values. */
    void writeBatch(byte[][] keys, int[] order, int from, int to, ValuePool values) throws Exception;

    /** One durable single-key commit. */
    void put(byte[] key, byte[] value) throws Exception;

    /** Newest value of the key, or null. */
    byte[] get(byte[] key) throws Exception;

    /**
     * Reads up to {@code count} consecutive entries starting at {@code from} (inclusive), touching each
     * key and value; returns how many entries were read.
     */
    int scan(byte[] from, int count) throws Exception;

    /** Flushes the memtable and compacts, waiting for both, so reads are served from files plus cache. */
    void flushAndCompact() throws Exception;

    /** Human-readable shape of the LSM tree (files per level), for the report's notes. */
    String shape() throws Exception;

    /** Engine counters (monotonic since open) whose deltas per phase are reported; may be empty. */
    Map<String, Long> counters() throws Exception;

    @Override
    void close();
}
