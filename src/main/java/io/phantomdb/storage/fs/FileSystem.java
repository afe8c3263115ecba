package io.phantomdb.storage.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The only way the storage engine touches disk (LevelDB's {@code Env}). Two implementations: {@link
 * RealFileSystem} over NIO, and a fault-injecting in-memory one in the tests that keeps unsynced bytes
 * apart and, on a simulated crash, drops, truncates or garbles them.
 *
 * <p>Durability contract, which the engine relies on and the fault-injecting implementation enforces:
 * bytes appended to a file survive a crash only after {@link WritableFile#sync()}; a file's name
 * (creation, rename, deletion) survives a crash only after {@link #syncDirectory(Path)} on its parent.
 * Appends into a preallocated file ({@link #createPreallocated}) overwrite its zeros in place; until the
 * next sync a crash may leave, sector by sector, the zeros, the new bytes or garbage there.
 *
 * <p>Every method may throw {@link IOException}; the engine treats a failed sync as fatal for writes
 * (fail-stop until reopen), because the state of unsynced data is unknown after it.
 */
public interface FileSystem {

    /** Creates (or truncates) a file and opens it for appending. */
    WritableFile create(Path path) throws IOException;

    /**
     * Creates (or truncates) a file of {@code bytes} zeros, makes them durable (file data and size; the
     * caller syncs the directory for the name), and opens it for appending from offset 0. Appends then
     * overwrite the zeros in place, and the file grows only once they run past its end. Why: a sync after
     * an append that grows a file must also persist the new size (a journal commit on ext4 and XFS); a
     * sync after an overwrite inside the file has only the data to write, which is much faster.
     *
     * @param bytes at least 1
     */
    WritableFile createPreallocated(Path path, long bytes) throws IOException;

    /** Opens an existing file for positional reads. */
    ReadableFile openRead(Path path) throws IOException;

    boolean exists(Path path);

    /** File names (not paths) directly inside {@code dir}, in no particular order. */
    List<String> list(Path dir) throws IOException;

    long size(Path path) throws IOException;

    /** Deletes the file if it exists. */
    void delete(Path path) throws IOException;

    /** Atomically replaces {@code target} with {@code source}. */
    void rename(Path source, Path target) throws IOException;

    /** Cuts a file to {@code size} bytes and makes the new length durable. */
    void truncate(Path path, long size) throws IOException;

    /** Makes creations, renames and deletions inside {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /**
     * Takes an exclusive lock that keeps a second process (or a second engine in this process) from
     * opening the same directory. Released by {@link DirectoryLock#close()}.
     */
    DirectoryLock lock(Path lockFile) throws IOException;

    /** An exclusive hold on a directory. */
    interface DirectoryLock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
