/**
 * Leveled compaction with garbage collection of old versions below the GC horizon, and its rate limit;
 * may import {@code storage.manifest}, {@code storage.iterator}, {@code storage.key}, the engine's API
 * types and the JDK, and its entry classes are {@link io.phantomdb.storage.compaction.CompactionPicker}
 * (what to compact) and {@link io.phantomdb.storage.compaction.CompactionJob} (doing it).
 */
package io.phantomdb.storage.compaction;
