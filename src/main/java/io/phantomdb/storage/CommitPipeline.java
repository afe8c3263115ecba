package io.phantomdb.storage;

import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.log.LogFormat;
import io.phantomdb.storage.log.LogWriter;
import io.phantomdb.storage.memtable.Memtable;
import io.phantomdb.storage.wal.WalRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write path: many writers, one commit thread, one fsync per group (group commit).
 *
 * <pre>
 *  writer threads --submit--> [bounded queue] --> commit thread:
 *      take a group (up to groupCommitBytesMax) -> make room (rotate memtable + WAL, stall on L0)
 *      -> assign timestamps -> [WAL file full: roll over to a new one] -> one WAL append
 *      -> one fsync (COMMIT) -> apply to memtable
 *      -> publish lastTimestamp -> complete the writers' futures
 * </pre>
 *
 * Writes become visible to readers only after they are durable (in COMMIT mode), so no reader ever sees
 * a write that a crash could take back. After a failed WAL write or sync the state of the log is
 * unknown, so the pipeline fails every later write until the engine is reopened (fail-stop, as LevelDB).
 *
 * <p>Thread confinement: {@link #wal}, {@link #nextTimestamp} and memtable writes belong to the commit
 * thread only.
 */
final class CommitPipeline {

    private static final System.Logger LOG = System.getLogger(CommitPipeline.class.getName());

    /** A queued write, or a request to rotate the memtable ({@code batch == null}). */
    private record Request(WriteBatch batch, CompletableFuture<Long> done) {}

    /** Wakes the commit thread at stop; carries no work. */
    private static final Request WAKE_UP = new Request(null, null);

    private final Engine engine;
    private final EngineOptions options;
    private final ArrayBlockingQueue<Request> queue;
    private final Thread thread;
    private LogWriter wal;
    private long nextTimestamp;
    private long lastSyncNanos = System.nanoTime();
    private boolean unsynced;
    /** A rotation request taken from the queue while waiting for a group; it runs next, alone. */
    private Request pending;
    private boolean group0IsRotation;
    private int previousGroupSize = 1;
    /** Bytes of the current WAL file known to be synced; written into every record. */
    private long durableOffset;
    /** Moving average of WAL fsync time, which bounds the group-commit wait. */
    private long syncNanosAverage;
    private volatile boolean stopping;
    private volatile StorageException failure;

    CommitPipeline(Engine engine, EngineOptions options, LogWriter wal, long lastTimestamp) {
        this.engine = engine;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.writeQueueMax());
        this.wal = wal;
        this.nextTimestamp = lastTimestamp + 1;
        this.thread = new Thread(this::run, "phantom-commit-" + engine.directory().getFileName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<Long> submit(WriteBatch batch) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(new Request(batch, done));
        return done;
    }

    /** Asks the commit thread to freeze the memtable (if not empty) and start a new WAL file. */
    CompletableFuture<Long> requestRotation() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(new Request(null, done));
        return done;
    }

    private void enqueue(Request request) {
        checkOpen();
        try {
            // Blocks when writers outrun the log: the queue bound is the backpressure.
            while (!queue.offer(request, 100, TimeUnit.MILLISECONDS)) {
                checkOpen();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while queueing a write", e);
        }
    }

    private void checkOpen() {
        StorageException failed = failure;
        if (failed != null) {
            throw new StorageException("writes are stopped after an earlier failure; reopen the engine: "
                    + failed.getMessage(), failed);
        }
        if (stopping) {
            throw new EngineClosedException();
        }
    }

    StorageException failure() {
        return failure;
    }

    /** Stops accepting writes, finishes the queued ones, syncs and closes the WAL. */
    void stop() {
        stopping = true;
        queue.offer(WAKE_UP); // ends the commit thread's poll now instead of at its timeout
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(new EngineClosedException()); // queued after the commit thread ended: never written
        try {
            if (failure == null) {
                wal.sync();
            }
            wal.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing WAL failed", e);
        }
    }

    /** Called by the engine when background work fails: nothing more can be written safely. */
    void fail(StorageException cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    private void run() {
        List<Request> group = new ArrayList<>();
        while (true) {
            try {
                Request first = pending != null ? pending : queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
                pending = null;
                if (first == WAKE_UP) {
                    continue;
                }
                if (first == null) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    periodicSync();
                    continue;
                }
                group.clear();
                group.add(first);
                group0IsRotation = first.batch() == null;
                drainGroup(group);
                process(group);
            } catch (InterruptedException e) {
                return;
            } catch (StorageException e) {
                fail(e);
                completeExceptionally(group, e);
                failQueued(e);
            } catch (RuntimeException | Error e) {
                StorageException wrapped = new StorageException("commit thread failed: " + e, e);
                fail(wrapped);
                completeExceptionally(group, wrapped);
                failQueued(wrapped);
                if (e instanceof Error) {
                    throw (Error) e;
                }
            }
        }
    }

    private long pollMillis() {
        return options.durability() == Durability.PERIODIC ? Math.max(1, options.periodicSyncMillis() / 2) : 100;
    }

    private void drainGroup(List<Request> group) throws InterruptedException {
        long bytes = bytesOf(group.get(0));
        long waitUntil = System.nanoTime() + groupWaitNanos();
        while (bytes < options.groupCommitBytesMax()) {
            Request next = queue.peek();
            if (next == null) {
                // Writers acknowledged together resubmit together, a few microseconds apart. When the last
                // group was bigger, wait briefly for them: one fsync then serves all instead of two.
                if (group.size() >= previousGroupSize || System.nanoTime() >= waitUntil) {
                    break;
                }
                next = queue.poll(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                if (next.batch() == null || bytes + bytesOf(next) > options.groupCommitBytesMax()) {
                    pending = next;
                    break;
                }
                group.add(next);
                bytes += bytesOf(next);
                continue;
            }
            if (next.batch() == null || group.get(group.size() - 1).batch() == null
                    || bytes + bytesOf(next) > options.groupCommitBytesMax()) {
                // Rotation requests go alone, so a group never spans two WAL files; and a group stays
                // within its byte bound (and so within one WAL record).
                break;
            }
            group.add(queue.poll());
            bytes += bytesOf(next);
        }
        previousGroupSize = group.size();
    }

    /** Zero unless fsyncs are slow enough for a short wait to pay off; see groupCommitWaitMicrosMax. */
    private long groupWaitNanos() {
        if (options.durability() != Durability.COMMIT || group0IsRotation) {
            return 0;
        }
        return Math.min(TimeUnit.MICROSECONDS.toNanos(options.groupCommitWaitMicrosMax()), syncNanosAverage / 4);
    }

    private static long bytesOf(Request request) {
        return request.batch() == null ? 0 : request.batch().approximateBytes();
    }

    private void process(List<Request> group) throws InterruptedException {
        StorageException failed = failure;
        if (failed != null) {
            throw failed;
        }
        if (group.get(0).batch() == null) {
            rotate();
            group.get(0).done().complete(engine.lastTimestamp());
            return;
        }
        long groupBytes = 0;
        for (Request r : group) {
            groupBytes += r.batch().approximateBytes();
        }
        Memtable memtable = engine.makeRoomForWrite(groupBytes, this::rotate);
        long[] timestamps = new long[group.size()];
        List<WriteBatch> batches = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            WriteBatch batch = group.get(i).batch();
            long ts = batch.timestamp() != 0 ? batch.timestamp() : nextTimestamp;
            timestamps[i] = ts;
            nextTimestamp = Math.max(nextTimestamp, ts + 1);
            batches.add(batch);
        }
        // One record per group: one checksum makes the group all-or-nothing at recovery, and the
        // durable offset lets recovery tell this never-synced record from damaged synced bytes.
        byte[] record = WalRecord.encode(batches, timestamps, durableOffset);
        if (walFileFull(record.length)) {
            rollWal();
            record = WalRecord.encode(batches, timestamps, durableOffset); // the offset is now 0
        }
        appendAndSync(record);
        long maxTimestamp = engine.lastTimestamp();
        for (int i = 0; i < group.size(); i++) {
            apply(memtable, group.get(i).batch(), timestamps[i]);
            maxTimestamp = Math.max(maxTimestamp, timestamps[i]);
        }
        engine.publishTimestamp(maxTimestamp, group.size());
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(timestamps[i]);
        }
        // After the acknowledgements: with backgroundWork = false the spare is prepared right here.
        engine.prepareWalSpareIfDue(memtable.approximateBytes(), wal.size());
    }

    private void appendAndSync(byte[] record) {
        try {
            wal.append(record);
            unsynced = true;
            if (options.durability() == Durability.COMMIT) {
                sync();
            } else if (options.durability() == Durability.PERIODIC) {
                periodicSync();
            }
        } catch (IOException e) {
            throw new StorageException("WAL write failed; writes stop until reopen: " + e.getMessage(), e);
        }
    }

    private void sync() throws IOException {
        long start = System.nanoTime();
        wal.sync();
        unsynced = false;
        durableOffset = wal.size();
        lastSyncNanos = System.nanoTime();
        syncNanosAverage += (lastSyncNanos - start - syncNanosAverage) / 8;
        engine.countWalSync();
    }

    private void periodicSync() {
        if (!unsynced || options.durability() != Durability.PERIODIC) {
            return;
        }
        if (System.nanoTime() - lastSyncNanos >= TimeUnit.MILLISECONDS.toNanos(options.periodicSyncMillis())) {
            try {
                sync();
            } catch (IOException e) {
                StorageException failed = new StorageException("periodic WAL sync failed; writes stop until reopen", e);
                fail(failed);
            }
        }
    }

    private static void apply(Memtable memtable, WriteBatch batch, long timestamp) {
        for (WriteBatch.Operation op : batch.operations()) {
            memtable.add(op.key(), timestamp, op.kind(), op.kind() == ValueKind.PUT ? op.value() : WriteBatch.EMPTY);
        }
    }

    /** Freezes the memtable and switches to a new WAL file. Runs on the commit thread. */
    private void rotate() {
        try {
            syncBeforeNewWal();
            wal = engine.rotateMemtable(wal);
            durableOffset = 0;
        } catch (IOException e) {
            throw new StorageException("WAL rotation failed; writes stop until reopen: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a record of {@code payloadBytes} would run past the preallocated space of the WAL file. Then
     * the file rolls over rather than grow: growing would bring back the size-changing fsyncs that
     * preallocation avoids. A record larger than a whole file still goes into a fresh file, which grows.
     */
    private boolean walFileFull(int payloadBytes) {
        long capacity = options.walPreallocateBytes();
        return capacity > 0 && wal.size() > 0 && wal.size() + LogFormat.frameBytes(payloadBytes) > capacity;
    }

    /** Continues the active memtable's log in a new WAL file. Runs on the commit thread. */
    private void rollWal() {
        try {
            syncBeforeNewWal();
            wal = engine.rollWal(wal);
            durableOffset = 0;
        } catch (IOException e) {
            throw new StorageException("WAL rollover failed; writes stop until reopen: " + e.getMessage(), e);
        }
    }

    private void syncBeforeNewWal() throws IOException {
        // Every record of the old file must be durable before the file stops being the newest: only the
        // newest WAL may have a torn tail at recovery.
        if (unsynced || options.durability() != Durability.COMMIT) {
            sync();
        }
    }

    private void failQueued(StorageException cause) {
        Request r;
        while ((r = queue.poll()) != null) {
            if (r != WAKE_UP) {
                r.done().completeExceptionally(cause);
            }
        }
    }

    private static void completeExceptionally(List<Request> group, StorageException cause) {
        for (Request r : group) {
            r.done().completeExceptionally(cause);
        }
    }
}
