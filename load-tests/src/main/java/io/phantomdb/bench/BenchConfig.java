package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line settings of {@link StorageBench}; see {@link #USAGE}. */
final class BenchConfig {

    static final List<String> ALL_ENGINES = List.of("phantom", "rocksdb");
    static final List<String> ALL_PHASES = List.of("fsync", "load", "reads", "scans", "commits");

    static final String USAGE = String.join("\n",
            "usage: StorageBench [options]",
            "  --quick                 smoke run: 20k keys, 2 s phases, 0.5 s warm-up, 1 repeat",
            "  --keys N                keys loaded (default 200000)",
            "  --value-bytes N         value size for load and commits (default 1024)",
            "  --batch N               keys per durable batch during load (default 100)",
            "  --seconds S             measured seconds per timed phase per engine (default 10)",
            "  --warmup S              unmeasured seconds before each timed phase (default 2)",
            "  --fsync-slices N        the raw fsync probe runs interleaved with the first commit row (1 thread):",
            "                          N rounds of probe, Phantom, RocksDB, each seconds/N long (default 5)",
            "  --fsync-seconds S       seconds of the probe when the commit phases are not run (default 5)",
            "  --fsync-bytes N         bytes appended per raw fsync (default 100)",
            "  --repeats N             runs of every phase; the table shows median and min..max (default 1)",
            "  --read-threads LIST     point-read thread counts (default 1,4)",
            "  --scan-threads LIST     scan thread counts (default 4)",
            "  --scan-length N         keys per scan (default 50)",
            "  --commit-threads LIST   durable single-key commit thread counts (default 1,8,32)",
            "  --engines LIST          phantom,rocksdb (default both; an engine that fails to open is skipped)",
            "  --phases LIST           fsync,load,reads,scans,commits (default all; reads/scans/commits need load)",
            "  --block-cache-mib N     block cache of both engines (default 512)",
            "  --bloom-bits N          bloom filter bits per key (default 10)",
            "  --block-bytes N         data block size (default 16384)",
            "  --phantom-wal-preallocate-kib N  Phantom's wal-preallocate-size in KiB, 0 = off (default: the engine's)",
            "  --seed N                seed of the key order and random keys (default 42)",
            "  --dir PATH              parent of the data dirs (default java.io.tmpdir); deleted after",
            "  --keep                  keep the data dirs",
            "  --results-dir PATH      where storage-<date>.md goes (default load-tests/results or ./results)",
            "  --no-file               print the report only",
            "  --timeout-grace S       seconds a phase may overrun before the engine is declared hung (default 120)",
            "  --help");

    boolean quick;
    int keys = 200_000;
    int valueBytes = 1024;
    int batch = 100;
    double seconds = 10;
    double warmup = 2;
    double fsyncSeconds = 5;
    int fsyncBytes = 100;
    int fsyncSlices = 5;
    int repeats = 1;
    int[] readThreads = {1, 4};
    int[] scanThreads = {4};
    int scanLength = 50;
    int[] commitThreads = {1, 8, 32};
    List<String> engines = new ArrayList<>(ALL_ENGINES);
    Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
    long blockCacheBytes = 512L << 20;
    int bloomBitsPerKey = 10;
    int blockBytes = 16 * 1024;
    /** Phantom's EngineOptions.walPreallocateBytes; null = the engine's default. For A/B runs of D12. */
    Long phantomWalPreallocateBytes;
    long seed = 42;
    Path dir;
    boolean keep;
    Path resultsDir;
    boolean writeFile = true;
    double timeoutGrace = 120;
    final List<String> args = new ArrayList<>();

    static BenchConfig parse(String[] argv) {
        BenchConfig c = new BenchConfig();
        c.args.addAll(Arrays.asList(argv));
        if (c.args.contains("--quick")) {
            c.quick = true;
            c.keys = 20_000;
            c.seconds = 2;
            c.warmup = 0.5;
            c.fsyncSeconds = 2;
        }
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--quick" -> { }
                case "--keys" -> c.keys = Integer.parseInt(value(argv, ++i, a));
                case "--value-bytes" -> c.valueBytes = Integer.parseInt(value(argv, ++i, a));
                case "--batch" -> c.batch = Integer.parseInt(value(argv, ++i, a));
                case "--seconds" -> c.seconds = Double.parseDouble(value(argv, ++i, a));
                case "--warmup" -> c.warmup = Double.parseDouble(value(argv, ++i, a));
                case "--fsync-seconds" -> c.fsyncSeconds = Double.parseDouble(value(argv, ++i, a));
                case "--fsync-bytes" -> c.fsyncBytes = Integer.parseInt(value(argv, ++i, a));
                case "--fsync-slices" -> c.fsyncSlices = Integer.parseInt(value(argv, ++i, a));
                case "--repeats" -> c.repeats = Integer.parseInt(value(argv, ++i, a));
                case "--read-threads" -> c.readThreads = ints(value(argv, ++i, a));
                case "--scan-threads" -> c.scanThreads = ints(value(argv, ++i, a));
                case "--scan-length" -> c.scanLength = Integer.parseInt(value(argv, ++i, a));
                case "--commit-threads" -> c.commitThreads = ints(value(argv, ++i, a));
                case "--engines" -> c.engines = names(value(argv, ++i, a), ALL_ENGINES, a);
                case "--phases" -> c.phases = new LinkedHashSet<>(names(value(argv, ++i, a), ALL_PHASES, a));
                case "--block-cache-mib" -> c.blockCacheBytes = Long.parseLong(value(argv, ++i, a)) << 20;
                case "--bloom-bits" -> c.bloomBitsPerKey = Integer.parseInt(value(argv, ++i, a));
                case "--block-bytes" -> c.blockBytes = Integer.parseInt(value(argv, ++i, a));
                case "--phantom-wal-preallocate-kib" ->
                        c.phantomWalPreallocateBytes = Long.parseLong(value(argv, ++i, a)) << 10;
                case "--seed" -> c.seed = Long.parseLong(value(argv, ++i, a));
                case "--dir" -> c.dir = Path.of(value(argv, ++i, a));
                case "--keep" -> c.keep = true;
                case "--results-dir" -> c.resultsDir = Path.of(value(argv, ++i, a));
                case "--no-file" -> c.writeFile = false;
                case "--timeout-grace" -> c.timeoutGrace = Double.parseDouble(value(argv, ++i, a));
                case "--help", "-h" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (c.keys < 2 * c.scanLength || c.batch < 1 || c.valueBytes < 1 || c.repeats < 1 || c.seconds <= 0
                || c.warmup < 0 || c.fsyncSeconds <= 0 || c.fsyncBytes < 1 || c.fsyncSlices < 1) {
            throw new UsageException("out of range: keys >= 2*scan-length, batch, value-bytes, repeats >= 1, "
                    + "seconds > 0, warmup >= 0, fsync-seconds > 0");
        }
        if (!c.phases.contains("load") && (c.phases.contains("reads") || c.phases.contains("scans")
                || c.phases.contains("commits"))) {
            throw new UsageException("reads, scans and commits need the load phase (fresh data dirs each repeat)");
        }
        return c;
    }

    String describe() {
        return String.format(Locale.ROOT,
                "%s: %,d keys x %,d B values, load in %d-key durable batches, %s s timed phases after %s s warm-up, "
                        + "%d repeat%s, seed %d",
                quick ? "quick" : "full", keys, valueBytes, batch, trim(seconds), trim(warmup), repeats,
                repeats == 1 ? "" : "s", seed);
    }

    static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new UsageException(option + " needs a value");
        }
        return argv[i];
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    private static List<String> names(String list, List<String> allowed, String option) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            if (!allowed.contains(n)) {
                throw new UsageException(option + ": unknown " + n + " (one of " + allowed + ")");
            }
            out.add(n);
        }
        return out;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
