package io.phantomdb.storage;

import io.phantomdb.storage.compaction.Compaction;
import io.phantomdb.storage.compaction.CompactionJob;
import io.phantomdb.storage.compaction.CompactionPicker;
import io.phantomdb.storage.compaction.RateLimiter;
import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.fs.WritableFile;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.iterator.LevelIterator;
import io.phantomdb.storage.iterator.MergingIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.log.LogWriter;
import io.phantomdb.storage.manifest.ManifestFile;
import io.phantomdb.storage.manifest.ManifestState;
import io.phantomdb.storage.manifest.SegmentMeta;
import io.phantomdb.storage.manifest.Version;
import io.phantomdb.storage.memtable.Memtable;
import io.phantomdb.storage.segment.BlockCache;
import io.phantomdb.storage.segment.SegmentFormat;
import io.phantomdb.storage.segment.SegmentReader;
import io.phantomdb.storage.segment.SegmentWriter;
import io.phantomdb.storage.segment.TableCache;
import io.phantomdb.storage.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sorted, multi-version key-value store (an LSM tree): the public face of the storage layer.
 *
 * <pre>
 *  write(batch) --> CommitPipeline: WAL (group commit, fsync) --> active memtable
 *                                       | full: freeze, new WAL
 *                                       v
 *                   frozen memtables --flush--> L0 segments --compaction--> L1 .. Ln (sorted, disjoint)
 *  get / scan   --> read view = (active memtable, frozen memtables, current Version), newest first
 * </pre>
 *
 * <p><b>Versions and timestamps.</b> Every write batch commits at one timestamp (assigned by the engine,
 * or given by the caller); a read at timestamp T sees, per key, the newest version at or before T.
 * Contract for callers that give timestamps: the versions of one key must be written in increasing
 * timestamp order (the transaction layer's locks guarantee it). Reads rely on it to stop at the newest
 * source holding a visible version, and compaction to drop tombstones safely.
 *
 * <p><b>Durability.</b> See {@link Durability}. A committed write is never lost: the WAL is replayed at
 * open, segments and the manifest are written and fsynced before they are referenced, and checksums
 * are verified on every read.
 *
 * <p><b>Threads.</b> Thread-safe. One commit thread writes the WAL and memtable; one flush thread and one
 * compaction thread do background work, and one more thread, while needed, prepares the next WAL file
 * ({@link WalSpare}); or none of them, with {@code backgroundWork=false}, when that work runs inline,
 * which makes seeded tests deterministic. {@link #mutex} guards the version,
 * the memtable list and the manifest; reads take no lock: they pin an immutable {@link ReadView}.
 */
public final class Engine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    static final String LOCK_FILE = "LOCK";

    /** What a read sees: immutable, swapped atomically under {@link #mutex}. */
    private record ReadView(Memtable memtable, List<Memtable> frozen, Version version) {}

    private final FileSystem fs;
    private final Path dir;
    private final EngineOptions options;
    private final FileSystem.DirectoryLock directoryLock;
    private final BlockCache blockCache;
    private final TableCache tableCache;
    private final CompactionPicker picker;
    private final RateLimiter compactionRate;
    private final RecoveryReport recoveryReport;

    private final ReentrantLock mutex = new ReentrantLock();
    /** Signalled when a flush or compaction finishes (stalled writers and flush() wait on it). */
    private final Condition backgroundProgress = mutex.newCondition();
    // Guarded by mutex:
    private Memtable memtable;
    private final List<Memtable> frozen = new ArrayList<>(); // newest first
    private Version version;
    private long nextFileNumber;
    private long flushedTimestamp;
    private boolean flushScheduled;
    private boolean compactionScheduled;
    private volatile ReadView view;

    /** Serializes flushes (background thread, or inline callers). */
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Serializes compactions, so a plan's inputs cannot vanish under it. */
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final Map<Long, Integer> fileReferences = new HashMap<>(); // guarded by itself
    private final TreeMap<Long, Integer> snapshots = new TreeMap<>(); // guarded by itself
    private volatile long gcHorizon = InternalKey.MAX_TIMESTAMP;
    private volatile long lastTimestamp;
    private volatile boolean closing;

    private final ExecutorService flushExecutor;
    private final ExecutorService compactionExecutor;
    private final WalSpare walSpare;
    private final CommitPipeline commits;

    private final AtomicLong walSyncs = new AtomicLong();
    private final AtomicLong walRecords = new AtomicLong();
    private final AtomicLong compactions = new AtomicLong();

    private Engine(FileSystem fs, Path dir, EngineOptions options, FileSystem.DirectoryLock directoryLock,
            Recovery.Recovered recovered) {
        this.fs = fs;
        this.dir = dir;
        this.options = options;
        this.directoryLock = directoryLock;
        this.blockCache = recovered.blockCache();
        this.tableCache = recovered.tableCache();
        this.picker = new CompactionPicker(options);
        this.compactionRate = new RateLimiter(options.compactionBytesPerSecond());
        this.recoveryReport = recovered.report();
        this.nextFileNumber = recovered.state().nextFileNumber();
        this.flushedTimestamp = recovered.state().lastTimestamp();
        this.lastTimestamp = recovered.lastTimestamp();
        this.memtable = new Memtable(recovered.walNumber());
        installVersion(recovered.state().version());
        if (options.backgroundWork()) {
            flushExecutor = Executors.newSingleThreadExecutor(daemon("phantom-flush-" + dir.getFileName()));
            compactionExecutor = Executors.newSingleThreadExecutor(daemon("phantom-compact-" + dir.getFileName()));
        } else {
            flushExecutor = null;
            compactionExecutor = null;
        }
        this.walSpare = new WalSpare(fs, dir, options);
        this.commits = new CommitPipeline(this, options, recovered.wal(), lastTimestamp);
    }

    /**
     * Opens (creating if needed) the engine in {@code dir}: reads the manifest, replays the WAL, flushes
     * what it replayed and starts a new WAL. Throws {@link CorruptionException} (naming file and offset)
     * when stored data is damaged, {@link StorageException} on I/O errors or when another engine holds
     * the directory.
     */
    public static Engine open(FileSystem fs, Path dir, EngineOptions options) {
        options.validate();
        FileSystem.DirectoryLock lock;
        try {
            fs.createDirectories(dir);
            lock = fs.lock(dir.resolve(LOCK_FILE));
        } catch (IOException e) {
            throw new StorageException("cannot open " + dir + ": " + e.getMessage(), e);
        }
        try {
            Recovery.Recovered recovered = new Recovery(fs, dir, options).run();
            Engine engine = new Engine(fs, dir, options, lock, recovered);
            engine.commits.start();
            engine.scheduleCompactionIfNeeded();
            return engine;
        } catch (RuntimeException | Error e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------------------------------------
    // Writes

    /** Writes atomically; returns the commit timestamp once durable per {@link EngineOptions#durability()}. */
    public long write(WriteBatch batch) {
        try {
            return writeAsync(batch).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw new StorageException(se.getMessage(), se);
            }
            throw e;
        }
    }

    /** As {@link #write}, completing when the batch is durable. Blocks while the write queue is full. */
    public CompletableFuture<Long> writeAsync(WriteBatch batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty write batch");
        }
        return commits.submit(batch);
    }

    /**
     * Commit thread: waits out the L0 limits, freezes the memtable when full (via {@code rotate}), and
     * returns the memtable to write into.
     */
    Memtable makeRoomForWrite(long groupBytes, Runnable rotate) throws InterruptedException {
        boolean slowedDown = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.writeStallTimeoutMillis());
        while (true) {
            StorageException failed = commits.failure();
            if (failed != null) {
                throw failed;
            }
            int level0 = view.version().files(0).size();
            if (!slowedDown && level0 >= options.l0SlowdownTrigger() && level0 < options.l0StopTrigger()) {
                // Spread the delay over many writes instead of stalling one for seconds (LevelDB's rule).
                slowedDown = true;
                TimeUnit.MICROSECONDS.sleep(options.slowdownDelayMicros());
                continue;
            }
            Memtable active = memtable;
            if (level0 < options.l0StopTrigger()
                    && active.approximateBytes() + groupBytes <= options.memtableBytes()) {
                return active;
            }
            if (level0 < options.l0StopTrigger() && frozenCount() < options.immutableMemtablesMax()) {
                if (active.isEmpty()) {
                    return active; // one group larger than the memtable: let it in rather than loop
                }
                rotate.run();
                continue;
            }
            waitForBackgroundWork(deadline, level0 >= options.l0StopTrigger() ? "L0 has " + level0 + " files"
                    : frozenCount() + " memtables wait for flush");
        }
    }

    private int frozenCount() {
        mutex.lock();
        try {
            return frozen.size();
        } finally {
            mutex.unlock();
        }
    }

    private void waitForBackgroundWork(long deadlineNanos, String reason) throws InterruptedException {
        if (!options.backgroundWork()) {
            flushPending();
            compactWhileNeeded();
            return;
        }
        mutex.lock();
        try {
            scheduleFlushLocked();
            scheduleCompactionLocked();
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new StorageException("write stalled longer than writeStallTimeoutMillis: " + reason);
            }
            backgroundProgress.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
        } finally {
            mutex.unlock();
        }
    }

    /** Commit thread: freezes the active memtable and opens the next WAL file. Returns the new WAL writer. */
    LogWriter rotateMemtable(LogWriter oldWal) throws IOException {
        long walNumber = allocateFileNumber();
        LogWriter newWal = createWal(walNumber);
        oldWal.close();
        mutex.lock();
        try {
            frozen.add(0, memtable);
            memtable = new Memtable(walNumber);
            publishView();
            scheduleFlushLocked();
        } finally {
            mutex.unlock();
        }
        if (!options.backgroundWork()) {
            flushPending();
            compactWhileNeeded();
        }
        return newWal;
    }

    /**
     * Commit thread: the current WAL file is full (its preallocated space is used up), so the active
     * memtable's log goes on in a new file. The memtable is not frozen: it keeps its first WAL number,
     * and every file from that one on is kept until it is flushed. The caller has synced the old file.
     */
    LogWriter rollWal(LogWriter oldWal) throws IOException {
        LogWriter newWal = createWal(allocateFileNumber());
        oldWal.close();
        return newWal;
    }

    /**
     * A new WAL file, preallocated per the options, whose name is durable: the spare prepared ahead (D26)
     * when there is one, else created here, on the commit thread.
     */
    private LogWriter createWal(long walNumber) throws IOException {
        LogWriter spare = walSpare.take(walNumber);
        if (spare != null) {
            return spare;
        }
        LogWriter wal = new LogWriter(createWalFile(fs, dir.resolve(WalFormat.fileName(walNumber)), options));
        try {
            fs.syncDirectory(dir);
        } catch (IOException e) {
            wal.close();
            throw e;
        }
        return wal;
    }

    /** Creates a WAL file, zero-filled to {@link EngineOptions#walPreallocateBytes()} unless that is 0. */
    static WritableFile createWalFile(FileSystem fs, Path path, EngineOptions options) throws IOException {
        long bytes = options.walPreallocateBytes();
        return bytes > 0 ? fs.createPreallocated(path, bytes) : fs.create(path);
    }

    /** Commit thread, after each group: prepares the next WAL file ahead once the current one is due (D26). */
    void prepareWalSpareIfDue(long memtableBytes, long walBytes) {
        walSpare.prepareIfDue(memtableBytes, walBytes);
    }

    /** Commit thread: makes a group's writes visible to {@link #lastTimestamp()} and snapshots. */
    void publishTimestamp(long timestamp, int records) {
        if (timestamp > lastTimestamp) {
            lastTimestamp = timestamp;
        }
        walRecords.addAndGet(records);
    }

    void countWalSync() {
        walSyncs.incrementAndGet();
    }

    // ---------------------------------------------------------------------------------------------
    // Reads

    /** Newest value of the key, or null. */
    public byte[] get(byte[] key) {
        return get(key, InternalKey.MAX_TIMESTAMP);
    }

    /** Value of the newest version at or before {@code timestamp}, or null if none or a tombstone. */
    public byte[] get(byte[] key, long timestamp) {
        InternalKey.checkTimestamp(timestamp);
        Found found = newestVersion(key, timestamp);
        return found == null || found.kind() != ValueKind.PUT ? null : found.value();
    }

    /**
     * Commit timestamp of the newest version of {@code key}, a value or a tombstone, or 0 when the engine
     * holds no version of it (never written, or every version garbage-collected). As cheap as {@link
     * #get}: memtables first, then segments newest to oldest, each segment's bloom filter consulted.
     *
     * <p>For write-conflict checks: "did anyone commit {@code key} after my snapshot S?" is {@code
     * newestTimestamp(key) > S}. Compaction drops versions at or below the GC horizon only, and never
     * the newest version above it, so while the caller keeps a {@link Snapshot} at S registered (horizon
     * at most S) every version newer than S is still there and the answer is exact. Sees every write whose
     * {@link #write} returned before this call; a write still in flight may or may not be seen.
     */
    public long newestTimestamp(byte[] key) {
        Found found = newestVersion(key, InternalKey.MAX_TIMESTAMP);
        return found == null ? 0 : found.timestamp();
    }

    /** One version found by a point lookup: commit timestamp, kind (tombstones included) and value. */
    private record Found(long timestamp, ValueKind kind, byte[] value) {}

    /** The newest version of {@code key} at or before {@code timestamp}, tombstones included, or null. */
    private Found newestVersion(byte[] key, long timestamp) {
        ReadView pinned = acquireView();
        try {
            Found hit = lookupMemtables(pinned, key, timestamp);
            if (hit != null) {
                return hit;
            }
            SegmentReader.Lookup found = lookupSegments(pinned.version(), key, timestamp);
            return found == null ? null
                    : new Found(InternalKey.timestamp(found.internalKey()), found.kind(), found.value());
        } finally {
            pinned.version().release();
        }
    }

    private static Found lookupMemtables(ReadView pinned, byte[] key, long timestamp) {
        Map.Entry<byte[], Memtable.Entry> hit = pinned.memtable().get(key, timestamp);
        for (int i = 0; hit == null && i < pinned.frozen().size(); i++) {
            hit = pinned.frozen().get(i).get(key, timestamp);
        }
        return hit == null ? null
                : new Found(InternalKey.timestamp(hit.getKey()), hit.getValue().kind(), hit.getValue().value());
    }

    /** Newest source first; the first visible version is the answer (see the class comment's contract). */
    private SegmentReader.Lookup lookupSegments(Version pinned, byte[] key, long timestamp) {
        for (SegmentMeta meta : pinned.files(0)) {
            if (meta.minTimestamp() <= timestamp && meta.overlapsUserKeys(key, key)) {
                SegmentReader.Lookup found = lookupFile(meta, key, timestamp);
                if (found != null) {
                    return found;
                }
            }
        }
        for (int level = 1; level < pinned.levelCount(); level++) {
            SegmentMeta meta = pinned.fileFor(level, key);
            if (meta != null && meta.minTimestamp() <= timestamp) {
                SegmentReader.Lookup found = lookupFile(meta, key, timestamp);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private SegmentReader.Lookup lookupFile(SegmentMeta meta, byte[] key, long timestamp) {
        try (TableCache.Lease lease = tableCache.acquire(meta.fileNumber())) {
            return lease.reader().get(key, timestamp);
        }
    }

    /**
     * Visible keys in {@code [low, high)} (null = unbounded) at {@code timestamp}, ascending or
     * descending. The iterator pins the files it reads until closed.
     */
    public KvIterator scan(byte[] low, byte[] high, long timestamp, boolean reverse) {
        InternalKey.checkTimestamp(timestamp);
        ReadView pinned = acquireView();
        try {
            InternalIterator merged = new MergingIterator(sources(pinned));
            return new MvccIterator(merged, low == null ? null : low.clone(), high == null ? null : high.clone(),
                    timestamp, reverse, pinned.version()::release);
        } catch (RuntimeException e) {
            pinned.version().release();
            throw e;
        }
    }

    /**
     * True when some key in {@code [low, high)} (null = unbounded, as in {@link #scan}) has a version, a
     * value or a tombstone, committed after {@code timestamp}. For SERIALIZABLE commit validation: "did
     * anyone write into the range I read at snapshot S?" is {@code changedAfter(low, high, S)}.
     *
     * <p>Reads every version, not the MVCC view: a deleted key counts as changed. Answers false without
     * reading when nothing was committed after {@code timestamp}; otherwise merges only the sources that
     * can hold a newer version (memtables and segment files whose highest timestamp is above it, segments
     * overlapping the range) and stops at the first newer version.
     *
     * <p>Correctness: compaction with the GC horizon may drop old versions, but never the newest version
     * of a key above the horizon. Callers keep their snapshot registered ({@link #snapshot()}, so the
     * horizon is at most their snapshot timestamp), hence every version newer than it is still there.
     * Sees every write whose {@link #write} returned before this call; a write in flight may or may not
     * be seen.
     */
    public boolean changedAfter(byte[] low, byte[] high, long timestamp) {
        InternalKey.checkTimestamp(timestamp);
        if (lastTimestamp <= timestamp) {
            return false;
        }
        if (low != null && high != null && Arrays.compareUnsigned(low, high) >= 0) {
            return false; // empty range
        }
        ReadView pinned = acquireView();
        try (InternalIterator merged = new MergingIterator(sourcesNewerThan(pinned, low, high, timestamp))) {
            return NewerVersionScan.anyNewer(merged, low, high, timestamp);
        } finally {
            pinned.version().release();
        }
    }

    /**
     * Iterators of the sources in a view, newest first, that may hold a version newer than {@code
     * timestamp} in {@code [low, high)}; the others cannot change the answer of {@link #changedAfter}.
     */
    private List<InternalIterator> sourcesNewerThan(ReadView pinned, byte[] low, byte[] high, long timestamp) {
        List<InternalIterator> sources = new ArrayList<>();
        try {
            addSourcesNewerThan(sources, pinned, low, high, timestamp);
        } catch (RuntimeException e) {
            // An unreadable segment: give back the table-cache leases already taken.
            sources.forEach(InternalIterator::close);
            throw e;
        }
        return sources;
    }

    private void addSourcesNewerThan(List<InternalIterator> sources, ReadView pinned, byte[] low, byte[] high,
            long timestamp) {
        if (pinned.memtable().maxTimestamp() > timestamp) {
            sources.add(pinned.memtable().newIterator());
        }
        for (Memtable m : pinned.frozen()) {
            if (m.maxTimestamp() > timestamp) {
                sources.add(m.newIterator());
            }
        }
        Version v = pinned.version();
        for (int level = 0; level < v.levelCount(); level++) {
            List<SegmentMeta> files = new ArrayList<>();
            for (SegmentMeta meta : v.files(level)) {
                if (mayHoldNewer(meta, low, high, timestamp)) {
                    files.add(meta);
                }
            }
            if (level == 0) {
                files.forEach(meta -> sources.add(segmentIterator(meta.fileNumber())));
            } else if (!files.isEmpty()) {
                // A subset of a sorted, disjoint level is still sorted and disjoint.
                sources.add(levelIterator(files));
            }
        }
    }

    private static boolean mayHoldNewer(SegmentMeta meta, byte[] low, byte[] high, long timestamp) {
        return meta.maxTimestamp() > timestamp
                && (low == null || InternalKey.compareUserKey(meta.largestKey(), low) >= 0)
                && (high == null || InternalKey.compareUserKey(meta.smallestKey(), high) < 0);
    }

    /** Iterators of every source in a view, newest first. */
    private List<InternalIterator> sources(ReadView pinned) {
        List<InternalIterator> sources = new ArrayList<>();
        sources.add(pinned.memtable().newIterator());
        for (Memtable m : pinned.frozen()) {
            sources.add(m.newIterator());
        }
        Version v = pinned.version();
        for (SegmentMeta meta : v.files(0)) {
            sources.add(segmentIterator(meta.fileNumber()));
        }
        for (int level = 1; level < v.levelCount(); level++) {
            if (!v.files(level).isEmpty()) {
                sources.add(levelIterator(v.files(level)));
            }
        }
        return sources;
    }

    private InternalIterator levelIterator(List<SegmentMeta> files) {
        return levelIterator(files, true);
    }

    private InternalIterator levelIterator(List<SegmentMeta> files, boolean fillCache) {
        List<byte[]> smallest = new ArrayList<>(files.size());
        List<byte[]> largest = new ArrayList<>(files.size());
        for (SegmentMeta meta : files) {
            smallest.add(meta.smallestKey());
            largest.add(meta.largestKey());
        }
        return new LevelIterator(smallest, largest, i -> segmentIterator(files.get(i).fileNumber(), fillCache));
    }

    /** An iterator over one segment, for reads: holds a table-cache lease until closed. */
    private InternalIterator segmentIterator(long fileNumber) {
        return segmentIterator(fileNumber, true);
    }

    /** As above; compaction passes {@code fillCache=false} so that it does not evict hot blocks. */
    private InternalIterator segmentIterator(long fileNumber, boolean fillCache) {
        return tableCache.newIterator(fileNumber, fillCache);
    }

    private ReadView acquireView() {
        while (true) {
            ReadView current = view;
            if (current.version().tryAcquire()) {
                return current;
            }
            // The version was replaced and fully released between reading the view and pinning it.
        }
    }

    /** Registers a snapshot at the latest timestamp: compaction keeps what it sees until closed. */
    public Snapshot snapshot() {
        long ts = lastTimestamp;
        synchronized (snapshots) {
            snapshots.merge(ts, 1, Integer::sum);
        }
        return new Snapshot() {
            private boolean closed;

            @Override
            public long timestamp() {
                return ts;
            }

            @Override
            public void close() {
                synchronized (snapshots) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    snapshots.computeIfPresent(ts, (k, n) -> n == 1 ? null : n - 1);
                }
            }
        };
    }

    /** Highest commit timestamp written so far (recovered on open). */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Lets compaction drop versions older than {@code timestamp}, save the newest one visible at it. The
     * effective horizon is also held back by every open {@link Snapshot}. The default, {@code
     * Long.MAX_VALUE}, keeps only what open snapshots need.
     */
    public void setGcHorizon(long timestamp) {
        InternalKey.checkTimestamp(timestamp);
        gcHorizon = timestamp;
    }

    /** The oldest timestamp a reader may still use. */
    long effectiveHorizon() {
        long horizon = gcHorizon;
        synchronized (snapshots) {
            if (!snapshots.isEmpty()) {
                horizon = Math.min(horizon, snapshots.firstKey());
            }
        }
        return horizon;
    }

    // ---------------------------------------------------------------------------------------------
    // Flush

    /** Freezes the memtable and waits until every memtable is flushed to a segment. */
    public void flush() {
        join(commits.requestRotation());
        if (options.backgroundWork()) {
            mutex.lock();
            try {
                scheduleFlushLocked();
                while (!frozen.isEmpty()) {
                    throwIfFailed();
                    backgroundProgress.await(100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting for flush", e);
            } finally {
                mutex.unlock();
            }
        } else {
            flushPending();
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        StorageException failed = commits.failure();
        if (failed != null) {
            throw new StorageException("engine stopped after an earlier failure: " + failed.getMessage(), failed);
        }
    }

    private static long join(CompletableFuture<Long> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw new StorageException(se.getMessage(), se);
            }
            throw e;
        }
    }

    private void scheduleFlushLocked() {
        if (flushExecutor != null && !flushScheduled && !frozen.isEmpty() && !closing) {
            flushScheduled = true;
            flushExecutor.execute(this::backgroundFlush);
        }
    }

    private void backgroundFlush() {
        try {
            flushPending();
        } finally {
            mutex.lock();
            try {
                flushScheduled = false;
                scheduleFlushLocked();
                scheduleCompactionLocked();
                backgroundProgress.signalAll();
            } finally {
                mutex.unlock();
            }
        }
    }

    /** Flushes frozen memtables, oldest first, until none is left. Any thread; one flush at a time. */
    void flushPending() {
        flushLock.lock();
        try {
            while (!writesFailed()) {
                Memtable oldest;
                mutex.lock();
                try {
                    if (frozen.isEmpty()) {
                        return;
                    }
                    oldest = frozen.get(frozen.size() - 1);
                } finally {
                    mutex.unlock();
                }
                flushOne(oldest);
            }
        } catch (IOException | RuntimeException e) {
            backgroundFailed("flush", e);
        } finally {
            flushLock.unlock();
        }
    }

    /** Mutex held. The oldest WAL file an unflushed memtable still needs: the manifest's logNumber. */
    private long oldestNeededWal() {
        return frozen.isEmpty() ? memtable.walNumber() : frozen.get(frozen.size() - 1).walNumber();
    }

    private boolean writesFailed() {
        return commits.failure() != null;
    }

    private void flushOne(Memtable oldest) throws IOException {
        SegmentMeta meta = oldest.isEmpty() ? null : writeSegment(oldest.newIterator(), allocateFileNumber());
        mutex.lock();
        try {
            List<List<SegmentMeta>> levels = copyLevels(version);
            if (meta != null) {
                levels.get(0).add(meta);
            }
            frozen.remove(oldest);
            long logNumber = oldestNeededWal();
            flushedTimestamp = Math.max(flushedTimestamp, oldest.maxTimestamp());
            Version next = new Version(levels);
            ManifestFile.install(fs, dir, new ManifestState(next, nextFileNumber, logNumber, flushedTimestamp));
            installVersion(next);
            deleteWalFilesBefore(logNumber);
            backgroundProgress.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    private long allocateFileNumber() {
        mutex.lock();
        try {
            return nextFileNumber++;
        } finally {
            mutex.unlock();
        }
    }

    /** Writes the entries of {@code entries} (already in order) to a new segment; the file is synced. */
    private SegmentMeta writeSegment(InternalIterator entries, long fileNumber) {
        SegmentWriter writer = newSegmentWriter(fileNumber);
        try (entries) {
            for (entries.seekToFirst(); entries.valid(); entries.next()) {
                writer.add(entries.key(), entries.kind(), entries.value());
            }
            return toMeta(fileNumber, writer.finish());
        } catch (RuntimeException e) {
            writer.abandon();
            throw e;
        }
    }

    private SegmentWriter newSegmentWriter(long fileNumber) {
        return new SegmentWriter(fs, dir.resolve(SegmentFormat.fileName(fileNumber)), options.blockBytes(),
                options.compression(), options.bloomBitsPerKey());
    }

    static SegmentMeta toMeta(long fileNumber, io.phantomdb.storage.segment.SegmentInfo info) {
        return new SegmentMeta(fileNumber, info.fileBytes(), info.entryCount(), info.smallestKey(), info.largestKey(),
                info.minTimestamp(), info.maxTimestamp());
    }

    private void deleteWalFilesBefore(long logNumber) {
        try {
            for (String name : fs.list(dir)) {
                WalFormat.parseFileNumber(name).ifPresent(n -> {
                    if (n < logNumber) {
                        deleteQuietly(dir.resolve(name));
                    }
                });
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + dir + " to delete old WAL files", e);
        }
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path);
        } catch (IOException e) {
            // Left as an orphan: open() deletes files that no manifest references.
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + path, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Compaction

    /** Flushes, then compacts every level into the last one, dropping what no snapshot can see. */
    public void compact() {
        flush();
        compactionLock.lock();
        try {
            Version current = currentVersion();
            if (current.allFiles().isEmpty()) {
                return;
            }
            runCompaction(CompactionPicker.everything(current));
        } catch (IOException | RuntimeException e) {
            backgroundFailed("compaction", e);
        } finally {
            compactionLock.unlock();
        }
        throwIfFailed();
    }

    private void scheduleCompactionIfNeeded() {
        mutex.lock();
        try {
            scheduleCompactionLocked();
        } finally {
            mutex.unlock();
        }
    }

    private void scheduleCompactionLocked() {
        if (compactionExecutor != null && !compactionScheduled && !closing && picker.needsCompaction(version)) {
            compactionScheduled = true;
            compactionExecutor.execute(this::backgroundCompaction);
        }
    }

    private void backgroundCompaction() {
        try {
            compactWhileNeeded();
        } finally {
            mutex.lock();
            try {
                compactionScheduled = false;
                backgroundProgress.signalAll();
            } finally {
                mutex.unlock();
            }
        }
    }

    /** Runs picked compactions until no level is over its limit. Any thread; one compaction at a time. */
    void compactWhileNeeded() {
        compactionLock.lock();
        try {
            while (!closing && !writesFailed()) {
                Compaction next;
                mutex.lock();
                try {
                    next = picker.pick(version);
                } finally {
                    mutex.unlock();
                }
                if (next == null) {
                    return;
                }
                runCompaction(next);
            }
        } catch (IOException | RuntimeException e) {
            backgroundFailed("compaction", e);
        } finally {
            compactionLock.unlock();
        }
    }

    private void runCompaction(Compaction compaction) throws IOException {
        List<SegmentMeta> outputs;
        if (compaction.trivialMove()) {
            outputs = compaction.inputs();
        } else {
            CompactionJob job = new CompactionJob(compaction, currentVersion(), effectiveHorizon(),
                    options.targetSegmentBytes(), compactionRate, () -> closing);
            try {
                outputs = job.run(compactionIo()).outputs();
            } catch (InterruptedException e) {
                return; // closing: the outputs were abandoned, the inputs stay
            }
        }
        mutex.lock();
        try {
            List<List<SegmentMeta>> levels = copyLevels(version);
            for (SegmentMeta input : compaction.allInputs()) {
                for (List<SegmentMeta> files : levels) {
                    files.removeIf(f -> f.fileNumber() == input.fileNumber());
                }
            }
            levels.get(compaction.outputLevel()).addAll(outputs);
            Version next = new Version(levels);
            long logNumber = oldestNeededWal();
            ManifestFile.install(fs, dir, new ManifestState(next, nextFileNumber, logNumber, flushedTimestamp));
            installVersion(next);
            compactions.incrementAndGet();
            backgroundProgress.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    private CompactionJob.Io compactionIo() {
        return new CompactionJob.Io() {
            @Override
            public InternalIterator mergedInputs(Compaction c) {
                // Newest source first: each L0 file on its own, then one iterator per deeper level.
                java.util.Set<Long> wanted = new java.util.HashSet<>();
                c.allInputs().forEach(meta -> wanted.add(meta.fileNumber()));
                Version current = currentVersion();
                List<InternalIterator> sources = new ArrayList<>();
                for (int level = 0; level < current.levelCount(); level++) {
                    List<SegmentMeta> files = new ArrayList<>();
                    for (SegmentMeta meta : current.files(level)) {
                        if (wanted.contains(meta.fileNumber())) {
                            files.add(meta);
                        }
                    }
                    if (level == 0) {
                        files.forEach(meta -> sources.add(segmentIterator(meta.fileNumber(), false)));
                    } else if (!files.isEmpty()) {
                        sources.add(levelIterator(files, false));
                    }
                }
                return new MergingIterator(sources);
            }

            @Override
            public CompactionJob.OutputFile newOutput() {
                long fileNumber = allocateFileNumber();
                SegmentWriter writer = newSegmentWriter(fileNumber);
                return new CompactionJob.OutputFile() {
                    @Override
                    public void add(byte[] key, ValueKind kind, byte[] value) {
                        writer.add(key, kind, value);
                    }

                    @Override
                    public long estimatedBytes() {
                        return writer.estimatedFileBytes();
                    }

                    @Override
                    public SegmentMeta finish() {
                        return toMeta(fileNumber, writer.finish());
                    }

                    @Override
                    public void abandon() {
                        writer.abandon();
                    }
                };
            }
        };
    }

    private Version currentVersion() {
        mutex.lock();
        try {
            return version;
        } finally {
            mutex.unlock();
        }
    }

    private static List<List<SegmentMeta>> copyLevels(Version v) {
        List<List<SegmentMeta>> levels = new ArrayList<>();
        for (List<SegmentMeta> files : v.levels()) {
            levels.add(new ArrayList<>(files));
        }
        return levels;
    }

    private void backgroundFailed(String what, Exception e) {
        StorageException failure = e instanceof StorageException se ? se
                : new StorageException(what + " failed: " + e.getMessage(), e);
        LOG.log(System.Logger.Level.ERROR, what + " failed; writes stop until reopen", e);
        commits.fail(failure);
        mutex.lock();
        try {
            backgroundProgress.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Versions and files

    /** Makes {@code next} current (mutex held, or during construction). Files of old versions are deleted once unreferenced. */
    private void installVersion(Version next) {
        synchronized (fileReferences) {
            for (SegmentMeta meta : next.allFiles()) {
                fileReferences.merge(meta.fileNumber(), 1, Integer::sum);
            }
        }
        next.onLastRelease(() -> releaseFiles(next));
        Version old = version;
        version = next;
        // Publish before releasing, so no reader finds a released version in the view.
        publishView();
        if (old != null) {
            old.release();
        }
    }

    private void releaseFiles(Version released) {
        List<Long> unused = new ArrayList<>();
        synchronized (fileReferences) {
            for (SegmentMeta meta : released.allFiles()) {
                Integer left = fileReferences.merge(meta.fileNumber(), -1, Integer::sum);
                if (left != null && left == 0) {
                    fileReferences.remove(meta.fileNumber());
                    unused.add(meta.fileNumber());
                }
            }
        }
        for (long fileNumber : unused) {
            tableCache.evict(fileNumber);
            deleteQuietly(dir.resolve(SegmentFormat.fileName(fileNumber)));
        }
    }

    /** Mutex held. Pins the new current version into the read view. */
    private void publishView() {
        view = new ReadView(memtable, List.copyOf(frozen), version);
    }

    // ---------------------------------------------------------------------------------------------
    // Introspection and close

    public EngineStats stats() {
        ReadView current = view;
        Version v = current.version();
        List<Integer> counts = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int level = 0; level < v.levelCount(); level++) {
            counts.add(v.files(level).size());
            bytes.add(v.levelBytes(level));
        }
        return new EngineStats(counts, bytes, current.memtable().approximateBytes(), current.frozen().size(),
                walSyncs.get(), walRecords.get(), compactions.get(), blockCache.hits(), blockCache.misses(),
                lastTimestamp, effectiveHorizon());
    }

    /** What recovery did at open: WAL records replayed, torn tail truncated (file, offset). */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /**
     * Finishes queued writes, stops background work (an unfinished compaction is abandoned; its inputs
     * stay valid), closes files and releases the directory. Data in the memtable stays in the WAL and is
     * replayed at the next open.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        commits.stop();
        closing = true;
        walSpare.close(); // after the commit thread, the only one that starts or takes a spare
        shutdown(flushExecutor);
        shutdown(compactionExecutor);
        flushLock.lock();
        compactionLock.lock();
        try {
            tableCache.close();
        } finally {
            compactionLock.unlock();
            flushLock.unlock();
            try {
                directoryLock.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot release " + dir.resolve(LOCK_FILE), e);
            }
        }
    }

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
