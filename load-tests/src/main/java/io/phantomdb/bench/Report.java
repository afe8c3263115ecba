package io.phantomdb.bench;

import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.Timed.Sample;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@link Results} as markdown: header (machine, JVM, git), main table, targets, notes. */
final class Report {

    private static final String P = "Phantom";
    private static final String R = "RocksDB";

    private final BenchConfig config;
    private final Results results;
    private final EngineOptions phantomOptions;
    private final Path dataDir;
    private final List<String> footnotes = new ArrayList<>();

    Report(BenchConfig config, Results results, EngineOptions phantomOptions, Path dataDir) {
        this.config = config;
        this.results = results;
        this.phantomOptions = phantomOptions;
        this.dataDir = dataDir;
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Storage benchmark: Phantom vs RocksDB\n\n");
        header(b);
        b.append("\n## Results\n\n");
        table(b);
        b.append("\n## Targets\n\n");
        targets(b);
        b.append("\n## Notes\n\n");
        notes(b);
        b.append("\n## Settings\n\n");
        settings(b);
        return b.toString();
    }

    // ---------------------------------------------------------------- header

    private void header(StringBuilder b) {
        BenchRun.header(b, config.describe() + "; both engines open side by side, each timed phase runs on one right "
                + "after the other, and which goes first alternates per repeat", "StorageBench " + String.join(" ", config.args),
                Engine.class, dataDir, results.loadAverages);
    }

    // ---------------------------------------------------------------- table

    private static String label(Row row, BenchConfig config) {
        return switch (row.phase()) {
            case "load" -> "load (" + config.batch + "-key durable batches; ops = keys, latency per batch)";
            case "reads" -> "point read (uniform random key)";
            case "scans" -> "scan " + config.scanLength + " keys (random start)";
            case "commits" -> "durable commit (1 key, " + config.valueBytes + " B)";
            default -> row.phase();
        };
    }

    private void table(StringBuilder b) {
        boolean spread = config.repeats > 1;
        b.append("| phase | threads | Phantom ops/s | RocksDB ops/s | ratio P/R | Phantom p50 / p99 µs | RocksDB p50 / p99 µs | ")
                .append(spread ? "spread ops/s (min..max of " + config.repeats + ")" : "spread").append(" |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : results.rows) {
            List<Sample> p = results.samples(row, P);
            List<Sample> r = results.samples(row, R);
            double po = results.ops(row, P);
            double ro = results.ops(row, R);
            b.append("| ").append(label(row, config)).append(" | ").append(row.threads()).append(" | ")
                    .append(cell(Cells.ops(po), row, P)).append(" | ").append(cell(Cells.ops(ro), row, R)).append(" | ")
                    .append(Double.isNaN(po) || Double.isNaN(ro) ? "n/a" : String.format(Locale.ROOT, "%.2fx", po / ro))
                    .append(" | ").append(cell(Cells.latency(p), row, P)).append(" | ").append(cell(Cells.latency(r), row, R))
                    .append(" | ").append(spread ? spreadOf(p, r) : "single run").append(" |\n");
        }
        if (!results.fsync.isEmpty()) {
            b.append('\n').append(String.format(Locale.ROOT,
                    "Raw fsync rate of the disk (1 thread, append %d B + `FileChannel.force(false)`%s): **%s/s**, "
                            + "p50 / p99 %s µs%s.\n",
                    config.fsyncBytes, config.phases.contains("commits")
                            ? ", interleaved with the 1-thread commit row in " + config.fsyncSlices
                                    + " rounds of probe / Phantom / RocksDB so all three see the same disk conditions"
                            : "",
                    Cells.ops(Results.median(results.fsync, Sample::opsPerSec)), Cells.latency(results.fsync),
                    results.fsync.size() > 1 ? ", spread " + Cells.range(results.fsync) : ""));
        }
        for (Map.Entry<String, String> e : results.skipped.entrySet()) {
            b.append("\n**").append(e.getKey()).append(" was skipped**: ").append(e.getValue()).append('\n');
        }
        if (!footnotes.isEmpty()) {
            b.append('\n');
            for (int i = 0; i < footnotes.size(); i++) {
                b.append("[").append(i + 1).append("] ").append(footnotes.get(i)).append("  \n");
            }
        }
    }

    private String cell(String value, Row row, String engine) {
        String error = results.error(row, engine);
        if (error == null) {
            return value;
        }
        int n = footnotes.indexOf(engine + " " + row.phase() + " x" + row.threads() + ": " + error);
        if (n < 0) {
            footnotes.add(engine + " " + row.phase() + " x" + row.threads() + ": " + error);
            n = footnotes.size() - 1;
        }
        return value + " (error [" + (n + 1) + "])";
    }

    private static String spreadOf(List<Sample> p, List<Sample> r) {
        return "P " + (p.isEmpty() ? "—" : Cells.range(p)) + "; R " + (r.isEmpty() ? "—" : Cells.range(r));
    }

    // ---------------------------------------------------------------- targets

    private void targets(StringBuilder b) {
        b.append("| target | goal | measured | status |\n|---|---|---|---|\n");
        int maxCommit = max(config.commitThreads);
        ratioTarget(b, "durable commits, " + maxCommit + " threads", new Row("commits", maxCommit), 1.2);
        for (int t : config.readThreads) {
            ratioTarget(b, "point reads, " + t + " thread" + (t == 1 ? "" : "s"), new Row("reads", t), 1.0);
        }
        ratioTarget(b, "load", new Row("load", 1), 0.7);
        // Paired per repeat: the probe ran interleaved with that repeat's 1-thread commit row.
        Row commit1 = new Row("commits", 1);
        List<Double> p = results.pairedRatios(results.byRepeat(commit1, P), results.fsyncByRepeat);
        List<Double> r = results.pairedRatios(results.byRepeat(commit1, R), results.fsyncByRepeat);
        String measured;
        String status;
        if (p.isEmpty()) {
            measured = "n/a";
            status = "not measured";
        } else {
            double pm = Results.median(p);
            measured = String.format(Locale.ROOT, "Phantom %.0f %%%s", 100 * pm, percents(p))
                    + (r.isEmpty() ? "" : String.format(Locale.ROOT, "; RocksDB %.0f %%%s", 100 * Results.median(r),
                            percents(r)));
            status = pm >= 0.8 ? "met" : "**missed**";
        }
        b.append("| durable commits, 1 thread, vs raw fsync rate | ≥ 80 % | ").append(measured).append(" | ")
                .append(status).append(" |\n");
        b.append("\nRatio targets compare the medians over repeats; the figures in parentheses are the ratios within each "
                + "repeat (both engines measured back to back), so their range shows how much of a verdict is noise. "
                + "The fsync target is the median over repeats of (1-thread commits / raw fsync probe interleaved "
                + "with them).\n");
    }

    private static String percents(List<Double> ratios) {
        if (ratios.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (per repeat ");
        for (int i = 0; i < ratios.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f %%", 100 * ratios.get(i)));
        }
        return b.append(')').toString();
    }

    private void ratioTarget(StringBuilder b, String what, Row row, double goal) {
        double p = results.ops(row, P);
        double r = results.ops(row, R);
        String measured = Double.isNaN(p) || Double.isNaN(r) ? "n/a"
                : String.format(Locale.ROOT, "%.2fx (%s vs %s ops/s%s)", p / r, Cells.ops(p), Cells.ops(r),
                        Cells.perRepeat(results.pairedRatios(results.byRepeat(row, P), results.byRepeat(row, R))));
        String status = Double.isNaN(p) || Double.isNaN(r) ? "not measured" : p / r >= goal ? "met" : "**missed**";
        b.append("| ").append(what).append(" | ≥ ").append(String.format(Locale.ROOT, "%.1fx", goal))
                .append(" RocksDB | ").append(measured).append(" | ").append(status).append(" |\n");
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    // ---------------------------------------------------------------- notes

    private void notes(StringBuilder b) {
        b.append("| note | Phantom | RocksDB |\n|---|---|---|\n");
        List<String> numeric = new ArrayList<>();
        for (Map<String, List<Double>> m : results.numericNotes.values()) {
            m.keySet().stream().filter(k -> !numeric.contains(k)).forEach(numeric::add);
        }
        for (String note : numeric) {
            b.append("| ").append(note).append(" (median) | ").append(num(P, note)).append(" | ").append(num(R, note))
                    .append(" |\n");
        }
        for (Row row : results.rows) {
            if (row.phase().equals("commits")) {
                b.append("| commits x").append(row.threads()).append(": commits per WAL sync (group commit) | ")
                        .append(perSync(row, P)).append(" | ").append(perSync(row, R)).append(" |\n");
            }
            if (row.phase().equals("reads") || row.phase().equals("scans")) {
                String hit = hitRate(row, P);
                if (!hit.equals("—")) {
                    b.append("| ").append(row.phase()).append(" x").append(row.threads())
                            .append(": block cache hit rate | ").append(hit).append(" | not collected |\n");
                }
            }
        }
        List<String> text = new ArrayList<>();
        for (Map<String, String> m : results.textNotes.values()) {
            m.keySet().stream().filter(k -> !text.contains(k)).forEach(text::add);
        }
        for (String note : text) {
            b.append("| ").append(note).append(" (last repeat) | ")
                    .append(results.textNotes.getOrDefault(P, Map.of()).getOrDefault(note, "—")).append(" | ")
                    .append(results.textNotes.getOrDefault(R, Map.of()).getOrDefault(note, "—")).append(" |\n");
        }
    }

    private String num(String engine, String note) {
        List<Double> v = results.numericNotes.getOrDefault(engine, Map.of()).get(note);
        return v == null || v.isEmpty() ? "—" : String.format(Locale.ROOT, "%.2f", Results.median(v));
    }

    private String perSync(Row row, String engine) {
        List<Double> ratios = new ArrayList<>();
        for (Sample s : results.samples(row, engine)) {
            Long records = s.counters().get("walRecords");
            Long syncs = s.counters().get("walSyncs");
            if (records != null && syncs != null && syncs > 0) {
                ratios.add(records / (double) syncs);
            }
        }
        return ratios.isEmpty() ? "—" : String.format(Locale.ROOT, "%.1f", Results.median(ratios));
    }

    private String hitRate(Row row, String engine) {
        List<Double> rates = new ArrayList<>();
        for (Sample s : results.samples(row, engine)) {
            Long hits = s.counters().get("cacheHits");
            Long misses = s.counters().get("cacheMisses");
            if (hits != null && misses != null && hits + misses > 0) {
                rates.add(100.0 * hits / (hits + misses));
            }
        }
        return rates.isEmpty() ? "—" : String.format(Locale.ROOT, "%.1f %%", Results.median(rates));
    }

    // ---------------------------------------------------------------- settings

    private void settings(StringBuilder b) {
        b.append("- Both: ").append(config.blockCacheBytes >> 20).append(" MiB block cache, bloom ")
                .append(config.bloomBitsPerKey).append(" bits/key, ").append(config.blockBytes)
                .append(" B blocks, no compression, every write fsynced before it returns; keys `key%012d` (15 B), ")
                .append(config.valueBytes).append(" B values, load order a seeded random permutation, reads/commits on "
                        + "uniform random keys from per-thread seeded generators (identical for both engines)\n");
        b.append("- Phantom: `").append(phantomOptions).append("`\n");
        b.append("- RocksDB:");
        for (String line : RocksStore.describe(config, phantomOptions)) {
            b.append(" ").append(line).append(';');
        }
        b.setLength(b.length() - 1);
        b.append('\n');
    }
}
