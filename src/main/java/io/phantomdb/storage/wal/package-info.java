/**
 * The write-ahead log's own layer on top of {@code storage.log}: file naming and the payload of one
 * committed write batch (docs/formats/wal.md); may import {@code storage.log}, {@code storage.key},
 * {@code storage.codec}, the engine's API types and the JDK, and its entry class is
 * {@link io.phantomdb.storage.wal.WalRecord}.
 */
package io.phantomdb.storage.wal;
