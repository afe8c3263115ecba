package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line settings of {@link WireBench}: {@link SqlBenchConfig}'s (same table, same workloads, same
 * driver) with the wire run's defaults (Phantom's wire server and PostgreSQL; point select, scan, ycsb-a and
 * UPDATE; 3 repeats) and the options of the two servers. See {@link #USAGE}.
 */
final class WireBenchConfig extends SqlBenchConfig {

    static final List<String> WIRE_ENGINES = List.of("phantom-wire", "postgres", "phantom", "h2", "sqlite");

    static final String USAGE = String.join("\n",
            "usage: WireBench [options]",
            "  --quick                 smoke run: 20k rows, 2 s phases, 0.5 s warm-up, 1 repeat (~3 min with the build)",
            "  (default: full run, 100k rows, 6 s phases after 2 s warm-up, 2 repeats, ~10-15 min on 2 cores)",
            "  --rows N                rows loaded (default 100000)",
            "  --batch N               rows per multi-row INSERT (one commit) during load (default 100)",
            "  --select-threads LIST   point select thread counts (default 1,4)",
            "  --scan-threads LIST     range scan thread counts (default 4)",
            "  --scan-length N         rows per range scan (default 50)",
            "  --ycsb-threads LIST     ycsb-a (50/50 point select / UPDATE, zipfian ids) thread counts (default 8)",
            "  --zipf-theta X          ycsb-a's zipfian constant, 0 < X < 1 (default 0.99, YCSB's)",
            "  --update-threads LIST   single-row UPDATE (autocommit, durable) thread counts (default 1,8,32)",
            "  --groupby-threads LIST  GROUP BY thread counts, when groupby is in --workloads (default 1)",
            "  --engines LIST          phantom-wire,postgres (default); also phantom (embedded), h2, sqlite",
            "  --workloads LIST        select,scan,ycsba,update (default, in that order); also groupby",
            "  --cache-mib N           Phantom block-cache-size per partition and PostgreSQL shared_buffers",
            "                          (default 512)",
            "  --pg-bin DIR            PostgreSQL's bin dir (default: the dir of pg_ctl on PATH, else",
            "                          /usr/lib/postgresql/<newest>/bin)",
            "  --pg-os-user NAME       OS user that runs PostgreSQL when this runs as root (default postgres)",
            "  --server-jvm-opts OPTS  JVM flags of Phantom's server JVM, space-separated (default \"-Xms2g -Xmx4g\")",
            "  --server-jfr PATH       record a Java Flight Recording (profile) of Phantom's server JVM; with",
            "                          several repeats, repeat r writes PATH with -r<r> before .jfr",
            "  --phantom-conf K=V      a further setting of Phantom's server (HOCON value), e.g.",
            "                          phantom.security.authentication=trust; repeatable",
            String.format(COMMON_USAGE, "6", "wire"));

    Path pgBin;
    String pgOsUser = "postgres";
    List<String> serverJvmOptions = new ArrayList<>(List.of("-Xms2g", "-Xmx4g"));
    Path serverJfr;
    final Map<String, String> phantomConf = new LinkedHashMap<>();

    WireBenchConfig() {
        // 2 engines x 7 timed rows x (2 + 6) s, plus start, load and settle: 4-6 minutes a repeat on 2 cores, so
        // 2 repeats stay within 15 minutes. 100k rows (SqlBench loads 200k): Phantom's wire server loads ~1k rows/s
        // on this machine today, and every workload reads from warm caches either way.
        seconds = 6;
        repeats = 2;
        rows = 100_000;
        engines = new ArrayList<>(List.of("phantom-wire", "postgres"));
        workloads = new LinkedHashSet<>(List.of("select", "scan", "ycsba", "update"));
    }

    static WireBenchConfig parse(String[] argv) {
        return parseInto(new WireBenchConfig(), argv);
    }

    @Override
    void quickSizes() {
        super.quickSizes();
        repeats = 1;
    }

    @Override
    List<String> allowedEngines() {
        return WIRE_ENGINES;
    }

    @Override
    int parseOwn(String[] argv, int i) {
        int last = super.parseOwn(argv, i);
        if (last >= 0) {
            return last;
        }
        String a = argv[i];
        switch (a) {
            case "--pg-bin" -> pgBin = Path.of(value(argv, ++i, a));
            case "--pg-os-user" -> pgOsUser = value(argv, ++i, a);
            case "--server-jvm-opts" -> serverJvmOptions = new ArrayList<>(
                    Arrays.asList(value(argv, ++i, a).trim().split("\\s+")));
            case "--server-jfr" -> serverJfr = Path.of(value(argv, ++i, a)).toAbsolutePath();
            case "--phantom-conf" -> {
                String kv = value(argv, ++i, a);
                int eq = kv.indexOf('=');
                if (eq <= 0 || !kv.startsWith("phantom.") && !kv.startsWith("pekko.")) {
                    throw new UsageException(a + " takes phantom.KEY=VALUE or pekko.KEY=VALUE: " + kv);
                }
                phantomConf.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            default -> {
                return -1;
            }
        }
        return i;
    }

    /** The JFR file of the Phantom server of one repeat, or null. */
    Path serverJfr(int repeat) {
        if (serverJfr == null || repeats == 1) {
            return serverJfr;
        }
        String name = serverJfr.getFileName().toString();
        String base = name.endsWith(".jfr") ? name.substring(0, name.length() - 4) : name;
        return serverJfr.resolveSibling(base + "-r" + (repeat + 1) + ".jfr");
    }

    @Override
    String describe() {
        return String.format(Locale.ROOT,
                "%s: %,d rows x (3 INTEGER + %d x %d-char VARCHAR), load in %d-row INSERT statements, %s s timed phases "
                        + "after %s s warm-up, %d repeat%s, seed %d, ycsb-a zipfian theta %s",
                quick ? "quick" : "full", rows, fields, fieldBytes, batch, trim(seconds), trim(warmup), repeats,
                repeats == 1 ? "" : "s", seed, trim(zipfTheta));
    }
}
