package io.phantomdb.bench;

import static io.phantomdb.bench.BenchRun.deleteQuietly;
import static io.phantomdb.bench.BenchRun.log;
import static io.phantomdb.bench.BenchRun.secondsSince;

import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.Timed.Op;
import io.phantomdb.bench.Timed.PhaseFailure;
import io.phantomdb.bench.Timed.Sample;
import io.phantomdb.storage.EngineOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Storage benchmark: Phantom's engine and RocksDB in one JVM, on the same data, with the same settings and
 * the same driver code (see load-tests/README.md). Phases per engine and repeat, on a fresh data dir:
 * load (durable batches), flush + compact, one warm-up read of every key, point reads, scans, durable
 * single-key commits. Before each repeat it probes the disk's raw fsync rate. Prints a markdown table and
 * writes it to {@code results/storage-<date>.md}.
 */
public final class StorageBench {

    private final BenchConfig config;
    private final EngineOptions phantomOptions;
    private final Results results = new Results();
    private final byte[][] keys;
    private final int[] loadOrder;
    private final ValuePool values;
    private final Path root;

    private StorageBench(BenchConfig config, Path root) {
        this.config = config;
        this.root = root;
        this.phantomOptions = PhantomStore.options(config);
        this.keys = ValuePool.keys(config.keys);
        this.loadOrder = ValuePool.permutation(config.keys, config.seed);
        this.values = new ValuePool(config.valueBytes, config.seed + 1);
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchRun.parseOrExit(BenchConfig::parse, BenchConfig.USAGE, args);
        Path root = BenchRun.dataRoot(config.dir, config.keep, "phantom-bench-");
        log(config.describe());
        StorageBench bench = new StorageBench(config, root);
        bench.run();
        String report = new Report(config, bench.results, bench.phantomOptions, root).markdown();
        System.out.println(report);
        if (config.writeFile) {
            Path file = BenchRun.write(config.resultsDir, "storage", config.quick, report);
            log("report written to " + file.toAbsolutePath().normalize());
        }
        System.exit(0);
    }

    /** An engine open during one repeat. */
    private static final class Live {
        final String engine;
        final String name;
        final Path dir;
        final Store store;
        boolean usable = true;

        Live(String engine, Path dir, Store store) {
            this.engine = engine;
            this.name = displayName(engine);
            this.dir = dir;
            this.store = store;
        }
    }

    /**
     * Per repeat: fsync probe; open both engines on fresh dirs; load each; then every timed row on one engine
     * right after the other, so both see the same background load of the machine; close both. The engine
     * that goes first alternates between repeats.
     */
    private void run() throws Exception {
        results.engines.addAll(config.engines.stream().map(StorageBench::displayName).toList());
        defineRows();
        double callTimeout = Math.max(600, config.timeoutGrace);
        for (int r = 0; r < config.repeats; r++) {
            String tag = "[" + (r + 1) + "/" + config.repeats + "]";
            results.currentRepeat = r;
            loadAverage();
            boolean probeFsync = config.phases.contains("fsync");
            List<String> order = new ArrayList<>(config.engines);
            if (r % 2 == 1) {
                Collections.reverse(order);
            }
            List<Live> live = new ArrayList<>();
            for (String engine : order) {
                if (!results.skipped.containsKey(displayName(engine))) {
                    Live l = open(engine, r, tag, callTimeout);
                    if (l != null) {
                        live.add(l);
                    }
                }
            }
            try {
                if (config.phases.contains("load")) {
                    for (Live l : live) {
                        l.usable = load(l.store, l.name, tag, callTimeout);
                    }
                }
                boolean firstCommitRow = true;
                for (Row row : results.rows) {
                    if (row.phase().equals("load")) {
                        continue;
                    }
                    if (probeFsync && firstCommitRow && row.phase().equals("commits")) {
                        pairedCommitRow(row, live, r, tag);
                        firstCommitRow = false;
                        probeFsync = false;
                        continue;
                    }
                    for (Live l : live) {
                        if (!l.usable) {
                            continue;
                        }
                        loadAverage();
                        l.usable = row(l.store, l.name, tag, row.phase(), row.threads(), opFactory(row.phase(), l.store));
                    }
                }
                if (probeFsync) {
                    fsyncProbe(r, tag);
                }
            } finally {
                for (Live l : live) {
                    close(l, r, tag, callTimeout);
                }
                System.gc();
            }
        }
    }

    private Timed.OpFactory opFactory(String phase, Store store) {
        return switch (phase) {
            case "reads" -> readOp(store);
            case "scans" -> scanOp(store);
            case "commits" -> commitOp(store);
            default -> throw new IllegalArgumentException(phase);
        };
    }

    private void loadAverage() {
        BenchRun.sampleLoadAverage(results.loadAverages);
    }

    private void defineRows() {
        if (config.phases.contains("load")) {
            results.row("load", 1);
        }
        if (config.phases.contains("reads")) {
            for (int t : config.readThreads) {
                results.row("reads", t);
            }
        }
        if (config.phases.contains("scans")) {
            for (int t : config.scanThreads) {
                results.row("scans", t);
            }
        }
        if (config.phases.contains("commits")) {
            for (int t : config.commitThreads) {
                results.row("commits", t);
            }
        }
    }

    static String displayName(String engine) {
        return engine.equals("phantom") ? "Phantom" : "RocksDB";
    }

    private Store open(String engine, Path dir) throws Exception {
        return engine.equals("phantom") ? PhantomStore.open(dir, phantomOptions)
                : RocksStore.open(dir, config, phantomOptions);
    }

    private Live open(String engine, int repeat, String tag, double callTimeout) throws IOException {
        String name = displayName(engine);
        Path dir = root.resolve(engine + "-r" + (repeat + 1));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try {
            Store store = Timed.call("open", () -> open(engine, dir), callTimeout);
            results.note(name, "open s", secondsSince(t0));
            return new Live(engine, dir, store);
        } catch (PhaseFailure e) {
            String reason = "open failed: " + e.getMessage();
            results.skipped.put(name, reason);
            log(tag + " " + name + " SKIPPED: " + reason);
            if (e.getCause() != null && !(e.getCause() instanceof io.phantomdb.storage.StorageException)) {
                e.getCause().printStackTrace();
            }
            deleteQuietly(dir);
            return null;
        }
    }

    private void close(Live l, int repeat, String tag, double callTimeout) {
        if (l.usable) {
            results.note(l.name, "shape at the end", safe(l.store::shape));
        } else {
            for (Row row : results.rows) {
                if (results.error(row, l.name) == null && results.samples(row, l.name).size() <= repeat) {
                    results.error(row, l.name, "not run: an earlier phase hung or failed");
                }
            }
        }
        try {
            long c0 = System.nanoTime();
            Timed.call("close", () -> {
                l.store.close();
                return null;
            }, l.usable ? callTimeout : 30);
            results.note(l.name, "close s", secondsSince(c0));
        } catch (PhaseFailure e) {
            log(tag + " " + l.name + " close failed: " + e.getMessage());
            results.note(l.name, "close", "failed: " + e.getMessage());
        }
        if (!config.keep) {
            deleteQuietly(l.dir);
        }
    }

    /** Load, flush + compact, warm-up read of every key. False if the engine failed or hung. */
    private boolean load(Store store, String name, String tag, double callTimeout) {
        Row row = results.row("load", 1);
        AtomicLong progress = new AtomicLong();
        Histogram batches = new Histogram(3);
        long t0 = System.nanoTime();
        try {
            Timed.callWatched("load", () -> {
                for (int from = 0; from < keys.length; from += config.batch) {
                    int to = Math.min(keys.length, from + config.batch);
                    long s = System.nanoTime();
                    store.writeBatch(keys, loadOrder, from, to, values);
                    batches.recordValue(System.nanoTime() - s);
                    progress.set(to);
                }
                return null;
            }, progress, config.timeoutGrace);
        } catch (PhaseFailure e) {
            results.error(row, name, e.getMessage());
            log(tag + " " + name + " load FAILED: " + e.getMessage());
            return false;
        }
        double seconds = secondsSince(t0);
        Sample sample = Sample.of(keys.length, seconds, batches);
        results.add(row, name, sample);
        results.note(name, "load s", seconds);
        log(String.format(Locale.ROOT, "%s %-7s load: %,.0f keys/s in %.1f s (batch p50 %.0f us, p99 %.0f us)",
                tag, name, sample.opsPerSec(), seconds, sample.p50us(), sample.p99us()));
        try {
            long f0 = System.nanoTime();
            Timed.call("flush+compact", () -> {
                store.flushAndCompact();
                return null;
            }, callTimeout);
            results.note(name, "flush+compact s", secondsSince(f0));
            results.note(name, "shape after compaction", safe(store::shape));
            long w0 = System.nanoTime();
            Timed.call("warm-up", () -> {
                for (int id = 0; id < keys.length; id++) {
                    checkValue(store.get(keys[id]), id);
                }
                return null;
            }, callTimeout);
            double warm = secondsSince(w0);
            results.note(name, "warm-up pass s", warm);
            log(String.format(Locale.ROOT, "%s %-7s flush+compact and warm-up read of all keys done (warm-up %.1f s); %s",
                    tag, name, warm, safe(store::shape)));
            return true;
        } catch (PhaseFailure e) {
            for (Row r : results.rows) {
                if (!r.phase().equals("load")) {
                    results.error(r, name, "not run: flush/compact/warm-up failed: " + e.getMessage());
                }
            }
            log(tag + " " + name + " flush/compact/warm-up FAILED: " + e.getMessage());
            return false;
        }
    }

    /** One timed row; false if the engine hung (later phases are skipped). */
    private boolean row(Store store, String name, String tag, String phase, int threads, Timed.OpFactory ops) {
        Row row = results.row(phase, threads);
        Map<String, Long> before = counters(store);
        try {
            Sample s = Timed.run(threads, ops, config.warmup, config.seconds, config.timeoutGrace);
            s = s.withCounters(Results.delta(before, counters(store)));
            results.add(row, name, s);
            logRow(tag, name, phase, threads, s);
            return true;
        } catch (PhaseFailure e) {
            results.error(row, name, e.getMessage());
            log(tag + " " + name + " " + phase + " x" + threads + " FAILED: " + e.getMessage());
            return !e.hung;
        }
    }

    private static void logRow(String tag, String name, String phase, int threads, Sample s) {
        log(String.format(Locale.ROOT, "%s %-7s %-8s x%-2d: %,12.0f ops/s  p50 %,9.1f us  p99 %,9.1f us  %s",
                tag, name, phase, threads, s.opsPerSec(), s.p50us(), s.p99us(), s.counters()));
    }

    private Timed.OpFactory readOp(Store store) {
        return thread -> {
            SplittableRandom random = new SplittableRandom(config.seed * 31 + 1000 + thread);
            return (Op) () -> {
                int id = random.nextInt(keys.length);
                checkValue(store.get(keys[id]), id);
            };
        };
    }

    private Timed.OpFactory scanOp(Store store) {
        return thread -> {
            SplittableRandom random = new SplittableRandom(config.seed * 31 + 2000 + thread);
            int starts = keys.length - config.scanLength + 1;
            return (Op) () -> {
                int id = random.nextInt(starts);
                int n = store.scan(keys[id], config.scanLength);
                if (n != config.scanLength) {
                    throw new IllegalStateException("scan from key " + id + " returned " + n + " entries, expected "
                            + config.scanLength);
                }
            };
        };
    }

    private Timed.OpFactory commitOp(Store store) {
        return thread -> {
            SplittableRandom random = new SplittableRandom(config.seed * 31 + 3000 + thread);
            return (Op) () -> {
                int id = random.nextInt(keys.length);
                store.put(keys[id], values.forKey(random.nextInt(ValuePool.POOL)));
            };
        };
    }

    private void checkValue(byte[] value, int id) {
        if (value == null || value.length != config.valueBytes) {
            throw new IllegalStateException("key " + id + ": " + (value == null ? "missing" : value.length + " bytes"));
        }
        Blackhole.consume(value);
    }

    /**
     * The raw fsync probe: one thread appends {@code --fsync-bytes} to a file on the data disk and calls
     * {@code FileChannel.force(false)} (fdatasync, what both engines use), in a loop.
     */
    private final class FsyncProbe implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(config.fsyncBytes);
        private long position;

        FsyncProbe(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        Timed.OpFactory ops() {
            return thread -> () -> {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(false);
            };
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // best effort
            }
            deleteQuietly(file);
        }
    }

    /** A probe on its own (when the commit phases are not run). */
    private void fsyncProbe(int repeat, String tag) {
        try (FsyncProbe probe = new FsyncProbe(root.resolve("fsync-probe-" + (repeat + 1) + ".dat"))) {
            Sample s = Timed.run(1, probe.ops(), Math.min(config.warmup, 1), config.fsyncSeconds, config.timeoutGrace);
            results.addFsync(s);
            logFsync(tag, s);
        } catch (IOException | PhaseFailure e) {
            log(tag + " raw fsync probe FAILED: " + e.getMessage());
        }
    }

    private void logFsync(String tag, Sample s) {
        log(String.format(Locale.ROOT, "%s raw fsync (%d B append + force(false)): %,.0f/s  p50 %.1f us  p99 %.1f us",
                tag, config.fsyncBytes, s.opsPerSec(), s.p50us(), s.p99us()));
    }

    /**
     * The 1-thread commit row with the raw fsync probe interleaved: {@code --fsync-slices} rounds, each
     * running the probe and each engine for {@code seconds / slices} (the order rotating every round), so
     * the "% of raw fsync" target compares rates measured under the same disk conditions: this virtual
     * disk's fsync latency drifts several-fold within a minute when other jobs write.
     */
    private void pairedCommitRow(Row row, List<Live> live, int repeat, String tag) {
        int slices = config.fsyncSlices;
        double slice = config.seconds / slices;
        List<Sample> probeParts = new ArrayList<>();
        Map<Live, List<Sample>> parts = new LinkedHashMap<>();
        Map<Live, Map<String, Long>> before = new LinkedHashMap<>();
        java.util.Set<Live> failed = new java.util.HashSet<>();
        for (Live l : live) {
            parts.put(l, new ArrayList<>());
            before.put(l, counters(l.store));
        }
        loadAverage();
        try (FsyncProbe probe = new FsyncProbe(root.resolve("fsync-probe-" + (repeat + 1) + ".dat"))) {
            for (int i = 0; i < slices; i++) {
                List<Object> sequence = new ArrayList<>();
                sequence.add(probe);
                sequence.addAll(live);
                Collections.rotate(sequence, -(i % sequence.size()));
                double warm = i == 0 ? config.warmup : Math.min(config.warmup, 0.1);
                for (Object o : sequence) {
                    if (o == probe) {
                        try {
                            probeParts.add(Timed.run(1, probe.ops(), warm, slice, config.timeoutGrace));
                        } catch (PhaseFailure e) {
                            log(tag + " raw fsync probe FAILED: " + e.getMessage());
                        }
                        continue;
                    }
                    Live l = (Live) o;
                    if (!l.usable || failed.contains(l)) {
                        continue;
                    }
                    try {
                        parts.get(l).add(Timed.run(row.threads(), commitOp(l.store), warm, slice, config.timeoutGrace));
                    } catch (PhaseFailure e) {
                        results.error(row, l.name, e.getMessage());
                        log(tag + " " + l.name + " commits x" + row.threads() + " FAILED: " + e.getMessage());
                        l.usable = !e.hung;
                        failed.add(l);
                    }
                }
            }
        } catch (IOException e) {
            log(tag + " raw fsync probe FAILED: " + e.getMessage());
        }
        if (!probeParts.isEmpty()) {
            Sample s = Sample.merge(probeParts);
            results.addFsync(s);
            logFsync(tag + " interleaved", s);
        }
        for (Live l : live) {
            if (!parts.get(l).isEmpty() && !failed.contains(l)) {
                Sample s = Sample.merge(parts.get(l)).withCounters(Results.delta(before.get(l), counters(l.store)));
                results.add(row, l.name, s);
                logRow(tag, l.name, row.phase() + "*", row.threads(), s);
            }
        }
    }

    private static Map<String, Long> counters(Store store) {
        try {
            return store.counters();
        } catch (Exception e) {
            return Map.of();
        }
    }

    interface ThrowingSupplier {
        String get() throws Exception;
    }

    private static String safe(ThrowingSupplier s) {
        try {
            return s.get();
        } catch (Exception e) {
            return "n/a (" + e.getClass().getSimpleName() + ")";
        }
    }
}
