package io.phantomdb.bench;

import static io.phantomdb.bench.BenchRun.log;
import static io.phantomdb.bench.BenchRun.secondsSince;

import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.Timed.Op;
import io.phantomdb.bench.Timed.PhaseFailure;
import io.phantomdb.bench.Timed.Sample;
import io.phantomdb.bench.TxnTarget.TxnSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Durable transaction commit benchmark: Phantom-DB (embedded {@code Session} API: BEGIN; UPDATE by primary
 * key per row; COMMIT), PostgreSQL (a throwaway local cluster, when installed), SQLite and H2 (JDBC,
 * autocommit off) in one JVM, on the same table, with the same driver code, the same keys and the same retry
 * loop (see load-tests/README.md). Rows of the report: transactions of 1 and 10 rows, on a uniform key space
 * (the whole table) and a hot one (its first 100 rows, above 1 thread), at 1, 8 and 32 threads. A
 * transaction that fails with a retryable error is rolled back and run again with the same keys; the
 * aborted attempts are counted per code, and the latency of a transaction runs from its first BEGIN to its
 * successful COMMIT. After every row, SUM(val) must equal the committed row updates (no lost update).
 * Prints a markdown report and writes it to {@code results/txn-<date>.md}.
 */
public final class TxnBench {

    /** A 100-character pad, the same in every row of every engine. */
    static final String PAD = "x".repeat(100);

    private final TxnBenchConfig config;
    private final Path root;
    private final Results results = new Results();
    /** engine -> its settings line, for the report. */
    final Map<String, String> settings = new LinkedHashMap<>();

    private TxnBench(TxnBenchConfig config, Path root) {
        this.config = config;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        TxnBenchConfig config = BenchRun.parseOrExit(TxnBenchConfig::parse, TxnBenchConfig.USAGE, args);
        Path root = BenchRun.dataRoot(config.dir, config.keep, "phantom-txnbench-");
        log(config.describe());
        TxnBench bench = new TxnBench(config, root);
        bench.run();
        String report = new TxnReport(config, bench.results, bench.settings, root).markdown();
        System.out.println(report);
        if (config.writeFile) {
            Path file = BenchRun.write(config.resultsDir, "txn", config.quick, report);
            log("report written to " + file.toAbsolutePath().normalize());
        }
        System.exit(0);
    }

    /** An engine to run: which one, its report name, and for Phantom the table's partition count. */
    record Spec(String engine, String name, int partitions) {
        String dirName(int repeat) {
            return engine + (engine.equals("phantom") ? "-p" + partitions : "") + "-r" + (repeat + 1);
        }
    }

    /** An engine open during one repeat, with what its threads did since its load. */
    private static final class Live {
        final Spec spec;
        final TxnTarget target;
        final TxnCounters counters = new TxnCounters();
        /** SUM(val) minus the committed row updates; 0 unless a check failed (then later rows check their own). */
        long sumOffset;
        boolean usable = true;

        Live(Spec spec, TxnTarget target) {
            this.spec = spec;
            this.target = target;
        }
    }

    /** A row's phase name: "&lt;rows per transaction&gt;:&lt;key space&gt;". */
    static String phase(int txnRows, String keyspace) {
        return txnRows + ":" + keyspace;
    }

    static int txnRows(Row row) {
        return Integer.parseInt(row.phase().substring(0, row.phase().indexOf(':')));
    }

    static String keyspace(Row row) {
        return row.phase().substring(row.phase().indexOf(':') + 1);
    }

    List<Spec> specs() {
        List<Spec> specs = new ArrayList<>();
        for (String engine : config.engines) {
            switch (engine) {
                case "phantom" -> {
                    for (int p : config.phantomPartitions) {
                        specs.add(new Spec(engine, config.phantomPartitions.length == 1 ? "Phantom"
                                : "Phantom " + p + "p", p));
                    }
                }
                case "postgres" -> specs.add(new Spec(engine, "PostgreSQL", 0));
                case "sqlite" -> specs.add(new Spec(engine, "SQLite", 0));
                default -> specs.add(new Spec(engine, "H2", 0));
            }
        }
        return specs;
    }

    private void run() throws Exception {
        List<Spec> specs = specs();
        specs.forEach(s -> results.engines.add(s.name()));
        defineRows();
        double callTimeout = Math.max(600, config.timeoutGrace);
        for (int r = 0; r < config.repeats; r++) {
            String tag = "[" + (r + 1) + "/" + config.repeats + "]";
            results.currentRepeat = r;
            BenchRun.sampleLoadAverage(results.loadAverages);
            List<Spec> order = new ArrayList<>(specs);
            if (r % 2 == 1) {
                Collections.reverse(order);
            }
            List<Live> live = new ArrayList<>();
            for (Spec spec : order) {
                if (!results.skipped.containsKey(spec.name())) {
                    Live l = open(spec, r, tag, callTimeout);
                    if (l != null) {
                        live.add(l);
                    }
                }
            }
            try {
                for (Live l : live) {
                    l.usable = load(l, tag, callTimeout);
                }
                for (Row row : results.rows) {
                    for (Live l : live) {
                        if (l.usable) {
                            BenchRun.sampleLoadAverage(results.loadAverages);
                            l.usable = timedRow(l, tag, row, callTimeout);
                        }
                    }
                }
            } finally {
                for (Live l : live) {
                    close(l, r, tag, callTimeout);
                }
                System.gc();
            }
        }
    }

    /** Rows per transaction (outer), key space, threads; the hot key space only where threads can conflict. */
    private void defineRows() {
        for (int n : config.txnRows) {
            for (String keyspace : config.keyspaces) {
                for (int t : config.threads) {
                    if (!keyspace.equals("hot") || t > 1) {
                        results.row(phase(n, keyspace), t);
                    }
                }
            }
        }
    }

    private TxnTarget open(Spec spec, Path dir) throws Exception {
        int maxThreads = Arrays.stream(config.threads).max().orElse(1);
        long deadlockMillis = PhantomTxnTarget.deadlockCheckInterval().toMillis();
        return switch (spec.engine()) {
            case "phantom" -> PhantomTxnTarget.open(spec.name(), dir, spec.partitions(), config.isolationSql(),
                    config.timeoutGrace);
            case "postgres" -> JdbcTxnTarget.open(JdbcTxnTarget.Kind.POSTGRES, dir, config.isolationSql(), config,
                    maxThreads, deadlockMillis);
            case "sqlite" -> JdbcTxnTarget.open(JdbcTxnTarget.Kind.SQLITE, dir, config.isolationSql(), config,
                    maxThreads, deadlockMillis);
            default -> JdbcTxnTarget.open(JdbcTxnTarget.Kind.H2, dir, config.isolationSql(), config, maxThreads,
                    deadlockMillis);
        };
    }

    private Live open(Spec spec, int repeat, String tag, double callTimeout) throws Exception {
        Path dir = root.resolve(spec.dirName(repeat));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try {
            TxnTarget target = Timed.call("open", () -> open(spec, dir), callTimeout);
            results.note(spec.name(), "open s", secondsSince(t0));
            settings.putIfAbsent(spec.name(), target.settings());
            return new Live(spec, target);
        } catch (PhaseFailure e) {
            String reason = "open failed: " + e.getMessage();
            results.skipped.put(spec.name(), reason);
            log(tag + " " + spec.name() + " SKIPPED: " + reason);
            BenchRun.deleteQuietly(dir);
            return null;
        }
    }

    private void close(Live l, int repeat, String tag, double callTimeout) {
        String name = l.spec.name();
        if (!l.usable) {
            for (Row row : results.rows) {
                if (results.error(row, name) == null && results.samples(row, name).size() <= repeat) {
                    results.error(row, name, "not run: an earlier phase hung or failed");
                }
            }
        }
        try {
            long c0 = System.nanoTime();
            Timed.call("close", () -> {
                l.target.close();
                return null;
            }, l.usable ? callTimeout : 30);
            results.note(name, "close s", secondsSince(c0));
        } catch (PhaseFailure e) {
            log(tag + " " + name + " close failed: " + e.getMessage());
            results.note(name, "close", "failed: " + e.getMessage());
        }
        if (!config.keep) {
            BenchRun.deleteQuietly(l.target.dir());
        }
    }

    /** CREATE TABLE and the load (rows 0..rows-1, val = 0), untimed but for the notes. False if it failed. */
    private boolean load(Live l, String tag, double callTimeout) {
        String name = l.spec.name();
        long t0 = System.nanoTime();
        try {
            Timed.call("load", () -> {
                l.target.load(config.rows, config.loadBatch, PAD);
                return null;
            }, callTimeout);
            results.note(name, "load s", secondsSince(t0));
            long sum = Timed.call("check", l.target::sumOfVal, callTimeout);
            if (sum != 0) {
                throw new PhaseFailure("SUM(val) after the load is " + sum + ", expected 0", null, false);
            }
            log(String.format(Locale.ROOT, "%s %-12s load: %,d rows in %.1f s", tag, name, config.rows,
                    secondsSince(t0)));
            return true;
        } catch (PhaseFailure e) {
            for (Row r : results.rows) {
                results.error(r, name, "not run: load failed: " + e.getMessage());
            }
            log(tag + " " + name + " load FAILED: " + e.getMessage());
            return false;
        }
    }

    /** One timed row, then the lost-update check; false if the engine hung (later rows are skipped). */
    private boolean timedRow(Live l, String tag, Row row, double callTimeout) {
        String name = l.spec.name();
        Map<String, Long> before = counters(l);
        Sample s;
        try {
            s = Timed.run(row.threads(), opFactory(row, l), config.warmup, config.seconds, config.timeoutGrace);
        } catch (PhaseFailure e) {
            results.error(row, name, e.getMessage());
            log(tag + " " + name + " " + row.phase() + " x" + row.threads() + " FAILED: " + e.getMessage());
            return !e.hung && resync(l, callTimeout);
        }
        s = s.withCounters(Results.delta(before, counters(l)));
        results.add(row, name, s);
        Map<String, Long> c = s.counters();
        log(String.format(Locale.ROOT, "%s %-12s %-10s x%-2d: %,8.0f commits/s  p50 %,9.1f us  p99 %,9.1f us  "
                + "aborts %5.1f%%  cpu %,8.1f us/op  %s", tag, name, row.phase(), row.threads(), s.opsPerSec(),
                s.p50us(), s.p99us(), abortPercent(c), s.cpuUsPerOp(), c));
        if (s.ops() == 0) {
            // Timed counts the operations that start in the window: here every thread spent the whole window in a
            // transaction begun during the warm-up (retrying it), so the row has no throughput or latency to show.
            results.error(row, name, "no transaction started inside the measured window: every thread was still "
                    + "retrying one begun in the warm-up");
        }
        try {
            String wrong = checkSum(l, callTimeout);
            if (wrong != null) {
                results.error(row, name, wrong);
                log(tag + " " + name + " " + row.phase() + " x" + row.threads() + " WRONG: " + wrong);
            }
            return true;
        } catch (PhaseFailure e) {
            results.error(row, name, "SUM(val) check failed: " + e.getMessage());
            return !e.hung;
        }
    }

    /**
     * SUM(val) must equal the row updates the threads saw committed: none lost, none doubled. Returns what is
     * wrong, or null; after a mismatch later rows are checked against the new baseline.
     */
    private String checkSum(Live l, double callTimeout) throws PhaseFailure {
        long sum = Timed.call("check", l.target::sumOfVal, callTimeout) - l.sumOffset;
        long committed = l.counters.rowUpdates();
        if (sum == committed) {
            return null;
        }
        l.sumOffset += sum - committed;
        return "SUM(val) counts " + sum + " row updates but the clients saw " + committed + " committed (lost or "
                + "doubled updates)";
    }

    /** After a failed phase (whose last transactions may be in doubt), checks later rows from the new SUM(val). */
    private boolean resync(Live l, double callTimeout) {
        try {
            checkSum(l, callTimeout);
            return true;
        } catch (PhaseFailure e) {
            return !e.hung;
        }
    }

    /** Aborted attempts as a percentage of all attempts over the phase (warm-up included); NaN when unknown. */
    static double abortPercent(Map<String, Long> counters) {
        Long attempts = counters.get(TxnCounters.ATTEMPTS);
        Long aborts = counters.get(TxnCounters.ABORTS);
        return attempts == null || aborts == null || attempts == 0 ? Double.NaN : 100.0 * aborts / attempts;
    }

    /**
     * Each thread draws the keys of its transactions from its own seeded generator (distinct keys, in the
     * drawn order, so concurrent multi-row transactions can deadlock, or with {@code --key-order sorted}
     * ascending), the same sequence for every engine.
     * A retryable failure runs the same transaction again, up to {@code --retries-max} times.
     */
    private Timed.OpFactory opFactory(Row row, Live l) {
        int n = txnRows(row);
        int keys = config.keys(keyspace(row));
        int rowIndex = results.rows.indexOf(row);
        return thread -> {
            TxnSession session = l.target.session(thread);
            SplittableRandom random = new SplittableRandom(config.seed * 31 + 1000L * rowIndex + thread);
            int[] ids = new int[n];
            return (Op) () -> {
                draw(random, keys, ids);
                if (config.sortedKeys) {
                    Arrays.sort(ids);
                }
                for (int retries = 0; ; retries++) {
                    l.counters.attempt();
                    try {
                        session.transaction(ids);
                        l.counters.committed(n);
                        return;
                    } catch (Exception e) {
                        String code = l.target.retryableCode(e);
                        if (code == null) {
                            throw e;
                        }
                        l.counters.aborted(code);
                        if (retries >= config.retriesMax) {
                            throw new IllegalStateException("transaction on " + Arrays.toString(ids) + " still failed "
                                    + "after " + retries + " retries (--retries-max): " + Timed.describe(e), e);
                        }
                    }
                }
            };
        };
    }

    /** Fills {@code ids} with distinct uniform random ids below {@code keys}. */
    private static void draw(SplittableRandom random, int keys, int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            int id;
            boolean seen;
            do {
                id = random.nextInt(keys);
                seen = false;
                for (int j = 0; j < i && !seen; j++) {
                    seen = ids[j] == id;
                }
            } while (seen);
            ids[i] = id;
        }
    }

    private static Map<String, Long> counters(Live l) {
        Map<String, Long> m = new LinkedHashMap<>(l.counters.snapshot());
        try {
            m.putAll(l.target.counters());
        } catch (RuntimeException e) {
            // engine counters are optional
        }
        return m;
    }
}
