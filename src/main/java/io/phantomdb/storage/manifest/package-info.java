/**
 * The manifest: which segment files make up each level ({@link io.phantomdb.storage.manifest.Version}) and
 * the counters the engine needs at open, installed atomically (docs/formats/manifest.md); may import
 * {@code storage.log}, {@code storage.fs}, {@code storage.key}, {@code storage.codec}, the engine's
 * exceptions and the JDK, and its entry class is {@link io.phantomdb.storage.manifest.ManifestFile}.
 */
package io.phantomdb.storage.manifest;
