/**
 * The CRC-framed record log that both the WAL and the manifest are written in (frame grammar in
 * docs/formats/wal.md); may import {@code storage.fs}, {@code storage.codec}, the engine's exceptions and
 * the JDK, and its entry classes are {@link io.phantomdb.storage.log.LogWriter} and
 * {@link io.phantomdb.storage.log.LogReader}.
 */
package io.phantomdb.storage.log;
