package io.phantomdb.storage.segment;

import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.ValueKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Keeps a bounded number of {@link SegmentReader}s open (LRU), so that a node with thousands of segments
 * does not hold thousands of file descriptors and pinned index blocks.
 *
 * <p>Reference counting, as in LevelDB's table cache: the cache holds one reference to each reader it
 * keeps, and every {@link Lease} holds one more. A reader is closed when its count reaches zero, that is
 * only after it has left the cache (LRU eviction or {@link #evict}) AND its last lease is released. So a
 * file is never closed under a live read or iterator, as long as the caller keeps the lease open for the
 * iterator's life ({@link #newIterator} does that for you).
 *
 * <p>Bound: eviction only removes readers nobody leases. If every cached reader is leased, the cache holds
 * more than {@code openFilesMax} readers until leases are released; the excess is trimmed on release.
 *
 * <p>Thread-safe. Files are opened outside the lock (two threads missing the same file may both open
 * it; one copy is closed), and readers are closed outside the lock.
 */
public final class TableCache implements AutoCloseable {

    private final FileSystem fs;
    private final Path dir;
    private final int openFilesMax;
    private final BlockCache blockCache;

    /** Cached readers in access order (eldest first). Guarded by {@code this}. */
    private final LinkedHashMap<Long, Handle> readers = new LinkedHashMap<>(16, 0.75f, true);

    /** Bumped by every {@link #evict}; lets an open that raced with an eviction avoid caching a stale file. */
    private long evictions;

    /** A reader and its reference count. Guarded by the cache's lock. */
    private static final class Handle {
        final SegmentReader reader;
        int references;

        Handle(SegmentReader reader) {
            this.reader = reader;
        }
    }

    public TableCache(FileSystem fs, Path dir, int openFilesMax, BlockCache blockCache) {
        if (openFilesMax < 1) {
            throw new IllegalArgumentException("openFilesMax must be >= 1: " + openFilesMax);
        }
        this.fs = fs;
        this.dir = dir;
        this.openFilesMax = openFilesMax;
        this.blockCache = blockCache;
    }

    /**
     * A lease on the reader of segment {@code fileNumber}, opening the file if it is not cached. Close the
     * lease when done; the reader stays usable until then even if the file is evicted meanwhile.
     */
    public Lease acquire(long fileNumber) {
        long evictionsBefore;
        synchronized (this) {
            Handle cached = readers.get(fileNumber);
            if (cached != null) {
                cached.references++;
                return new Lease(cached);
            }
            evictionsBefore = evictions;
        }
        SegmentReader opened = SegmentReader.open(fs, dir.resolve(SegmentFormat.fileName(fileNumber)), fileNumber,
                blockCache);
        List<SegmentReader> toClose = new ArrayList<>();
        Lease lease;
        synchronized (this) {
            Handle handle = readers.get(fileNumber);
            if (handle != null) {
                toClose.add(opened); // another thread opened it first
            } else {
                handle = new Handle(opened);
                if (evictions == evictionsBefore) {
                    handle.references = 1; // the cache's own reference
                    readers.put(fileNumber, handle);
                }
                // else: an evict() ran while we opened; the file may be deleted, so lease it uncached.
            }
            handle.references++;
            lease = new Lease(handle);
            trimLocked(toClose);
        }
        closeAll(toClose);
        return lease;
    }

    /** An iterator over segment {@code fileNumber} that holds a lease until it is closed. */
    public InternalIterator newIterator(long fileNumber) {
        return newIterator(fileNumber, true);
    }

    /** As {@link #newIterator(long)}; see {@link SegmentReader#newIterator(boolean)} for {@code fillCache}. */
    public InternalIterator newIterator(long fileNumber, boolean fillCache) {
        Lease lease = acquire(fileNumber);
        try {
            return new LeasedIterator(lease, lease.reader().newIterator(fillCache));
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Drops the cache's reference to a segment being deleted; the reader closes once its leases end. */
    public void evict(long fileNumber) {
        SegmentReader toClose = null;
        synchronized (this) {
            evictions++;
            Handle handle = readers.remove(fileNumber);
            if (handle != null && release(handle)) {
                toClose = handle.reader;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** Readers the cache currently holds (leased or not); may exceed the bound while all are leased. */
    public synchronized int cachedReaderCount() {
        return readers.size();
    }

    public int openFilesMax() {
        return openFilesMax;
    }

    /** Evicts every reader; leased ones close when their leases are released. */
    @Override
    public void close() {
        List<SegmentReader> toClose = new ArrayList<>();
        synchronized (this) {
            evictions++;
            for (Handle handle : readers.values()) {
                if (release(handle)) {
                    toClose.add(handle.reader);
                }
            }
            readers.clear();
        }
        closeAll(toClose);
    }

    /** Removes eldest unleased readers until the bound holds or only leased readers remain. */
    private void trimLocked(List<SegmentReader> toClose) {
        Iterator<Handle> eldestFirst = readers.values().iterator();
        while (readers.size() > openFilesMax && eldestFirst.hasNext()) {
            Handle handle = eldestFirst.next();
            if (handle.references == 1) { // only the cache's reference: nobody leases it
                eldestFirst.remove();
                release(handle);
                toClose.add(handle.reader);
            }
        }
    }

    /** Drops one reference; true if it was the last, so the caller must close the reader (outside the lock). */
    private boolean release(Handle handle) {
        assert Thread.holdsLock(this);
        handle.references--;
        if (handle.references < 0) {
            throw new IllegalStateException("negative reference count for " + handle.reader.path());
        }
        return handle.references == 0;
    }

    private static void closeAll(List<SegmentReader> toClose) {
        for (SegmentReader reader : toClose) {
            reader.close();
        }
    }

    private void releaseLease(Handle handle) {
        List<SegmentReader> toClose = new ArrayList<>();
        synchronized (this) {
            if (release(handle)) {
                toClose.add(handle.reader);
            }
            trimLocked(toClose); // this reader may now be evictable, and the cache may be over its bound
        }
        closeAll(toClose);
    }

    /** A hold on an open reader; the reader is not closed while any lease on it is open. Not thread-safe. */
    public final class Lease implements AutoCloseable {
        private final Handle handle;
        private boolean released;

        private Lease(Handle handle) {
            this.handle = handle;
        }

        public SegmentReader reader() {
            if (released) {
                throw new IllegalStateException("lease on " + handle.reader.path() + " already released");
            }
            return handle.reader;
        }

        /** Releases the lease. Idempotent. */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            releaseLease(handle);
        }
    }

    /** Forwards to a segment iterator and releases the lease on close. */
    private static final class LeasedIterator implements InternalIterator {
        private final Lease lease;
        private final InternalIterator delegate;
        private boolean closed;

        LeasedIterator(Lease lease, InternalIterator delegate) {
            this.lease = lease;
            this.delegate = delegate;
        }

        @Override public boolean valid() { return delegate.valid(); }
        @Override public void seekToFirst() { delegate.seekToFirst(); }
        @Override public void seekToLast() { delegate.seekToLast(); }
        @Override public void seek(byte[] target) { delegate.seek(target); }
        @Override public void seekForPrev(byte[] target) { delegate.seekForPrev(target); }
        @Override public void next() { delegate.next(); }
        @Override public void prev() { delegate.prev(); }
        @Override public byte[] key() { return delegate.key(); }
        @Override public ValueKind kind() { return delegate.kind(); }
        @Override public byte[] value() { return delegate.value(); }

        @Override
        public void close() {
            if (closed) {
                return; // a second close must not release the lease twice
            }
            closed = true;
            try {
                delegate.close();
            } finally {
                lease.close();
            }
        }
    }
}
