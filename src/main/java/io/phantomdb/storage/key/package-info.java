/**
 * Engine keys ({@code userKey ++ invertedTimestamp}, newest version first) and the kind of a version
 * (PUT or DELETE); may import {@code storage.codec} and the JDK, and its entry class is
 * {@link io.phantomdb.storage.key.InternalKey}.
 */
package io.phantomdb.storage.key;
