/**
 * Immutable sorted segment files (SSTables): {@link io.phantomdb.storage.segment.SegmentWriter} writes
 * one, {@link io.phantomdb.storage.segment.SegmentReader} reads and verifies it, {@link
 * io.phantomdb.storage.segment.TableCache} bounds the open readers and {@link
 * io.phantomdb.storage.segment.BlockCache} holds verified data blocks. Byte layout: {@code
 * docs/formats/segment.md}.
 *
 * <p>May import {@code storage} (exceptions, {@code Compression}), {@code storage.fs}, {@code
 * storage.codec}, {@code storage.key}, {@code storage.iterator}, Caffeine and lz4-java; nothing above the
 * storage layer.
 */
package io.phantomdb.storage.segment;
