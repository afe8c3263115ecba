/**
 * Byte-level coding shared by every on-disk format - fixed-width and varint integers, masked CRC32C
 * checksums, and the order-preserving ("memcomparable") key encoding of SQL tuples; imports nothing but
 * the JDK, and its entry classes are {@link io.phantomdb.storage.codec.ByteCoding},
 * {@link io.phantomdb.storage.codec.Checksums} and {@link io.phantomdb.storage.codec.KeyCodec}.
 */
package io.phantomdb.storage.codec;
