package io.phantomdb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line settings of {@link SqlBench}; see {@link #USAGE}. {@link WireBenchConfig} extends them for the
 * same driver run against servers over the PostgreSQL wire protocol.
 */
class SqlBenchConfig extends RunOptions {

    static final List<String> ALL_ENGINES = List.of("phantom", "h2", "sqlite");
    static final List<String> ALL_WORKLOADS = List.of("select", "scan", "groupby", "update");
    /** Workloads that run only when asked for (--workloads), plus the default ones. */
    static final List<String> KNOWN_WORKLOADS = List.of("select", "scan", "groupby", "ycsba", "update");

    static final String USAGE = String.join("\n",
            "usage: SqlBench [options]",
            "  --quick                 smoke run: 20k rows, 2 s phases, 0.5 s warm-up, 1 repeat",
            "  --rows N                rows loaded (default 200000)",
            "  --groups N              distinct grp values, i.e. rows of the GROUP BY answer (default 10)",
            "  --fields N              VARCHAR fields per row (default 10)",
            "  --field-bytes N         characters per field (default 100)",
            "  --batch N               rows per INSERT statement / JDBC batch during load (default 100)",
            "  --select-threads LIST   point select thread counts (default 1,4)",
            "  --scan-threads LIST     range scan thread counts (default 4)",
            "  --scan-length N         rows per range scan (default 50)",
            "  --groupby-threads LIST  GROUP BY thread counts (default 1)",
            "  --update-threads LIST   single-row UPDATE (autocommit) thread counts (default 1,8,32)",
            "  --ycsb-threads LIST     ycsb-a (50/50 point select / UPDATE, zipfian ids) thread counts (default 8)",
            "  --zipf-theta X          ycsb-a's zipfian constant, 0 < X < 1 (default 0.99, YCSB's)",
            "  --engines LIST          phantom,h2,sqlite (default all; an engine that fails to open is skipped)",
            "  --workloads LIST        select,scan,groupby,update (default all, in that order; load always runs);",
            "                          also ycsba (not run by default)",
            "  --phantom-partitions LIST  partitions of Phantom's table; each value runs one Phantom side by side",
            "                          (default 4,1: Phantom's default, and a single partition engine)",
            "  --phantom-api API       query: rows collected with db.query(...) (default); sql: with",
            "                          db.sql(...).runWith(Sink.seq(), system), a stream for every statement",
            "  --cache-mib N           cache of every engine: H2 CACHE_SIZE, SQLite cache_size (per connection),",
            "                          Phantom block-cache-size (per partition) (default 512)",
            "  --help");

    int rows = 200_000;
    int groups = 10;
    int fields = 10;
    int fieldBytes = 100;
    int batch = 100;
    int[] selectThreads = {1, 4};
    int[] scanThreads = {4};
    int scanLength = 50;
    int[] groupByThreads = {1};
    int[] updateThreads = {1, 8, 32};
    /** ycsb-a: one closed-loop row at each count; 8 keeps both engines' commit paths busy on 2 cores. */
    int[] ycsbThreads = {8};
    double zipfTheta = Zipfian.YCSB_THETA;
    List<String> engines = new ArrayList<>(ALL_ENGINES);
    Set<String> workloads = new LinkedHashSet<>(ALL_WORKLOADS);
    /** Phantom's default partition count (4) and one partition: the table then has one storage engine. */
    int[] phantomPartitions = {4, 1};
    long cacheBytes = 512L << 20;
    /** Phantom's queries through {@code db.sql(...)} streams rather than {@code db.query(...)}. */
    boolean phantomStreamApi;

    SqlBenchConfig() {
        // 4 engines x 7 timed rows x (2 + 6) s plus loads is about 4.5 minutes a repeat on 2 cores, so that
        // --repeats 3 fits in 15 minutes.
        seconds = 6;
    }

    static SqlBenchConfig parse(String[] argv) {
        return parseInto(new SqlBenchConfig(), argv);
    }

    /** Quick-mode sizes, then the arguments, then the range checks. */
    static <C extends SqlBenchConfig> C parseInto(C c, String[] argv) {
        if (c.start(argv)) {
            c.quickSizes();
        }
        c.parseAll(argv);
        int[][] threadLists = {c.selectThreads, c.scanThreads, c.groupByThreads, c.updateThreads, c.ycsbThreads};
        if (c.rows < 2 * c.scanLength || c.groups < 1 || c.groups > c.rows || c.fields < 1 || c.fieldBytes < 1
                || c.batch < 1 || !c.commonInRange() || c.phantomPartitions.length == 0
                || Arrays.stream(c.phantomPartitions).anyMatch(p -> p < 1) || !(c.zipfTheta > 0 && c.zipfTheta < 1)
                || Arrays.stream(threadLists).flatMapToInt(Arrays::stream).anyMatch(t -> t < 1 || t > MAX_THREADS)) {
            throw new UsageException("out of range: rows >= 2*scan-length, 1 <= groups <= rows, fields, "
                    + "field-bytes, batch, repeats, partitions >= 1, seconds > 0, warmup >= 0, 0 < zipf-theta < 1, "
                    + "1 <= threads <= " + MAX_THREADS);
        }
        return c;
    }

    /** Most client threads of one row: each is a connection (PostgreSQL's max_connections is sized from it). */
    static final int MAX_THREADS = 256;

    /** What --quick shrinks (timing is shrunk by {@link RunOptions#start}). */
    void quickSizes() {
        rows = 20_000;
    }

    /** Engines --engines accepts. */
    List<String> allowedEngines() {
        return ALL_ENGINES;
    }

    /** Most threads any row runs. */
    int maxThreads() {
        return Arrays.stream(new int[][] {selectThreads, scanThreads, groupByThreads, updateThreads, ycsbThreads})
                .flatMapToInt(Arrays::stream).max().orElse(1);
    }

    @Override
    int parseOwn(String[] argv, int i) {
        String a = argv[i];
        switch (a) {
            case "--rows" -> rows = Integer.parseInt(value(argv, ++i, a));
            case "--groups" -> groups = Integer.parseInt(value(argv, ++i, a));
            case "--fields" -> fields = Integer.parseInt(value(argv, ++i, a));
            case "--field-bytes" -> fieldBytes = Integer.parseInt(value(argv, ++i, a));
            case "--batch" -> batch = Integer.parseInt(value(argv, ++i, a));
            case "--select-threads" -> selectThreads = ints(value(argv, ++i, a));
            case "--scan-threads" -> scanThreads = ints(value(argv, ++i, a));
            case "--scan-length" -> scanLength = Integer.parseInt(value(argv, ++i, a));
            case "--groupby-threads" -> groupByThreads = ints(value(argv, ++i, a));
            case "--update-threads" -> updateThreads = ints(value(argv, ++i, a));
            case "--ycsb-threads" -> ycsbThreads = ints(value(argv, ++i, a));
            case "--zipf-theta" -> zipfTheta = Double.parseDouble(value(argv, ++i, a));
            case "--engines" -> engines = names(value(argv, ++i, a), allowedEngines(), a);
            case "--workloads" -> workloads = new LinkedHashSet<>(
                    names(value(argv, ++i, a), KNOWN_WORKLOADS, a));
            case "--phantom-partitions" -> phantomPartitions = ints(value(argv, ++i, a));
            case "--phantom-api" -> phantomStreamApi = names(value(argv, ++i, a), List.of("query", "sql"), a)
                    .equals(List.of("sql"));
            case "--cache-mib" -> cacheBytes = Long.parseLong(value(argv, ++i, a)) << 20;
            default -> {
                return -1;
            }
        }
        return i;
    }

    String describe() {
        return String.format(Locale.ROOT,
                "%s: %,d rows x (3 INTEGER + %d x %d-char VARCHAR), %d groups, load in %d-row statements, %s s timed "
                        + "phases after %s s warm-up, %d repeat%s, seed %d",
                quick ? "quick" : "full", rows, fields, fieldBytes, groups, batch, trim(seconds),
                trim(warmup), repeats, repeats == 1 ? "" : "s", seed);
    }
}
