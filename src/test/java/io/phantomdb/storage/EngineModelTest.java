package io.phantomdb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Goal: the engine behaves exactly like a sorted multi-version map, whatever the interleaving of writes,
 * deletes, snapshot reads, scans in both directions, flushes, compactions, and close/reopen.
 *
 * <p>Method: jqwik generates operation lists over a small key space (with keys that are prefixes of
 * each other, so ordering edge cases come up), runs them against the engine with tiny memtables and
 * blocks (many segments and levels) and against an in-memory model (key -> versions by timestamp), and
 * compares every read. jqwik shrinks a failing list to a minimal one.
 */
class EngineModelTest {

    sealed interface Op {}

    record Put(int key, String value) implements Op {}

    record Delete(int key) implements Op {}

    record Batch(List<Tuple.Tuple2<Integer, String>> writes) implements Op {}

    record Get(int key) implements Op {}

    record TakeSnapshot() implements Op {}

    record ReadSnapshot(int snapshot, int key) implements Op {}

    record ReleaseSnapshot(int snapshot) implements Op {}

    record Scan(int low, int high, boolean reverse, boolean atSnapshot) implements Op {}

    record Flush() implements Op {}

    record Compact() implements Op {}

    record Reopen() implements Op {}

    /** Keys chosen so that some are prefixes of others: "", "a", "a\0", "ab", "b", ... */
    private static final byte[][] KEYS = buildKeys();

    private static byte[][] buildKeys() {
        List<byte[]> keys = new ArrayList<>();
        String[] stems = {"", "a", "a\0", "a\0\0", "ab", "abc", "b", "b\u00ff", "ba", "c"};
        for (String stem : stems) {
            keys.add(stem.getBytes(StandardCharsets.ISO_8859_1));
        }
        for (int i = 0; i < 30; i++) {
            keys.add(String.format("k%03d", i * 7).getBytes(StandardCharsets.ISO_8859_1));
        }
        return keys.toArray(new byte[0][]);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS.length - 1);
        Arbitrary<String> value = Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(40)
                .injectDuplicates(0.1).map(v -> v + "#");
        Arbitrary<Integer> snapshot = Arbitraries.integers().between(0, 7);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(30, Combinators.combine(key, value).as(Put::new)),
                Tuple.of(8, key.map(Delete::new)),
                Tuple.of(6, Combinators.combine(key, value).as(Tuple::of).list().ofMinSize(1).ofMaxSize(6)
                        .map(Batch::new)),
                Tuple.of(12, key.map(Get::new)),
                Tuple.of(3, Arbitraries.just(new TakeSnapshot())),
                Tuple.of(8, Combinators.combine(snapshot, key).as(ReadSnapshot::new)),
                Tuple.of(2, snapshot.map(ReleaseSnapshot::new)),
                Tuple.of(6, Combinators.combine(key, key, Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as(Scan::new)),
                Tuple.of(3, Arbitraries.just(new Flush())),
                Tuple.of(2, Arbitraries.just(new Compact())),
                Tuple.of(2, Arbitraries.just(new Reopen())));
        return op.list().ofMinSize(1).ofMaxSize(250);
    }

    @Property(tries = 60)
    void engineMatchesModelWithInlineBackgroundWork(@ForAll("operations") List<Op> ops) throws IOException {
        run(ops, options().backgroundWork(false).build());
    }

    @Property(tries = 30)
    void engineMatchesModelWithBackgroundThreads(@ForAll("operations") List<Op> ops) throws IOException {
        run(ops, options().backgroundWork(true).build());
    }

    private static EngineOptions.Builder options() {
        return EngineOptions.builder().durability(Durability.OFF).memtableBytes(4096).blockBytes(256)
                .targetSegmentBytes(2048).levelBaseBytes(8192).levelMultiplier(2).l0CompactionTrigger(2)
                .l0SlowdownTrigger(3).l0StopTrigger(6).bloomBitsPerKey(4).blockCacheBytes(64 * 1024);
    }

    private void run(List<Op> ops, EngineOptions options) throws IOException {
        Path dir = Files.createTempDirectory("phantom-model");
        Model model = new Model();
        List<Snapshot> snapshots = new ArrayList<>();
        Engine engine = Engine.open(RealFileSystem.INSTANCE, dir, options);
        try {
            for (Op op : ops) {
                engine = apply(engine, op, model, snapshots, dir, options);
            }
            assertScan(engine, model, null, null, Long.MAX_VALUE, false, "final scan");
            assertScan(engine, model, null, null, Long.MAX_VALUE, true, "final reverse scan");
        } finally {
            engine.close();
            deleteRecursively(dir);
        }
    }

    private Engine apply(Engine engine, Op op, Model model, List<Snapshot> snapshots, Path dir,
            EngineOptions options) {
        if (op instanceof Put p) {
            long ts = engine.write(new WriteBatch().put(KEYS[p.key()], bytes(p.value())));
            model.write(ts, KEYS[p.key()], bytes(p.value()));
        } else if (op instanceof Delete d) {
            long ts = engine.write(new WriteBatch().delete(KEYS[d.key()]));
            model.write(ts, KEYS[d.key()], null);
        } else if (op instanceof Batch b) {
            WriteBatch batch = new WriteBatch();
            b.writes().forEach(w -> batch.put(KEYS[w.get1()], bytes(w.get2())));
            long ts = engine.write(batch);
            b.writes().forEach(w -> model.write(ts, KEYS[w.get1()], bytes(w.get2())));
        } else if (op instanceof Get g) {
            assertArrayEquals(model.read(KEYS[g.key()], Long.MAX_VALUE), engine.get(KEYS[g.key()]), "get " + g);
        } else if (op instanceof TakeSnapshot) {
            if (snapshots.size() < 8) {
                snapshots.add(engine.snapshot());
            }
        } else if (op instanceof ReadSnapshot r) {
            if (!snapshots.isEmpty()) {
                long ts = snapshots.get(r.snapshot() % snapshots.size()).timestamp();
                assertArrayEquals(model.read(KEYS[r.key()], ts), engine.get(KEYS[r.key()], ts), "read " + r + " at " + ts);
            }
        } else if (op instanceof ReleaseSnapshot r) {
            if (!snapshots.isEmpty()) {
                snapshots.remove(r.snapshot() % snapshots.size()).close();
            }
        } else if (op instanceof Scan s) {
            long ts = s.atSnapshot() && !snapshots.isEmpty() ? snapshots.get(0).timestamp() : Long.MAX_VALUE;
            // KEYS is not in byte order ("b\xff" sorts after "ba"), so order the bounds by bytes.
            boolean inOrder = Arrays.compareUnsigned(KEYS[s.low()], KEYS[s.high()]) <= 0;
            byte[] low = inOrder ? KEYS[s.low()] : KEYS[s.high()];
            byte[] high = inOrder ? KEYS[s.high()] : KEYS[s.low()];
            assertScan(engine, model, low, high, ts, s.reverse(), op.toString());
        } else if (op instanceof Flush) {
            engine.flush();
        } else if (op instanceof Compact) {
            engine.compact();
        } else if (op instanceof Reopen) {
            snapshots.forEach(Snapshot::close);
            snapshots.clear();
            engine.close();
            engine = Engine.open(RealFileSystem.INSTANCE, dir, options);
        }
        return engine;
    }

    private static void assertScan(Engine engine, Model model, byte[] low, byte[] high, long ts, boolean reverse,
            String what) {
        List<String> expected = model.scan(low, high, ts, reverse);
        List<String> actual = new ArrayList<>();
        try (KvIterator it = engine.scan(low, high, ts, reverse)) {
            while (it.next()) {
                actual.add(show(it.key()) + "=" + show(it.value()));
            }
        }
        assertEquals(expected, actual, what);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String show(byte[] b) {
        return b == null ? "null" : Arrays.toString(b);
    }

    /** Key -> (timestamp -> value, null for a tombstone). */
    private static final class Model {
        private final TreeMap<byte[], TreeMap<Long, byte[]>> versions = new TreeMap<>(Arrays::compareUnsigned);

        void write(long ts, byte[] key, byte[] value) {
            versions.computeIfAbsent(key, k -> new TreeMap<>()).put(ts, value);
        }

        byte[] read(byte[] key, long ts) {
            TreeMap<Long, byte[]> history = versions.get(key);
            if (history == null) {
                return null;
            }
            Map.Entry<Long, byte[]> e = history.floorEntry(ts);
            return e == null ? null : e.getValue();
        }

        List<String> scan(byte[] low, byte[] high, long ts, boolean reverse) {
            NavigableMap<byte[], TreeMap<Long, byte[]>> range = versions;
            if (low != null) {
                range = range.tailMap(low, true);
            }
            if (high != null) {
                range = range.headMap(high, false);
            }
            if (reverse) {
                range = range.descendingMap();
            }
            List<String> out = new ArrayList<>();
            for (byte[] key : range.keySet()) {
                byte[] value = read(key, ts);
                if (value != null) {
                    out.add(show(key) + "=" + show(value));
                }
            }
            return out;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
