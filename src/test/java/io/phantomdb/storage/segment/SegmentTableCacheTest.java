package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@link TableCache} keeps at most {@code openFilesMax} readers once leases are released, and never
 * closes a reader that is leased (or under an iterator), even when it is evicted meanwhile.
 *
 * <p>Method: 20 segments, a cache bound of 5; walk them with and without held leases, evict files under
 * live leases and iterators, and hammer the cache from 8 threads while every read checks that its reader
 * is open. Segment file {@code n} holds one key, {@code userKey(n)}, so a read proves which file it hit.
 */
class SegmentTableCacheTest {

    private static final int FILES = 20;
    private static final int OPEN_FILES_MAX = 5;

    @TempDir
    Path dir;

    private TableCache cache;

    @BeforeEach
    void setUp() {
        for (int n = 1; n <= FILES; n++) {
            SegmentWriter writer = new SegmentWriter(RealFileSystem.INSTANCE, dir.resolve(SegmentFormat.fileName(n)),
                    1024, Compression.NONE, 10);
            writer.add(io.phantomdb.storage.key.InternalKey.encode(SegmentTestData.userKey(n), 1),
                    io.phantomdb.storage.key.ValueKind.PUT, new byte[] {(byte) n});
            writer.finish();
        }
        cache = new TableCache(RealFileSystem.INSTANCE, dir, OPEN_FILES_MAX, new BlockCache(1 << 20));
    }

    private static void assertReads(SegmentReader reader, int n) {
        assertFalse(reader.isClosed(), "reader of file " + n + " was closed under a lease");
        assertArrayEquals(new byte[] {(byte) n}, reader.get(SegmentTestData.userKey(n), 10).value());
    }

    @Test
    void neverExceedsItsBoundWhenLeasesAreReleased() {
        List<SegmentReader> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int n = 1; n <= FILES; n++) {
                try (TableCache.Lease lease = cache.acquire(n)) {
                    assertReads(lease.reader(), n);
                    seen.add(lease.reader());
                }
                assertTrue(cache.cachedReaderCount() <= OPEN_FILES_MAX, "cached " + cache.cachedReaderCount());
            }
        }
        long closed = seen.stream().distinct().filter(SegmentReader::isClosed).count();
        long distinct = seen.stream().distinct().count();
        assertEquals(distinct - OPEN_FILES_MAX, closed, "every reader that left the cache is closed");
    }

    @Test
    void returnsTheCachedReaderWhileItIsCached() {
        try (TableCache.Lease first = cache.acquire(3); TableCache.Lease second = cache.acquire(3)) {
            assertSame(first.reader(), second.reader());
        }
    }

    @Test
    void neverClosesALeasedReaderEvenWhenItIsTheEldest() {
        TableCache.Lease held = cache.acquire(1);
        for (int n = 2; n <= FILES; n++) {
            try (TableCache.Lease lease = cache.acquire(n)) {
                assertReads(lease.reader(), n);
            }
        }
        assertReads(held.reader(), 1);
        assertTrue(cache.cachedReaderCount() <= OPEN_FILES_MAX);
        held.close();
        assertThrows(IllegalStateException.class, held::reader);
    }

    @Test
    void mayExceedItsBoundWhileAllReadersAreLeasedThenTrimsOnRelease() {
        List<TableCache.Lease> leases = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            leases.add(cache.acquire(n));
        }
        assertEquals(8, cache.cachedReaderCount(), "over the bound while every reader is leased");
        List<SegmentReader> readers = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            readers.add(leases.get(n - 1).reader());
            assertReads(readers.get(n - 1), n);
        }
        for (TableCache.Lease lease : leases) {
            lease.close();
        }
        assertEquals(OPEN_FILES_MAX, cache.cachedReaderCount());
        assertTrue(readers.get(0).isClosed(), "eldest released reader is closed");
        assertFalse(readers.get(7).isClosed(), "newest stays cached and open");
    }

    @Test
    void evictedReaderStaysOpenUntilItsLastLeaseIsReleased() {
        TableCache.Lease first = cache.acquire(4);
        TableCache.Lease second = cache.acquire(4);
        SegmentReader reader = first.reader();
        cache.evict(4);
        assertEquals(0, cache.cachedReaderCount());
        assertReads(reader, 4);
        first.close();
        assertReads(second.reader(), 4);
        second.close();
        assertTrue(reader.isClosed());
        try (TableCache.Lease again = cache.acquire(4)) {
            assertNotSame(reader, again.reader(), "an evicted file is reopened, not resurrected");
            assertReads(again.reader(), 4);
        }
    }

    @Test
    void iteratorHoldsItsReaderOpenAcrossEviction() {
        InternalIterator it = cache.newIterator(6);
        cache.evict(6);
        for (int n = 1; n <= FILES; n++) {
            try (TableCache.Lease lease = cache.acquire(n)) {
                assertReads(lease.reader(), n);
            }
        }
        it.seekToFirst();
        assertTrue(it.valid());
        assertArrayEquals(new byte[] {6}, it.value());
        it.close();
    }

    @Test
    void missingFileFailsAcquireAndCachesNothing() {
        assertThrows(StorageException.class, () -> cache.acquire(FILES + 1));
        assertEquals(0, cache.cachedReaderCount());
    }

    @Test
    void concurrentLeasesNeverSeeAClosedReaderAndEndWithinBound() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger reads = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 3000; i++) {
                        int n = 1 + random.nextInt(FILES);
                        if (random.nextInt(50) == 0) {
                            cache.evict(n);
                        }
                        try (TableCache.Lease lease = cache.acquire(n)) {
                            assertReads(lease.reader(), n);
                            reads.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8 * 3000, reads.get());
        assertTrue(cache.cachedReaderCount() <= OPEN_FILES_MAX, "cached " + cache.cachedReaderCount());
    }
}
