package io.phantomdb.storage.memtable;

import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory sorted buffer of recent writes, one per WAL file. A concurrent skip list keyed by engine
 * key ({@link InternalKey#COMPARATOR}), so readers never block the single writer (the engine's commit
 * thread) and vice versa. Once frozen (full), it is only read, then flushed to an L0 segment.
 *
 * <p>Thread-safety: {@link #add} is called by one thread at a time; everything else is safe from any
 * thread concurrently with it.
 */
public final class Memtable {

    /** Bookkeeping bytes per entry on top of key and value (skip-list node, entry object, headers). */
    private static final int ENTRY_OVERHEAD_BYTES = 64;

    /** One version: its kind and value. */
    public record Entry(ValueKind kind, byte[] value) {}

    private final ConcurrentSkipListMap<byte[], Entry> map = new ConcurrentSkipListMap<>(InternalKey.COMPARATOR);
    private final AtomicLong approximateBytes = new AtomicLong();
    private final long walNumber;
    private volatile long maxTimestamp = -1;

    /**
     * @param walNumber the first WAL file that holds this memtable's records; when a file fills up they
     *     go on in the next ones, so every WAL file from this one on is needed until the memtable is flushed
     */
    public Memtable(long walNumber) {
        this.walNumber = walNumber;
    }

    public long walNumber() {
        return walNumber;
    }

    public void add(byte[] userKey, long timestamp, ValueKind kind, byte[] value) {
        byte[] key = InternalKey.encode(userKey, timestamp);
        map.put(key, new Entry(kind, value));
        approximateBytes.addAndGet(key.length + value.length + ENTRY_OVERHEAD_BYTES);
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
    }

    /**
     * The newest version of {@code userKey} with timestamp at or before {@code timestamp}, or null.
     * Returns the engine key and entry, so the caller can see tombstones and the version's timestamp.
     */
    public Map.Entry<byte[], Entry> get(byte[] userKey, long timestamp) {
        Map.Entry<byte[], Entry> found = map.ceilingEntry(InternalKey.encode(userKey, timestamp));
        if (found == null || InternalKey.compareUserKey(found.getKey(), userKey) != 0) {
            return null;
        }
        return found;
    }

    public long approximateBytes() {
        return approximateBytes.get();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    public int entryCount() {
        return map.size();
    }

    /** Highest timestamp added, or -1 when empty. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    public InternalIterator newIterator() {
        return new SkipListIterator(map);
    }

    /**
     * Steps with ceiling/higher/lower/floor lookups, so it stays correct while the writer inserts: each
     * step is O(log n), which is cheap next to the block reads of the other sources.
     */
    private static final class SkipListIterator implements InternalIterator {
        private final ConcurrentSkipListMap<byte[], Entry> map;
        private Map.Entry<byte[], Entry> current;

        SkipListIterator(ConcurrentSkipListMap<byte[], Entry> map) {
            this.map = map;
        }

        @Override
        public boolean valid() {
            return current != null;
        }

        @Override
        public void seekToFirst() {
            current = map.firstEntry();
        }

        @Override
        public void seekToLast() {
            current = map.lastEntry();
        }

        @Override
        public void seek(byte[] target) {
            current = map.ceilingEntry(target);
        }

        @Override
        public void seekForPrev(byte[] target) {
            current = map.floorEntry(target);
        }

        @Override
        public void next() {
            current = map.higherEntry(current.getKey());
        }

        @Override
        public void prev() {
            current = map.lowerEntry(current.getKey());
        }

        @Override
        public byte[] key() {
            return current.getKey();
        }

        @Override
        public ValueKind kind() {
            return current.getValue().kind();
        }

        @Override
        public byte[] value() {
            return current.getValue().value();
        }

        @Override
        public void close() {
            current = null;
        }
    }
}
