/**
 * The storage engine: a sorted, multi-version key-value store (an LSM tree: WAL, memtables, segments in
 * levels, manifest, compaction) in plain Java, knowing nothing of actors, SQL or tables; it may import only
 * its own subpackages, the JDK, Caffeine, lz4-java and SLF4J (LayeringTest enforces it), and its entry
 * class is {@link io.phantomdb.storage.Engine}, opened with {@link io.phantomdb.storage.EngineOptions}.
 */
package io.phantomdb.storage;
