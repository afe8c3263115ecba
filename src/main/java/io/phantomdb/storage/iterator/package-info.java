/**
 * Cursors over engine entries (every version and tombstone) and the ways to combine them - merging
 * sources newest first, concatenating a level's files; may import {@code storage.key} and the JDK, and its
 * entry interface is {@link io.phantomdb.storage.iterator.InternalIterator}.
 */
package io.phantomdb.storage.iterator;
