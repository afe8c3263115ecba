package io.phantomdb.storage.manifest;

/**
 * Everything the engine must know at open, besides the WAL: the files by level and three counters.
 *
 * @param version segment files by level
 * @param nextFileNumber next number to give a WAL or segment file (numbers are never reused)
 * @param logNumber oldest WAL file still needed: every older one was flushed to a segment
 * @param lastTimestamp highest commit timestamp in any flushed segment
 */
public record ManifestState(Version version, long nextFileNumber, long logNumber, long lastTimestamp) {}
