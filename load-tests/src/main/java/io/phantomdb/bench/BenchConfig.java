package io.phantomdb.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line settings of {@link StorageBench}; see {@link #USAGE}. */
final class BenchConfig extends RunOptions {

    static final List<String> ALL_ENGINES = List.of("phantom", "rocksdb");
    static final List<String> ALL_PHASES = List.of("fsync", "load", "reads", "scans", "commits");

    static final String USAGE = String.join("\n",
            "usage: StorageBench [options]",
            "  --quick                 smoke run: 20k keys, 2 s phases, 0.5 s warm-up, 1 repeat",
            "  --keys N                keys loaded (default 200000)",
            "  --value-bytes N         value size for load and commits (default 1024)",
            "  --batch N               keys per durable batch during load (default 100)",
            "  --fsync-slices N        the raw fsync probe runs interleaved with the first commit row (1 thread):",
            "                          N rounds of probe, Phantom, RocksDB, each seconds/N long (default 5)",
            "  --fsync-seconds S       seconds of the probe when the commit phases are not run (default 5)",
            "  --fsync-bytes N         bytes appended per raw fsync (default 100)",
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
            String.format(COMMON_USAGE, "10", "storage"));

    int keys = 200_000;
    int valueBytes = 1024;
    int batch = 100;
    double fsyncSeconds = 5;
    int fsyncBytes = 100;
    int fsyncSlices = 5;
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

    static BenchConfig parse(String[] argv) {
        BenchConfig c = new BenchConfig();
        if (c.start(argv)) {
            c.keys = 20_000;
            c.fsyncSeconds = 2;
        }
        c.parseAll(argv);
        if (c.keys < 2 * c.scanLength || c.batch < 1 || c.valueBytes < 1 || !c.commonInRange()
                || c.fsyncSeconds <= 0 || c.fsyncBytes < 1 || c.fsyncSlices < 1) {
            throw new UsageException("out of range: keys >= 2*scan-length, batch, value-bytes, repeats >= 1, "
                    + "seconds > 0, warmup >= 0, fsync-seconds > 0");
        }
        if (!c.phases.contains("load") && (c.phases.contains("reads") || c.phases.contains("scans")
                || c.phases.contains("commits"))) {
            throw new UsageException("reads, scans and commits need the load phase (fresh data dirs each repeat)");
        }
        return c;
    }

    @Override
    int parseOwn(String[] argv, int i) {
        String a = argv[i];
        switch (a) {
            case "--keys" -> keys = Integer.parseInt(value(argv, ++i, a));
            case "--value-bytes" -> valueBytes = Integer.parseInt(value(argv, ++i, a));
            case "--batch" -> batch = Integer.parseInt(value(argv, ++i, a));
            case "--fsync-seconds" -> fsyncSeconds = Double.parseDouble(value(argv, ++i, a));
            case "--fsync-bytes" -> fsyncBytes = Integer.parseInt(value(argv, ++i, a));
            case "--fsync-slices" -> fsyncSlices = Integer.parseInt(value(argv, ++i, a));
            case "--read-threads" -> readThreads = ints(value(argv, ++i, a));
            case "--scan-threads" -> scanThreads = ints(value(argv, ++i, a));
            case "--scan-length" -> scanLength = Integer.parseInt(value(argv, ++i, a));
            case "--commit-threads" -> commitThreads = ints(value(argv, ++i, a));
            case "--engines" -> engines = names(value(argv, ++i, a), ALL_ENGINES, a);
            case "--phases" -> phases = new LinkedHashSet<>(names(value(argv, ++i, a), ALL_PHASES, a));
            case "--block-cache-mib" -> blockCacheBytes = Long.parseLong(value(argv, ++i, a)) << 20;
            case "--bloom-bits" -> bloomBitsPerKey = Integer.parseInt(value(argv, ++i, a));
            case "--block-bytes" -> blockBytes = Integer.parseInt(value(argv, ++i, a));
            case "--phantom-wal-preallocate-kib" ->
                    phantomWalPreallocateBytes = Long.parseLong(value(argv, ++i, a)) << 10;
            default -> {
                return -1;
            }
        }
        return i;
    }

    String describe() {
        return String.format(Locale.ROOT,
                "%s: %,d keys x %,d B values, load in %d-key durable batches, %s s timed phases after %s s warm-up, "
                        + "%d repeat%s, seed %d",
                quick ? "quick" : "full", keys, valueBytes, batch, trim(seconds), trim(warmup), repeats,
                repeats == 1 ? "" : "s", seed);
    }
}
