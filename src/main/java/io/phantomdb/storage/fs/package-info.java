/**
 * The file-system seam (LevelDB's {@code Env}): the only way the engine touches disk, so that tests can
 * inject crashes and faults; imports nothing but the JDK, and its entry class is
 * {@link io.phantomdb.storage.fs.FileSystem} (implemented by {@link io.phantomdb.storage.fs.RealFileSystem}).
 */
package io.phantomdb.storage.fs;
