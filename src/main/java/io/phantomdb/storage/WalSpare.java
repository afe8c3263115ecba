package io.phantomdb.storage;

import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.fs.WritableFile;
import io.phantomdb.storage.log.LogWriter;
import io.phantomdb.storage.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The next WAL file, zero-filled and synced ahead of time off the commit thread (decision D26), so that a
 * memtable rotation or a WAL rollover renames a ready file instead of writing {@link
 * EngineOptions#walPreallocateBytes()} of zeros while every commit of the engine waits (about 15 ms for
 * 16 MiB).
 *
 * <pre>
 *  commit thread: group written, memtable or WAL file half full --> prepareIfDue --> [EMPTY -> PREPARING]
 *  spare thread:  createPreallocated(WAL-SPARE.tmp) (zeros, fsync)              --> [PREPARING -> READY]
 *  commit thread: rotation / rollover --> take(n): rename to n.wal, sync the directory --> [READY -> EMPTY]
 * </pre>
 *
 * <p>Rules, each of which recovery and the tests rely on:
 * <ul>
 *   <li>At most one spare, under the fixed name {@link WalFormat#SPARE_FILE_NAME}: one preparation at a
 *       time, none while one is ready.
 *   <li>The spare never holds a record: the commit thread writes into it only after {@link #take} has
 *       renamed it and synced the directory. Its zeros were synced before the rename. So a crash at any
 *       step leaves either a spare (deleted by recovery, whatever it holds) or an all-zero newest WAL file
 *       (a clean, empty end of the log).
 *   <li>No spare when it is not ready: {@link #take} waits for a preparation in progress (never longer
 *       than creating the file itself, which it has partly done), and returns null when there is none or
 *       it failed; the caller then creates the file inline, as before D26. A failed preparation is
 *       logged, not fatal: the inline creation meets the same disk and fails the writes if it must.
 *   <li>None after {@link #close}: close waits for a preparation in progress and deletes the file.
 * </ul>
 *
 * <p>Threads: {@link #prepareIfDue} and {@link #take} are called by the commit thread only; {@link #close}
 * after the commit thread has ended. Preparation runs on one thread of its own, created on demand and
 * gone when idle ({@link #THREAD_IDLE_SECONDS}): not the flush thread, since a rotation schedules a flush
 * of up to a memtable, behind which the spare would wait. With {@code backgroundWork = false} (D11) it
 * runs inline on the commit thread, at the same point, so that seeded tests stay deterministic.
 */
final class WalSpare implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WalSpare.class.getName());

    /**
     * A spare is prepared once the active memtable or the current WAL file is this fraction full: early
     * enough that it is ready long before the switch (16 MiB take about 15 ms, half a file at least
     * seconds of commits), late enough that an idle engine never holds one.
     */
    static final double PREPARE_AT_FULLNESS = 0.5;
    /** The preparing thread ends after this long without work, so an idle engine holds no thread for it. */
    static final long THREAD_IDLE_SECONDS = 30;

    private enum State { EMPTY, PREPARING, READY }

    private final FileSystem fs;
    private final Path dir;
    private final Path path;
    private final long fileBytes;
    private final long memtableBytes;
    /** Null: prepare inline (backgroundWork = false). */
    private final ThreadPoolExecutor executor;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    // Guarded by lock:
    private State state = State.EMPTY;
    private WritableFile ready;
    private boolean closed;
    /** Whether a spare file may exist (a preparation ever started), so close knows to delete it. */
    private boolean mayExist;

    /** Commit thread only: a preparation was asked for since the last {@link #take}. */
    private boolean requested;

    WalSpare(FileSystem fs, Path dir, EngineOptions options) {
        this.fs = fs;
        this.dir = dir;
        this.path = dir.resolve(WalFormat.SPARE_FILE_NAME);
        this.fileBytes = options.walPreallocateBytes();
        this.memtableBytes = options.memtableBytes();
        if (options.backgroundWork() && fileBytes > 0) {
            executor = new ThreadPoolExecutor(1, 1, THREAD_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "phantom-wal-spare-" + dir.getFileName());
                        t.setDaemon(true);
                        return t;
                    });
            executor.allowCoreThreadTimeOut(true);
        } else {
            executor = null;
        }
    }

    /**
     * Commit thread, after each group: starts preparing a spare once the memtable or the WAL file is
     * {@link #PREPARE_AT_FULLNESS} full, unless one was asked for already. Without preallocation there is
     * nothing to prepare: creating an empty file costs no zero-fill.
     */
    void prepareIfDue(long memtableUsedBytes, long walUsedBytes) {
        if (requested || fileBytes == 0) {
            return;
        }
        if (memtableUsedBytes < memtableBytes * PREPARE_AT_FULLNESS && walUsedBytes < fileBytes * PREPARE_AT_FULLNESS) {
            return;
        }
        requested = true;
        lock.lock();
        try {
            if (closed || state != State.EMPTY) {
                return;
            }
            state = State.PREPARING;
            mayExist = true;
        } finally {
            lock.unlock();
        }
        if (executor == null) {
            prepare();
            return;
        }
        try {
            executor.execute(this::prepare);
        } catch (RejectedExecutionException e) {
            finishPreparation(null); // closing
        }
    }

    /** Creates the spare: zeros, synced. Its name needs no directory sync: a lost spare loses nothing. */
    private void prepare() {
        lock.lock();
        try {
            if (closed) {
                state = State.EMPTY;
                stateChanged.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        WritableFile created = null;
        try {
            created = fs.createPreallocated(path, fileBytes);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot prepare the spare WAL file " + path
                    + "; the next WAL file is created on the commit thread", e);
            deleteQuietly();
        }
        finishPreparation(created);
    }

    private void finishPreparation(WritableFile created) {
        boolean discard;
        lock.lock();
        try {
            discard = closed && created != null;
            if (created != null && !closed) {
                ready = created;
                state = State.READY;
            } else {
                state = State.EMPTY;
            }
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (discard) {
            closeQuietly(created); // close() deletes the file once this preparation has finished
        }
    }

    /**
     * Commit thread: the spare, renamed to WAL file {@code walNumber} with the rename durable (directory
     * synced), ready to write from offset 0; or null when no spare is ready, and the caller creates the
     * file itself. Waits for a preparation in progress.
     *
     * @throws IOException when the rename or the directory sync fails: as when creating the file inline,
     *     the log's state is then unknown and writes stop
     */
    LogWriter take(long walNumber) throws IOException {
        requested = false;
        WritableFile file;
        lock.lock();
        try {
            while (state == State.PREPARING) {
                stateChanged.awaitUninterruptibly(); // bounded by one preallocation
            }
            if (state != State.READY) {
                return null;
            }
            file = ready;
            ready = null;
            state = State.EMPTY;
        } finally {
            lock.unlock();
        }
        try {
            fs.rename(path, dir.resolve(WalFormat.fileName(walNumber)));
            // Before the first record: a record must never land in a file whose name a crash can take back.
            fs.syncDirectory(dir);
        } catch (IOException e) {
            closeQuietly(file);
            throw e;
        }
        lock.lock();
        try {
            mayExist = false; // renamed; no preparation runs while the commit thread is here
        } finally {
            lock.unlock();
        }
        return new LogWriter(file);
    }

    /**
     * Stops preparing: waits for a preparation in progress, then closes and deletes the spare. After it
     * returns no spare is created. Called once the commit thread has ended.
     */
    @Override
    public void close() {
        WritableFile file;
        boolean delete;
        lock.lock();
        try {
            closed = true;
            while (state == State.PREPARING) {
                stateChanged.awaitUninterruptibly();
            }
            file = ready;
            ready = null;
            state = State.EMPTY;
            delete = mayExist;
        } finally {
            lock.unlock();
        }
        if (executor != null) {
            executor.shutdown(); // idle: no preparation is in progress
        }
        if (file != null) {
            closeQuietly(file);
        }
        if (delete) {
            // Not synced: a deletion that a crash takes back leaves a spare, which recovery deletes.
            deleteQuietly();
        }
    }

    private void deleteQuietly() {
        try {
            fs.delete(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + path + "; the next open deletes it", e);
        }
    }

    private void closeQuietly(WritableFile file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close " + path, e);
        }
    }
}
