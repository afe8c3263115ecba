package io.phantomdb.bench;

import static io.phantomdb.bench.BenchRun.log;
import static io.phantomdb.bench.BenchRun.secondsSince;

import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.SqlTarget.Answer;
import io.phantomdb.bench.SqlTarget.Session;
import io.phantomdb.bench.Timed.Op;
import io.phantomdb.bench.Timed.PhaseFailure;
import io.phantomdb.bench.Timed.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Embedded SQL benchmark: Phantom-DB (embedded {@code PhantomDb} API), H2 (embedded) and SQLite in one JVM,
 * on the same YCSB-like table ({@link UserTable}), loaded in the same order, with the same driver code and
 * the same answer checks (see load-tests/README.md). Per repeat, all engines open side by side on fresh
 * data dirs; each loads, settles (flush + compact / checkpoint) and is warmed by one GROUP BY over every row;
 * then each timed row (point select, range scan, GROUP BY, single-row UPDATE at several thread counts) runs
 * on one engine right after the other, the order alternating between repeats. Prints a markdown report and
 * writes it to {@code results/sql-<date>.md}.
 */
public final class SqlBench {

    /** Seed offsets per workload, so each workload draws its own id sequence (the same for every engine). */
    private static final Map<String, Integer> SEED_OFFSETS = Map.of("select", 1000, "scan", 2000, "groupby", 3000,
            "update", 4000, "ycsba", 5000);

    private final SqlBenchConfig config;
    private final Path root;
    private final UserTable table;
    private final Results results = new Results();
    /** engine -> its settings line, for the report. */
    final Map<String, String> settings = new LinkedHashMap<>();
    private final long[][] expectedGroups;
    /** ycsb-a's key chooser (its constants cost O(rows) to compute), null when ycsba is not run. */
    private final Zipfian zipfian;

    private SqlBench(SqlBenchConfig config, Path root) {
        this.config = config;
        this.root = root;
        this.table = new UserTable(config.rows, config.groups, config.fields, config.fieldBytes, config.seed);
        this.expectedGroups = new long[config.groups][];
        for (int g = 0; g < config.groups; g++) {
            expectedGroups[g] = new long[] {g, table.countOfGroup(g), table.sumOfGroup(g)};
        }
        this.zipfian = config.workloads.contains("ycsba") ? new Zipfian(config.rows, config.zipfTheta) : null;
    }

    public static void main(String[] args) throws Exception {
        runAndReport(BenchRun.parseOrExit(SqlBenchConfig::parse, SqlBenchConfig.USAGE, args), "sql");
    }

    /**
     * Runs every repeat, prints the report and writes it to {@code results/<prefix>-<date>.md}, then exits (the
     * engines' non-daemon threads must not keep the JVM alive). {@link WireBench} runs through here too.
     */
    static void runAndReport(SqlBenchConfig config, String prefix) throws Exception {
        Path root = BenchRun.dataRoot(config.dir, config.keep, "phantom-" + prefix + "bench-");
        log(config.describe());
        SqlBench bench = new SqlBench(config, root);
        bench.run();
        String report = new SqlReport(config, bench.results, bench.settings, bench.table, root).markdown();
        System.out.println(report);
        if (config.writeFile) {
            Path file = BenchRun.write(config.resultsDir, prefix, config.quick, report);
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

    /** An engine open during one repeat. */
    private static final class Live {
        final Spec spec;
        final SqlTarget target;
        boolean usable = true;

        Live(Spec spec, SqlTarget target) {
            this.spec = spec;
            this.target = target;
        }
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
                case "h2" -> specs.add(new Spec(engine, "H2", 0));
                case "postgres" -> specs.add(new Spec(engine, JdbcSqlTarget.Kind.POSTGRES.display, 0));
                case "phantom-wire" -> specs.add(new Spec(engine, JdbcSqlTarget.Kind.PHANTOM_WIRE.display, 0));
                default -> specs.add(new Spec(engine, "SQLite", 0));
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
                    if (l.usable && r == 0) {
                        explain(l);
                    }
                }
                for (Row row : results.rows) {
                    if (row.phase().equals("load")) {
                        continue;
                    }
                    for (Live l : live) {
                        if (l.usable) {
                            BenchRun.sampleLoadAverage(results.loadAverages);
                            l.usable = timedRow(l, tag, row);
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

    private void defineRows() {
        results.row("load", 1);
        for (String w : config.workloads) {
            int[] threads = switch (w) {
                case "select" -> config.selectThreads;
                case "scan" -> config.scanThreads;
                case "groupby" -> config.groupByThreads;
                case "ycsba" -> config.ycsbThreads;
                default -> config.updateThreads;
            };
            for (int t : threads) {
                results.row(w, t);
            }
        }
    }

    private SqlTarget open(Spec spec, Path dir, int repeat) throws Exception {
        WireBenchConfig wire = config instanceof WireBenchConfig w ? w : new WireBenchConfig();
        return switch (spec.engine()) {
            case "phantom" -> PhantomSqlTarget.open(spec.name(), dir, spec.partitions(), config.cacheBytes,
                    config.scanLength, config.timeoutGrace, config.phantomStreamApi);
            case "h2" -> JdbcSqlTarget.open(JdbcSqlTarget.Kind.H2, dir, config.cacheBytes, config.scanLength);
            // max_connections: every thread's connection, the admin one, and PostgreSQL's reserved ones
            case "postgres" -> JdbcSqlTarget.open(JdbcSqlTarget.Kind.POSTGRES, PostgresWire.start(wire.pgBin, dir,
                    wire.pgOsUser, Math.max(100, config.maxThreads() + 10), config.cacheBytes), dir, config.cacheBytes,
                    config.scanLength);
            case "phantom-wire" -> JdbcSqlTarget.open(JdbcSqlTarget.Kind.PHANTOM_WIRE, PhantomWireProcess.start(dir,
                    config.cacheBytes, wire.serverJvmOptions, wire.serverJfr(repeat), wire.phantomConf,
                    config.timeoutGrace), dir, config.cacheBytes, config.scanLength);
            default -> JdbcSqlTarget.open(JdbcSqlTarget.Kind.SQLITE, dir, config.cacheBytes, config.scanLength);
        };
    }

    private Live open(Spec spec, int repeat, String tag, double callTimeout) throws Exception {
        Path dir = root.resolve(spec.dirName(repeat));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try {
            SqlTarget target = Timed.call("open", () -> open(spec, dir, repeat), callTimeout);
            results.note(spec.name(), "open s", secondsSince(t0));
            settings.putIfAbsent(spec.name(), target.settings());
            return new Live(spec, target);
        } catch (PhaseFailure e) {
            String reason = "open failed: " + e.getMessage();
            results.skipped.put(spec.name(), reason);
            log(tag + " " + spec.name() + " SKIPPED: " + reason);
            if (e.getCause() != null) {
                e.getCause().printStackTrace();
            }
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

    /**
     * CREATE TABLE, load in the shared order (one statement or transaction per batch, timed per batch), settle,
     * then one checked GROUP BY over every row (which warms every engine's cache). False if the engine failed.
     */
    private boolean load(Live l, String tag, double callTimeout) {
        String name = l.spec.name();
        SqlTarget target = l.target;
        Row row = results.row("load", 1);
        AtomicLong progress = new AtomicLong();
        Histogram batches = new Histogram(3);
        long t0 = System.nanoTime();
        try {
            Timed.call("create", () -> {
                target.createTable(table);
                return null;
            }, callTimeout);
            Timed.callWatched("load", () -> {
                for (int from = 0; from < table.rows; from += config.batch) {
                    int to = Math.min(table.rows, from + config.batch);
                    List<Object[]> rows = table.batch(from, to);
                    long s = System.nanoTime();
                    target.insert(table, rows);
                    batches.recordValue(System.nanoTime() - s);
                    progress.set(to);
                }
                return null;
            }, progress, config.timeoutGrace);
            double seconds = secondsSince(t0);
            Sample sample = Sample.of(table.rows, seconds, batches);
            results.add(row, name, sample);
            results.note(name, "load s", seconds);
            log(String.format(Locale.ROOT, "%s %-10s load: %,.0f rows/s in %.1f s (statement p50 %.0f us, p99 %.0f us)",
                    tag, name, sample.opsPerSec(), seconds, sample.p50us(), sample.p99us()));
            long s0 = System.nanoTime();
            Timed.call("settle", () -> {
                target.settle();
                return null;
            }, callTimeout);
            results.note(name, "settle (flush+compact / checkpoint) s", secondsSince(s0));
            results.note(name, "data on disk after load MiB", BenchRun.sizeOf(target.dir()) / (double) (1 << 20));
            long w0 = System.nanoTime();
            Timed.call("warm-up", () -> {
                checkGroups(target.session(0).groupBy());
                return null;
            }, callTimeout);
            results.note(name, "warm-up GROUP BY s", secondsSince(w0));
            return true;
        } catch (PhaseFailure e) {
            for (Row r : results.rows) {
                results.error(r, name, "not run: load/settle/warm-up failed: " + e.getMessage());
            }
            log(tag + " " + name + " load/settle/warm-up FAILED: " + e.getMessage());
            return false;
        }
    }

    /** EXPLAIN of each timed statement, for the notes (first repeat; plans do not change between repeats). */
    private void explain(Live l) {
        for (String w : config.workloads) {
            if (w.equals("ycsba")) {
                continue; // the point select's and the UPDATE's statements
            }
            String plan;
            try {
                plan = l.target.explain(w);
            } catch (Exception e) {
                plan = "n/a (" + Timed.describe(e) + ")";
            }
            results.note(l.spec.name(), "plan: " + w, "`" + plan.replace("`", "'").replace("|", "\\|") + "`");
        }
    }

    /** One timed row; false if the engine hung (later rows are skipped). */
    private boolean timedRow(Live l, String tag, Row row) {
        String name = l.spec.name();
        Map<String, Long> before = counters(l.target);
        try {
            Sample s = Timed.run(row.threads(), opFactory(row.phase(), l.target), config.warmup, config.seconds,
                    config.timeoutGrace);
            s = s.withCounters(Results.delta(before, counters(l.target)));
            results.add(row, name, s);
            log(String.format(Locale.ROOT, "%s %-10s %-8s x%-2d: %,10.0f ops/s  p50 %,9.1f us  p99 %,9.1f us  "
                    + "cpu %,8.1f us/op  threads started/op %.2f  %s", tag, name, row.phase(), row.threads(),
                    s.opsPerSec(), s.p50us(), s.p99us(), s.cpuUsPerOp(), s.threadsPerOp(), s.counters()));
            return true;
        } catch (PhaseFailure e) {
            results.error(row, name, e.getMessage());
            log(tag + " " + name + " " + row.phase() + " x" + row.threads() + " FAILED: " + e.getMessage());
            return !e.hung;
        }
    }

    /**
     * Each thread draws its ids from its own seeded generator: every engine gets exactly the same sequence of
     * statements. Every answer is checked (row count, ids, field lengths; the group counts and sums).
     */
    private Timed.OpFactory opFactory(String workload, SqlTarget target) {
        return thread -> {
            Session session = target.session(thread);
            SplittableRandom random = new SplittableRandom(config.seed * 31 + SEED_OFFSETS.get(workload) + thread);
            return switch (workload) {
                case "select" -> (Op) () -> {
                    int id = random.nextInt(table.rows);
                    check(session.pointSelect(id), id, 1);
                };
                case "scan" -> (Op) () -> {
                    int from = random.nextInt(table.rows - config.scanLength + 1);
                    check(session.rangeScan(from, config.scanLength), from, config.scanLength);
                };
                case "groupby" -> (Op) () -> checkGroups(session.groupBy());
                case "ycsba" -> ycsbA(session, random);
                default -> (Op) () -> {
                    int id = random.nextInt(table.rows);
                    long changed = session.update(id, table.fieldValue(random.nextInt(UserTable.POOL)));
                    if (changed != 1) {
                        throw new IllegalStateException("UPDATE of id " + id + " changed " + changed + " rows");
                    }
                };
            };
        };
    }

    /**
     * YCSB workload A: half point selects, half single-row UPDATEs (autocommit), each on a zipfian id (a few
     * hot rows, scrambled over the table), both checked as in their own workloads. One latency histogram for both
     * kinds of operation.
     */
    private Op ycsbA(Session session, SplittableRandom random) {
        return () -> {
            int id = zipfian.next(random);
            if (random.nextBoolean()) {
                check(session.pointSelect(id), id, 1);
            } else {
                long changed = session.update(id, table.fieldValue(random.nextInt(UserTable.POOL)));
                if (changed != 1) {
                    throw new IllegalStateException("UPDATE of id " + id + " changed " + changed + " rows");
                }
            }
        };
    }

    /** Rows {@code from .. from+count-1}, each with every field at full length. */
    private void check(Answer a, int from, int count) {
        long ids = (long) count * from + (long) count * (count - 1) / 2;
        if (a.rows() != count || a.idSum() != ids || a.chars() != count * table.fieldChars()) {
            throw new IllegalStateException("ids from " + from + ": expected " + count + " rows (id sum " + ids
                    + ", " + count * table.fieldChars() + " chars), got " + a);
        }
    }

    private void checkGroups(List<long[]> groups) {
        if (groups.size() != config.groups) {
            throw new IllegalStateException("GROUP BY returned " + groups.size() + " rows, expected " + config.groups);
        }
        for (long[] g : groups) {
            long[] want = g[0] >= 0 && g[0] < config.groups ? expectedGroups[(int) g[0]] : null;
            if (want == null || g[1] != want[1] || g[2] != want[2]) {
                throw new IllegalStateException("GROUP BY row " + java.util.Arrays.toString(g) + ", expected "
                        + (want == null ? "no such group" : java.util.Arrays.toString(want)));
            }
        }
    }

    private static Map<String, Long> counters(SqlTarget target) {
        try {
            return target.counters();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
