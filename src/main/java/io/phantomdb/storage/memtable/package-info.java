/**
 * The in-memory sorted buffer of recent writes (a concurrent skip list, one per WAL file), frozen when full
 * and flushed to an L0 segment; may import {@code storage.key}, {@code storage.iterator} and the JDK, and
 * its entry class is {@link io.phantomdb.storage.memtable.Memtable}.
 */
package io.phantomdb.storage.memtable;
