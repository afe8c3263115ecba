package io.phantomdb.bench;

import io.phantomdb.PhantomDb;
import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.Timed.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link SqlBench}'s {@link Results} (and {@link WireBench}'s, which runs the same driver) as markdown:
 * header, a throughput table with the ratios of each Phantom variant to every other engine, a latency table
 * with the spread over repeats, CPU per operation (this JVM's; and the servers' processes when they run
 * outside it), the targets (vs H2 for the embedded run, vs PostgreSQL for the wire run), notes (load, settle,
 * plans, group commit) and every engine's settings.
 */
final class SqlReport {

    private final SqlBenchConfig config;
    private final Results results;
    private final Map<String, String> settings;
    private final UserTable table;
    private final Path dataDir;
    private final List<String> phantoms = new ArrayList<>();
    private final List<String> others = new ArrayList<>();
    private final List<String> footnotes = new ArrayList<>();

    SqlReport(SqlBenchConfig config, Results results, Map<String, String> settings, UserTable table, Path dataDir) {
        this.config = config;
        this.results = results;
        this.settings = settings;
        this.table = table;
        this.dataDir = dataDir;
        for (String e : results.engines) {
            (e.startsWith("Phantom") ? phantoms : others).add(e);
        }
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        boolean wire = config instanceof WireBenchConfig;
        b.append(wire ? "# Wire protocol benchmark (pgjdbc): Phantom-DB vs PostgreSQL\n\n"
                : "# Embedded SQL benchmark: Phantom vs H2 vs SQLite\n\n");
        BenchRun.header(b, config.describe() + "; all engines open side by side, each timed phase runs on one "
                + "right after the other, and the order reverses every other repeat", (wire ? "WireBench " : "SqlBench ")
                + String.join(" ", config.args), PhantomDb.class, dataDir, results.loadAverages);
        b.append("\n## Throughput (ops/s, median of repeats; ratio > 1 = Phantom faster)\n\n");
        throughput(b);
        b.append("\n## Latency (µs, p50 / p99, median of repeats) and spread\n\n");
        latency(b);
        b.append("\n## CPU per operation (µs of process CPU time in the measured window / operations, median of "
                + "repeats)\n\n");
        cpu(b);
        serverCpu(b);
        footnotes(b);
        b.append("\n## Targets\n\n");
        targets(b);
        b.append("\n## Notes\n\n");
        notes(b);
        b.append("\n## Settings\n\n");
        settings(b);
        return b.toString();
    }

    private String label(Row row) {
        return switch (row.phase()) {
            case "load" -> "load (" + config.batch + "-row INSERT per commit; ops = rows, latency per commit)";
            case "select" -> "point select by primary key";
            case "scan" -> config.scanLength + "-row primary-key range scan";
            case "groupby" -> "GROUP BY over " + String.format(Locale.ROOT, "%,d", table.rows) + " rows ("
                    + table.groups + " groups)";
            case "update" -> "single-row UPDATE, autocommit" + (others.contains("H2") ? " (H2: not fsynced)" : "");
            case "ycsba" -> "ycsb-a: 50 % point select / 50 % UPDATE, zipfian ids (θ " + RunOptions.trim(config.zipfTheta)
                    + ")";
            default -> row.phase();
        };
    }

    private void throughput(StringBuilder b) {
        List<String> columns = new ArrayList<>(results.engines);
        for (String p : phantoms) {
            for (String o : others) {
                columns.add(p + "/" + o);
            }
        }
        head(b, "| workload | threads |", columns, "---:");
        for (Row row : results.rows) {
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String e : results.engines) {
                b.append(' ').append(cell(Cells.ops(results.ops(row, e)), row, e)).append(" |");
            }
            for (String p : phantoms) {
                for (String o : others) {
                    b.append(' ').append(Cells.ratio(results.ops(row, p), results.ops(row, o))).append(" |");
                }
            }
            b.append('\n');
        }
        if (config.workloads.contains("update") && others.contains("H2")) {
            b.append("\nUPDATE commits: Phantom (`durability = commit`) and SQLite (`synchronous = FULL`) fsync every "
                    + "commit before it returns; H2 never fsyncs at commit, so its UPDATE figures are not durable "
                    + "commits.\n");
        } else if (config.workloads.contains("update")) {
            b.append("\nUPDATE commits are durable on every engine: each autocommit UPDATE returns after its WAL "
                    + "record is fsynced (Phantom `durability = commit`, PostgreSQL `fsync = on`, `synchronous_commit "
                    + "= on`); concurrent commits share fsyncs (group commit) on both.\n");
        }
        for (Map.Entry<String, String> e : results.skipped.entrySet()) {
            b.append("\n**").append(e.getKey()).append(" was skipped**: ").append(e.getValue()).append('\n');
        }
    }

    private void latency(StringBuilder b) {
        boolean spread = config.repeats > 1;
        List<String> columns = new ArrayList<>(results.engines.stream().map(e -> e + " p50 / p99").toList());
        columns.add(spread ? "spread ops/s (min...max of " + config.repeats + ")" : "spread");
        head(b, "| workload | threads |", columns, "---:");
        for (Row row : results.rows) {
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            List<String> ranges = new ArrayList<>();
            for (String e : results.engines) {
                List<Sample> s = results.samples(row, e);
                b.append(' ').append(Cells.latency(s)).append(" |");
                ranges.add(e + " " + (s.isEmpty() ? "—" : Cells.range(s)));
            }
            b.append(' ').append(spread ? String.join("; ", ranges) : "single run").append(" |\n");
        }
    }

    /**
     * CPU time per operation: unlike latency it does not count waiting for a CPU, which on this shared 2-core
     * machine is most of a sub-millisecond latency whenever an operation crosses threads.
     */
    private void cpu(StringBuilder b) {
        head(b, "| workload | threads |", results.engines, "---:");
        for (Row row : results.rows) {
            if (row.phase().equals("load")) {
                continue;
            }
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String e : results.engines) {
                List<Sample> s = results.samples(row, e).stream().filter(x -> x.cpuNanos() >= 0).toList();
                b.append(' ').append(s.isEmpty() ? "—" : Cells.us(Results.median(s, Sample::cpuUsPerOp))).append(" |");
            }
            b.append('\n');
        }
    }

    /**
     * CPU time of the servers' own processes per operation (PostgreSQL's postmaster and backends, Phantom's
     * server JVM), from /proc: the counters span the warm-up and the window, so the operations they served are
     * estimated as the window's rate times warm-up + window. Only when some engine runs out of this JVM.
     */
    private void serverCpu(StringBuilder b) {
        List<String> servers = results.engines.stream().filter(e -> results.rows.stream().anyMatch(r ->
                results.samples(r, e).stream().anyMatch(s -> s.counters().containsKey("serverCpuNanos")))).toList();
        if (servers.isEmpty()) {
            return;
        }
        b.append("\n## Server CPU per operation (µs of CPU time of the server's processes / operations, median of "
                + "repeats)\n\nPostgreSQL: postmaster and every backend; Phantom: its server JVM (JIT and GC "
                + "included). The table above is the benchmark JVM's own CPU (pgjdbc clients and the driver), the "
                + "same code for both servers. Operations over the counters' span (warm-up + window) are estimated "
                + "from the window's rate.\n\n");
        head(b, "| workload | threads |", servers, "---:");
        for (Row row : results.rows) {
            if (row.phase().equals("load")) {
                continue;
            }
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String e : servers) {
                List<Double> perOp = new ArrayList<>();
                for (Sample s : results.samples(row, e)) {
                    Long cpu = s.counters().get("serverCpuNanos");
                    if (cpu != null && s.ops() > 0) {
                        perOp.add(cpu / 1e3 / (s.opsPerSec() * (config.warmup + s.seconds())));
                    }
                }
                b.append(' ').append(perOp.isEmpty() ? "—" : Cells.us(Results.median(perOp))).append(" |");
            }
            b.append('\n');
        }
    }

    /**
     * A table's header and rule rows: {@code leading} cells ("| workload | threads |", whose rule is
     * {@code |---|---:|} per its cell count) then one cell per column with the given alignment.
     */
    private static void head(StringBuilder b, String leading, List<String> columns, String align) {
        b.append(leading);
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 2; i < leading.split("\\|").length; i++) {
            rule.append("---:|");
        }
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
            rule.append(align).append('|');
        }
        b.append('\n').append(rule).append('\n');
    }

    private String cell(String value, Row row, String engine) {
        String error = results.error(row, engine);
        if (error == null) {
            return value;
        }
        String text = engine + " " + row.phase() + " x" + row.threads() + ": " + error;
        int n = footnotes.indexOf(text);
        if (n < 0) {
            footnotes.add(text);
            n = footnotes.size() - 1;
        }
        return value + " (error [" + (n + 1) + "])";
    }

    private void footnotes(StringBuilder b) {
        if (!footnotes.isEmpty()) {
            b.append('\n');
            for (int i = 0; i < footnotes.size(); i++) {
                b.append('[').append(i + 1).append("] ").append(footnotes.get(i)).append("  \n");
            }
        }
    }

    /** Point select ≥ 1.0x H2 (the target), at every select thread count, for each Phantom variant. */
    private void targets(StringBuilder b) {
        b.append("| target | goal | measured | status |\n|---|---|---|---|\n");
        if (config instanceof WireBenchConfig) {
            wireTargets(b);
            return;
        }
        if (!others.contains("H2")) {
            b.append("| point select vs H2 | ≥ 1.0x | H2 not run | not measured |\n");
            return;
        }
        for (String p : phantoms) {
            for (int t : config.selectThreads) {
                Row row = new Row("select", t);
                double po = results.ops(row, p);
                double ho = results.ops(row, "H2");
                boolean measured = !Double.isNaN(po) && !Double.isNaN(ho);
                b.append("| ").append(p).append(" point select, ").append(t).append(t == 1 ? " thread" : " threads")
                        .append(" | ≥ 1.0x H2 | ")
                        .append(measured ? String.format(Locale.ROOT, "%s (%s vs %s ops/s%s)", Cells.ratio(po, ho),
                                Cells.ops(po), Cells.ops(ho), Cells.perRepeat(results.pairedRatios(
                                        results.byRepeat(row, p), results.byRepeat(row, "H2")))) : "n/a")
                        .append(" | ").append(!measured ? "not measured" : po / ho >= 1.0 ? "met" : "**missed**")
                        .append(" |\n");
            }
        }
        b.append("\nRatios compare the medians over repeats; per-repeat ratios (engines measured back to back) "
                + "show how much of a verdict is noise.\n");
    }

    /**
     * The wire issue's targets, for every Phantom variant against PostgreSQL: point select ≥ 2x at each select
     * thread count, durable single-row commits at 32 threads ≥ 1.5x.
     */
    private void wireTargets(StringBuilder b) {
        String pg = JdbcSqlTarget.Kind.POSTGRES.display;
        if (!others.contains(pg)) {
            b.append("| vs PostgreSQL | | PostgreSQL not run | not measured |\n");
            return;
        }
        for (String p : phantoms) {
            for (int t : config.selectThreads) {
                target(b, p + " point select, " + t + (t == 1 ? " thread" : " threads"), new Row("select", t), p, pg,
                        2.0);
            }
            target(b, p + " durable single-row commits (autocommit UPDATE), 32 threads", new Row("update", 32), p, pg,
                    1.5);
        }
        b.append("\nRatios compare the medians over repeats; per-repeat ratios (engines measured back to back) "
                + "show how much of a verdict is noise: a verdict whose per-repeat ratios straddle the goal is within "
                + "the noise.\n");
    }

    private void target(StringBuilder b, String what, Row row, String p, String o, double goal) {
        double po = results.ops(row, p);
        double oo = results.ops(row, o);
        boolean measured = !Double.isNaN(po) && !Double.isNaN(oo);
        List<Double> perRepeat = results.pairedRatios(results.byRepeat(row, p), results.byRepeat(row, o));
        boolean straddles = perRepeat.stream().anyMatch(r -> r >= goal) && perRepeat.stream().anyMatch(r -> r < goal);
        String goalText = "≥ " + RunOptions.trim(goal) + "x " + o;
        b.append("| ").append(what).append(" | ").append(goalText).append(" | ")
                .append(measured ? String.format(Locale.ROOT, "%s (%s vs %s ops/s%s)", Cells.ratio(po, oo),
                        Cells.ops(po), Cells.ops(oo), Cells.perRepeat(perRepeat)) : "n/a")
                .append(" | ").append(!measured ? "not measured" : (po / oo >= goal ? "met" : "**missed**")
                        + (straddles ? " (within the noise)" : "")).append(" |\n");
    }

    private void notes(StringBuilder b) {
        head(b, "| note |", results.engines, "---");
        List<String> numeric = new ArrayList<>();
        results.numericNotes.values().forEach(m -> m.keySet().stream().filter(k -> !numeric.contains(k))
                .forEach(numeric::add));
        for (String note : numeric) {
            b.append("| ").append(note).append(" (median) |");
            for (String e : results.engines) {
                List<Double> v = results.numericNotes.getOrDefault(e, Map.of()).get(note);
                b.append(' ').append(v == null || v.isEmpty() ? "—"
                        : String.format(Locale.ROOT, "%.2f", Results.median(v))).append(" |");
            }
            b.append('\n');
        }
        for (Row row : results.rows) {
            if (!row.phase().equals("load")) {
                perOpRow(b, row.phase() + " x" + row.threads() + ": threads started per operation", row,
                        Sample::threadsPerOp);
            }
        }
        for (Row row : results.rows) {
            if (row.phase().equals("update")) { // ycsb-a's reads are transactions too on PostgreSQL
                notesRow(b, "update x" + row.threads() + ": commits per WAL fsync (group commit"
                        + (others.contains(JdbcSqlTarget.Kind.POSTGRES.display) ? "; PostgreSQL: xact_commit / "
                        + "pg_stat_wal.wal_sync, both published at most once a second" : "") + ")", row, "walRecords",
                        "walSyncs");
            }
        }
        List<String> text = new ArrayList<>();
        results.textNotes.values().forEach(m -> m.keySet().stream().filter(k -> !text.contains(k)).forEach(text::add));
        for (String note : text) {
            b.append("| ").append(note).append(" |");
            for (String e : results.engines) {
                b.append(' ').append(results.textNotes.getOrDefault(e, Map.of()).getOrDefault(note, "—")).append(" |");
            }
            b.append('\n');
        }
    }

    /** Median over repeats of counter {@code num} / counter {@code den} of a row, per engine that has them. */
    private void notesRow(StringBuilder b, String note, Row row, String num, String den) {
        StringBuilder cells = new StringBuilder();
        boolean any = false;
        for (String e : results.engines) {
            List<Double> ratios = new ArrayList<>();
            for (Sample s : results.samples(row, e)) {
                Long n = s.counters().get(num);
                Long d = s.counters().get(den);
                if (n != null && d != null && d > 0) {
                    ratios.add(n / (double) d);
                }
            }
            any |= !ratios.isEmpty();
            cells.append(' ').append(ratios.isEmpty() ? "—"
                    : String.format(Locale.ROOT, "%.1f", Results.median(ratios))).append(" |");
        }
        if (any) {
            b.append("| ").append(note).append(" |").append(cells).append('\n');
        }
    }

    /** Median over repeats of a per-operation figure; the row is left out when every engine's is 0 or unknown. */
    private void perOpRow(StringBuilder b, String note, Row row, java.util.function.ToDoubleFunction<Sample> field) {
        StringBuilder cells = new StringBuilder();
        boolean any = false;
        for (String e : results.engines) {
            List<Sample> s = results.samples(row, e).stream().filter(x -> !Double.isNaN(field.applyAsDouble(x))).toList();
            double v = s.isEmpty() ? Double.NaN : Results.median(s, field);
            any |= v > 0;
            cells.append(' ').append(Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v)).append(" |");
        }
        if (any) {
            b.append("| ").append(note).append(" |").append(cells).append('\n');
        }
    }

    private void settings(StringBuilder b) {
        b.append(String.format(Locale.ROOT, "- Data (all engines): `%s`, %,d rows, grp = id %% %d, val = id %% 1000, "
                        + "each field a %d-character string from a pool of %d; loaded in the same seeded random order "
                        + "in %d-row batches (embedded Phantom: one multi-row `INSERT ... VALUES (...), ...` statement "
                        + "with $n parameters per batch; servers over pgjdbc: the same statement with `?` parameters in "
                        + "autocommit; embedded JDBC engines: a JDBC batch of a prepared single-row INSERT, "
                        + "one commit per batch). Statements are parameterized everywhere ($n for embedded Phantom, "
                        + "prepared `?` statements reused per connection for JDBC); one JDBC connection per benchmark "
                        + "thread, kept for the whole repeat.%n",
                table.createTable(""), table.rows, table.groups, table.fieldBytes, UserTable.POOL, config.batch));
        b.append("- Statements: point select `SELECT * FROM usertable WHERE id = ?`; range scan `SELECT * FROM "
                + "usertable WHERE id >= $1 AND id < $1 + ").append(config.scanLength).append("` (JDBC: `id >= ? AND "
                + "id < ?` bound to start and start + ").append(config.scanLength).append(", the same predicate); "
                + "`").append(UserTable.GROUP_BY).append("`; `UPDATE usertable SET field0 = ? WHERE id = ?` "
                + "(autocommit). Ids uniform at random from per-thread seeded generators, the same for every "
                + "engine; every answer is checked (row count, id sum, field lengths; group counts and sums; 1 row "
                + "changed).\n");
        if (config.workloads.contains("ycsba")) {
            b.append("- ycsb-a (YCSB workload A): each operation is a point select or an UPDATE of `field0` with "
                    + "probability 1/2, on an id drawn from YCSB's scrambled zipfian distribution (constant "
                    + RunOptions.trim(config.zipfTheta) + ", ranks hashed with FNV-1a over the table's ids); the "
                    + "same per-thread seeded sequence on every engine; one latency histogram for both kinds; hot "
                    + "rows make concurrent UPDATEs wait for each other's row locks on both Phantom and PostgreSQL.\n");
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
    }
}
