package io.phantomdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the two reads the transaction layer's conflict checks rely on. {@code newestTimestamp(key)} is
 * the commit timestamp of the key's newest version, tombstones included, wherever it lives (memtable,
 * segments, after compaction); {@code changedAfter(low, high, ts)} says whether any key in {@code [low,
 * high)} got a version (value or tombstone) after {@code ts}, with low inclusive and high exclusive.
 *
 * <p>Method: example tests with engine-assigned timestamps on a real directory, tiny memtables and
 * inline background work, so data moves through memtables, L0 and deeper levels predictably; then a
 * jqwik property comparing both reads with a brute-force model (key -> all commit timestamps) over
 * random writes, deletes, flushes, compactions and snapshots. Checks are made at timestamps no older
 * than an open snapshot, as the transaction layer does (older versions may be garbage-collected).
 */
class ConflictReadsTest {

    @TempDir
    Path dir;

    private Engine engine;

    private static EngineOptions.Builder small() {
        return EngineOptions.builder().durability(Durability.OFF).memtableBytes(4096).blockBytes(256)
                .targetSegmentBytes(2048).levelBaseBytes(8192).levelMultiplier(2).l0CompactionTrigger(2)
                .l0SlowdownTrigger(3).l0StopTrigger(6).bloomBitsPerKey(10).backgroundWork(false);
    }

    private Engine open() {
        return open(small().build());
    }

    private Engine open(EngineOptions options) {
        engine = Engine.open(RealFileSystem.INSTANCE, dir, options);
        return engine;
    }

    /** Flushed segments stay side by side in L0 (no compaction merges them or collects tombstones). */
    private static EngineOptions noCompaction() {
        return small().l0CompactionTrigger(8).l0SlowdownTrigger(8).l0StopTrigger(12).build();
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long put(Engine e, String key) {
        return e.write(new WriteBatch().put(b(key), b("v-" + key)));
    }

    private static long delete(Engine e, String key) {
        return e.write(new WriteBatch().delete(b(key)));
    }

    // ---------------------------------------------------------------------------------------------
    // newestTimestamp

    @Test
    void newestTimestampIsZeroForKeyNeverWritten() {
        Engine e = open();
        assertEquals(0, e.newestTimestamp(b("absent")));
        put(e, "other");
        e.flush();
        assertEquals(0, e.newestTimestamp(b("absent")));
        assertEquals(0, e.newestTimestamp(b("othe")), "a prefix of a written key is a different key");
        assertEquals(0, e.newestTimestamp(b("other\0")), "an extension of a written key is a different key");
    }

    @Test
    void newestTimestampInMemtableFollowsPutOverwriteAndDelete() {
        Engine e = open();
        long t1 = put(e, "k");
        assertEquals(t1, e.newestTimestamp(b("k")));
        long t2 = put(e, "k");
        assertTrue(t2 > t1);
        assertEquals(t2, e.newestTimestamp(b("k")), "overwrite");
        long t3 = delete(e, "k");
        assertEquals(t3, e.newestTimestamp(b("k")), "a tombstone is a version");
    }

    @Test
    void newestTimestampFindsVersionsInSegments() {
        Engine e = open(noCompaction());
        long putAt = put(e, "k");
        long deletedAt = delete(e, "gone");
        e.flush();
        assertEquals(putAt, e.newestTimestamp(b("k")));
        assertEquals(deletedAt, e.newestTimestamp(b("gone")), "tombstone in a segment");
        long overwrittenAt = put(e, "k");
        put(e, "unrelated");
        e.flush();
        assertEquals(2, (int) e.stats().segmentsPerLevel().get(0), "two L0 segments");
        assertEquals(overwrittenAt, e.newestTimestamp(b("k")), "newest segment wins over older one");
        assertEquals(deletedAt, e.newestTimestamp(b("gone")), "found in an older segment behind a newer one");
        long inMemtable = put(e, "gone");
        assertEquals(inMemtable, e.newestTimestamp(b("gone")), "memtable wins over segments");
    }

    @Test
    void newestTimestampSurvivesCompaction() {
        Engine e = open();
        for (int i = 0; i < 200; i++) {
            put(e, String.format("key%04d", i)); // enough to fill several memtables and segments
        }
        long overwrittenAt = put(e, "key0007");
        long deletedAt;
        try (Snapshot before = e.snapshot()) {
            deletedAt = delete(e, "key0100");
            e.compact();
            assertEquals(overwrittenAt, e.newestTimestamp(b("key0007")));
            assertEquals(deletedAt, e.newestTimestamp(b("key0100")), "tombstone newer than a snapshot is kept");
            assertTrue(before.timestamp() < deletedAt);
        }
        long untouched = e.newestTimestamp(b("key0150"));
        assertTrue(untouched > 0 && untouched < overwrittenAt);
        e.compact();
        assertEquals(0, e.newestTimestamp(b("key0100")),
                "with no snapshot, compaction drops a bottom-level tombstone and the key is fully collected");
        assertEquals(overwrittenAt, e.newestTimestamp(b("key0007")));
        assertEquals(untouched, e.newestTimestamp(b("key0150")));
    }

    // ---------------------------------------------------------------------------------------------
    // changedAfter

    @Test
    void nothingChangedAfterTheLastCommit() {
        Engine e = open();
        assertFalse(e.changedAfter(null, null, 0), "empty engine");
        long last = put(e, "a");
        assertFalse(e.changedAfter(null, null, last));
        assertTrue(e.changedAfter(null, null, last - 1));
    }

    @Test
    void emptyRangeNeverChanged() {
        Engine e = open();
        long before = put(e, "a");
        put(e, "b");
        put(e, "c");
        assertFalse(e.changedAfter(b("b"), b("b"), before), "low == high");
        assertFalse(e.changedAfter(b("c"), b("b"), before), "low > high");
    }

    @Test
    void rangeWithOnlyOlderVersionsDidNotChange() {
        Engine e = open();
        put(e, "b");
        delete(e, "c");
        long snapshot = put(e, "b");
        put(e, "a");
        put(e, "d");
        assertFalse(e.changedAfter(b("b"), b("d"), snapshot));
    }

    @Test
    void newerPutOrDeleteInsideRangeIsAChange() {
        Engine e = open();
        put(e, "b");
        put(e, "c");
        long snapshot = e.lastTimestamp();
        put(e, "c");
        assertTrue(e.changedAfter(b("b"), b("d"), snapshot), "newer put");
        long afterPut = e.lastTimestamp();
        delete(e, "b");
        assertTrue(e.changedAfter(b("b"), b("c"), afterPut), "newer delete");
        assertTrue(e.changedAfter(b("b"), b("b\0"), afterPut), "single-key range");
        assertFalse(e.changedAfter(b("c"), b("d"), afterPut), "the delete is outside this range");
    }

    @Test
    void lowIsInclusiveAndHighExclusive() {
        Engine e = open();
        long snapshot = put(e, "m");
        put(e, "d");
        assertFalse(e.changedAfter(b("a"), b("d"), snapshot), "write at high");
        assertTrue(e.changedAfter(b("d"), b("e"), snapshot), "write at low");
        assertFalse(e.changedAfter(b("d\0"), b("z"), snapshot), "write just below low");
        assertTrue(e.changedAfter(b("a"), b("d\0"), snapshot), "high just above the write");
    }

    @Test
    void keysThatArePrefixesOfEachOtherStayApart() {
        Engine e = open();
        long snapshot = put(e, "z");
        put(e, "a\0");
        assertFalse(e.changedAfter(b("a"), b("a\0"), snapshot), "range holds only \"a\"");
        assertTrue(e.changedAfter(b("a\0"), b("a\0\0"), snapshot));
    }

    @Test
    void unboundedEnds() {
        Engine e = open();
        long snapshot = put(e, "m");
        put(e, "a");
        assertTrue(e.changedAfter(null, b("b"), snapshot));
        assertFalse(e.changedAfter(b("b"), null, snapshot));
        put(e, "z");
        assertTrue(e.changedAfter(b("b"), null, snapshot));
        assertTrue(e.changedAfter(null, null, snapshot));
        assertFalse(e.changedAfter(b("b"), b("y"), snapshot));
    }

    @Test
    void changesAreFoundInSegmentsAndAfterCompaction() {
        Engine e = open();
        for (int i = 0; i < 200; i++) {
            put(e, String.format("key%04d", i));
        }
        try (Snapshot snapshot = e.snapshot()) {
            long ts = snapshot.timestamp();
            put(e, "key0050");
            delete(e, "key0150");
            put(e, "zzz");
            e.flush();
            assertChanges(e, ts);
            e.compact();
            assertChanges(e, ts);
            put(e, "key0199"); // newer version in the memtable, older ones in the last level
            assertTrue(e.changedAfter(b("key0190"), b("key0200"), ts));
            assertFalse(e.changedAfter(b("key0190"), b("key0200"), e.lastTimestamp()));
        }
    }

    private static void assertChanges(Engine e, long ts) {
        assertTrue(e.changedAfter(b("key0000"), b("key0100"), ts), "newer put");
        assertTrue(e.changedAfter(b("key0100"), b("key0200"), ts), "newer delete");
        assertFalse(e.changedAfter(b("key0051"), b("key0150"), ts), "between the two changes");
        assertFalse(e.changedAfter(b("key0000"), b("key0050"), ts), "just below the put");
        assertTrue(e.changedAfter(b("key0200"), null, ts), "newer key after the old ones");
    }

    @Test
    void changesArePickedFromTheRightSourceWhenOlderSegmentsAreSkipped() {
        Engine e = open(noCompaction());
        long first = put(e, "k");
        e.flush();
        long second = put(e, "k");
        e.flush();
        long third = put(e, "j");
        assertTrue(e.changedAfter(b("k"), b("l"), first), "version in the newest segment");
        assertFalse(e.changedAfter(b("k"), b("l"), second), "no segment or memtable is newer for k");
        assertTrue(e.changedAfter(b("j"), b("l"), second), "version in the memtable");
        assertFalse(e.changedAfter(b("j"), b("l"), third));
    }

    // ---------------------------------------------------------------------------------------------
    // Property: against a brute-force model

    sealed interface Op {}

    record Put(int key) implements Op {}

    record Delete(int key) implements Op {}

    record Flush() implements Op {}

    record Compact() implements Op {}

    record TakeSnapshot() implements Op {}

    record ReleaseSnapshot(int snapshot) implements Op {}

    /** Checks both reads at an open snapshot's timestamp plus {@code delta} commits. */
    record Check(int low, int high, int snapshot, int delta, boolean lowOpen, boolean highOpen) implements Op {}

    /** Includes keys that are prefixes of each other, and "" (the smallest key). */
    private static final String[] KEYS = {"", "a", "a\0", "ab", "b", "b\u00ff", "ba", "c", "k1", "k2", "k3", "k4",
        "k5", "k6", "k7", "k8", "k9", "x"};

    private static final int SNAPSHOTS_MAX = 4;

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS.length - 1);
        Arbitrary<Integer> snapshot = Arbitraries.integers().between(0, SNAPSHOTS_MAX - 1);
        Arbitrary<Boolean> unbounded = Arbitraries.integers().between(0, 4).map(i -> i == 0);
        Arbitrary<Op> check = Combinators.combine(key, key, snapshot, Arbitraries.integers().between(0, 6), unbounded,
                unbounded).as(Check::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(30, key.map(Put::new)),
                Tuple.of(10, key.map(Delete::new)),
                Tuple.of(4, Arbitraries.just(new Flush())),
                Tuple.of(2, Arbitraries.just(new Compact())),
                Tuple.of(8, Arbitraries.just(new TakeSnapshot())),
                Tuple.of(2, snapshot.map(ReleaseSnapshot::new)),
                Tuple.of(20, check));
        return op.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 80)
    void conflictReadsMatchModel(@ForAll("operations") List<Op> ops) throws IOException {
        Path propertyDir = Files.createTempDirectory("phantom-conflict");
        TreeMap<byte[], TreeMap<Long, Boolean>> model = new TreeMap<>(Arrays::compareUnsigned); // ts -> isPut
        List<Snapshot> snapshots = new ArrayList<>();
        try (Engine e = Engine.open(RealFileSystem.INSTANCE, propertyDir, small().build())) {
            for (Op op : ops) {
                apply(e, op, model, snapshots);
            }
            snapshots.forEach(Snapshot::close);
        } finally {
            deleteRecursively(propertyDir);
        }
        // Over all tries, both answers must come up, or the model comparison proves little.
        Statistics.label("changedAfter").coverage(coverage -> {
            coverage.check(true).count(n -> n > 0);
            coverage.check(false).count(n -> n > 0);
        });
    }

    private static void apply(Engine e, Op op, TreeMap<byte[], TreeMap<Long, Boolean>> model, List<Snapshot> snapshots) {
        if (op instanceof Put p) {
            long ts = e.write(new WriteBatch().put(b(KEYS[p.key()]), b("v")));
            model.computeIfAbsent(b(KEYS[p.key()]), k -> new TreeMap<>()).put(ts, true);
        } else if (op instanceof Delete d) {
            long ts = e.write(new WriteBatch().delete(b(KEYS[d.key()])));
            model.computeIfAbsent(b(KEYS[d.key()]), k -> new TreeMap<>()).put(ts, false);
        } else if (op instanceof Flush) {
            e.flush();
        } else if (op instanceof Compact) {
            e.compact();
        } else if (op instanceof TakeSnapshot) {
            if (snapshots.size() < SNAPSHOTS_MAX) {
                snapshots.add(e.snapshot());
            }
        } else if (op instanceof ReleaseSnapshot r) {
            if (!snapshots.isEmpty()) {
                snapshots.remove(r.snapshot() % snapshots.size()).close();
            }
        } else if (op instanceof Check c && !snapshots.isEmpty()) {
            check(e, c, model, snapshots.get(c.snapshot() % snapshots.size()).timestamp() + c.delta());
        }
    }

    /** {@code ts} is at or above an open snapshot, so every version newer than it is still stored. */
    private static void check(Engine e, Check c, TreeMap<byte[], TreeMap<Long, Boolean>> model, long ts) {
        byte[] low = c.lowOpen() ? null : b(KEYS[c.low()]);
        byte[] high = c.highOpen() ? null : b(KEYS[c.high()]);
        boolean expected = false;
        for (Map.Entry<byte[], TreeMap<Long, Boolean>> entry : model.entrySet()) {
            boolean inRange = (low == null || Arrays.compareUnsigned(entry.getKey(), low) >= 0)
                    && (high == null || Arrays.compareUnsigned(entry.getKey(), high) < 0);
            expected |= inRange && entry.getValue().lastKey() > ts;
        }
        assertEquals(expected, e.changedAfter(low, high, ts), c + " at " + ts);
        Statistics.label("changedAfter").collect(expected);

        byte[] key = b(KEYS[c.low()]);
        TreeMap<Long, Boolean> history = model.get(key);
        long newest = history == null ? 0 : history.lastKey();
        long actual = e.newestTimestamp(key);
        if (newest > ts) {
            assertEquals(newest, actual, "newestTimestamp " + KEYS[c.low()] + " above snapshot " + ts);
        } else {
            // At or below the horizon a bottom-level tombstone may be collected with everything older.
            boolean newestIsTombstone = history != null && !history.lastEntry().getValue();
            assertTrue(actual == newest || (actual == 0 && newestIsTombstone),
                    "newestTimestamp " + KEYS[c.low()] + ": " + actual + ", model " + newest);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
