package io.phantomdb.bench;

import io.phantomdb.PhantomDb;
import io.phantomdb.bench.Results.Row;
import io.phantomdb.bench.Timed.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@link TxnBench}'s {@link Results} as markdown: header, commits/s with the ratio of each Phantom
 * variant to each peer, latency with the spread over repeats, abort rates, CPU per commit, the same-run
 * ratios of every repeat, notes (group commit, aborts by code, open/load/close times) and every engine's
 * settings.
 */
final class TxnReport {

    private final TxnBenchConfig config;
    private final Results results;
    private final Map<String, String> settings;
    private final Path dataDir;
    private final List<String> phantoms = new ArrayList<>();
    private final List<String> peers = new ArrayList<>();
    private final List<String> footnotes = new ArrayList<>();

    TxnReport(TxnBenchConfig config, Results results, Map<String, String> settings, Path dataDir) {
        this.config = config;
        this.results = results;
        this.settings = settings;
        this.dataDir = dataDir;
        for (String e : results.engines) {
            (e.startsWith("Phantom") ? phantoms : peers).add(e);
        }
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Transaction commit benchmark: Phantom vs PostgreSQL vs SQLite vs H2\n\n");
        BenchRun.header(b, config.describe() + "; all engines open side by side, each timed row runs on one "
                + "right after the other, and the order reverses every other repeat", "TxnBench "
                + String.join(" ", config.args), PhantomDb.class, dataDir, results.loadAverages);
        b.append("\n## Throughput (commits/s, median of repeats; ratio > 1 = Phantom faster)\n\n");
        throughput(b);
        b.append("\n## Latency per transaction (µs, p50 / p99, retries included, median of repeats) and spread\n\n");
        latency(b);
        b.append("\n## Abort rate (attempts that failed with a retryable error and were retried, % of attempts, "
                + "warm-up included; median of repeats)\n\n");
        perEngine(b, s -> TxnBench.abortPercent(s.counters()), v -> String.format(Locale.ROOT, "%.1f %%", v));
        b.append("\n## CPU per commit (µs of this JVM's CPU time in the measured window / commits, median of "
                + "repeats)\n\n");
        perEngine(b, Sample::cpuUsPerOp, Cells::us);
        if (peers.contains("PostgreSQL")) {
            b.append("\nPostgreSQL's server runs in processes of its own: its column counts only the JDBC client "
                    + "side; the others run inside this JVM.\n");
        }
        footnotes(b);
        if (config.repeats > 1) {
            b.append("\n## Same-run ratios per repeat (engines measured back to back)\n\n");
            perRepeatRatios(b);
        }
        b.append("\n## Notes\n\n");
        notes(b);
        b.append("\n## Settings\n\n");
        settings(b);
        return b.toString();
    }

    private String label(Row row) {
        int n = TxnBench.txnRows(row);
        String keyspace = TxnBench.keyspace(row);
        return String.format(Locale.ROOT, "%d-row txn, %s keys (%,d)", n, keyspace, config.keys(keyspace));
    }

    private void throughput(StringBuilder b) {
        List<String> columns = new ArrayList<>(results.engines);
        for (String p : phantoms) {
            for (String o : peers) {
                columns.add(p + "/" + o);
            }
        }
        head(b, "| transaction | threads |", columns);
        for (Row row : results.rows) {
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String e : results.engines) {
                b.append(' ').append(cell(Cells.ops(results.ops(row, e)), row, e)).append(" |");
            }
            for (String p : phantoms) {
                for (String o : peers) {
                    b.append(' ').append(ratio(results.ops(row, p), results.ops(row, o))).append(" |");
                }
            }
            b.append('\n');
        }
        b.append("\nDurability: Phantom (`durability = commit`), PostgreSQL (`synchronous_commit = on`) and SQLite "
                + "(`synchronous = FULL`) fsync every commit before it returns; **H2 never fsyncs at commit**, so its "
                + "figures are not durable commits. A 10-row transaction is ten single-row `UPDATE ... WHERE id = ?` "
                + "statements between BEGIN and COMMIT, on distinct random keys in "
                + (config.sortedKeys ? "ascending order (no deadlocks)" : "random order (so concurrent ones can "
                + "deadlock)") + ".\n");
        if (phantoms.size() > 0 && java.util.Arrays.stream(config.phantomPartitions).anyMatch(p -> p > 1)) {
            b.append("\nCross-partition commits (Phantom with more than 1 partition, 10-row transactions): ")
                    .append(PhantomTxnTarget.crossPartitionCommit()).append(". The harness measures whichever "
                    + "protocol the jar has. 1-row transactions touch one partition in any table.\n");
        }
        for (Map.Entry<String, String> e : results.skipped.entrySet()) {
            b.append("\n**").append(e.getKey()).append(" was skipped**: ").append(e.getValue()).append('\n');
        }
    }

    /** Cells.ratio, but "n/a" when either side has no positive rate (a row where an engine got no sample). */
    private static String ratio(double a, double b) {
        return a > 0 && b > 0 ? Cells.ratio(a, b) : "n/a";
    }

    private void latency(StringBuilder b) {
        boolean spread = config.repeats > 1;
        List<String> columns = new ArrayList<>(results.engines.stream().map(e -> e + " p50 / p99").toList());
        columns.add(spread ? "spread commits/s (min...max of " + config.repeats + ")" : "spread");
        head(b, "| transaction | threads |", columns);
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

    /** One table of a per-sample figure (median over repeats; samples where it is unknown are left out). */
    private void perEngine(StringBuilder b, ToDoubleFunction<Sample> field, DoubleFunction<String> format) {
        head(b, "| transaction | threads |", results.engines);
        for (Row row : results.rows) {
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String e : results.engines) {
                List<Double> v = new ArrayList<>();
                for (Sample s : results.samples(row, e)) {
                    double x = field.applyAsDouble(s);
                    if (!Double.isNaN(x)) {
                        v.add(x);
                    }
                }
                b.append(' ').append(v.isEmpty() ? "—" : format.apply(Results.median(v))).append(" |");
            }
            b.append('\n');
        }
    }

    private void perRepeatRatios(StringBuilder b) {
        List<String> columns = new ArrayList<>();
        for (String p : phantoms) {
            for (String o : peers) {
                columns.add(p + "/" + o);
            }
        }
        head(b, "| transaction | threads |", columns);
        for (Row row : results.rows) {
            b.append("| ").append(label(row)).append(" | ").append(row.threads()).append(" |");
            for (String p : phantoms) {
                for (String o : peers) {
                    List<Double> r = results.pairedRatios(results.byRepeat(row, p), results.byRepeat(row, o)).stream()
                            .filter(x -> x > 0 && !x.isInfinite()).toList();
                    b.append(' ').append(r.isEmpty() ? "—" : String.join(", ", r.stream()
                            .map(x -> String.format(Locale.ROOT, "%.2fx", x)).toList())).append(" |");
                }
            }
            b.append('\n');
        }
    }

    private void notes(StringBuilder b) {
        head(b, "| note |", results.engines);
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
            counterRatio(b, row, "WAL records per commit", TxnCounters.COMMITS, "%.2f");
        }
        for (Row row : results.rows) {
            counterRatio(b, row, "WAL records per WAL fsync", "walSyncs", "%.1f");
        }
        for (Row row : results.rows) {
            abortCodes(b, row);
        }
        for (String e : results.engines) {
            String close = results.textNotes.getOrDefault(e, Map.of()).get("close");
            if (close != null) {
                b.append("| close |").append(" ").append(e).append(": ").append(close).append(" |\n");
            }
        }
        if (!phantoms.isEmpty()) {
            b.append("\nPhantom's WAL counters, over the phase (warm-up included), summed over its partition "
                    + "engines: WAL records per commit is 1 for a single-partition commit; a cross-partition commit "
                    + "writes in each partition it touched (a 10-row commit on 4 partitions touches about 3.8)"
                    + (PhantomTxnTarget.twoPhaseCommit() ? ", a PREPARE record and then a commit record" : "")
                    + ". WAL records per WAL fsync is group commit: how many records one fsync made durable.\n");
        }
    }

    /** Median over repeats of Phantom's walRecords / counter {@code den} in a row, for engines that have both. */
    private void counterRatio(StringBuilder b, Row row, String note, String den, String format) {
        StringBuilder cells = new StringBuilder();
        boolean any = false;
        for (String e : results.engines) {
            List<Double> ratios = new ArrayList<>();
            for (Sample s : results.samples(row, e)) {
                Long n = s.counters().get("walRecords");
                Long d = s.counters().get(den);
                if (n != null && d != null && d > 0) {
                    ratios.add(n / (double) d);
                }
            }
            any |= !ratios.isEmpty();
            cells.append(' ').append(ratios.isEmpty() ? "—"
                    : String.format(Locale.ROOT, format, Results.median(ratios))).append(" |");
        }
        if (any) {
            b.append("| ").append(label(row)).append(" x").append(row.threads()).append(": ").append(note)
                    .append(" |").append(cells).append('\n');
        }
    }

    /** Aborted attempts by code over all repeats of a row, where any engine had some. */
    private void abortCodes(StringBuilder b, Row row) {
        StringBuilder cells = new StringBuilder();
        boolean any = false;
        for (String e : results.engines) {
            Map<String, Long> codes = new TreeMap<>();
            for (Sample s : results.samples(row, e)) {
                s.counters().forEach((k, v) -> {
                    if (k.startsWith(TxnCounters.ABORT_PREFIX) && v > 0) {
                        codes.merge(k.substring(TxnCounters.ABORT_PREFIX.length()), v, Long::sum);
                    }
                });
            }
            any |= !codes.isEmpty();
            List<String> parts = new ArrayList<>();
            codes.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s: %,d", k, v)));
            cells.append(' ').append(parts.isEmpty() ? "—" : String.join(", ", parts)).append(" |");
        }
        if (any) {
            b.append("| ").append(label(row)).append(" x").append(row.threads())
                    .append(": aborted attempts by code (all repeats) |").append(cells).append('\n');
        }
    }

    private static void head(StringBuilder b, String leading, List<String> columns) {
        b.append(leading);
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 2; i < leading.split("\\|").length; i++) {
            rule.append("---:|");
        }
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
            rule.append("---:|");
        }
        b.append('\n').append(rule).append('\n');
    }

    private String cell(String value, Row row, String engine) {
        String error = results.error(row, engine);
        if (error == null) {
            return value;
        }
        String text = engine + " " + label(row) + " x" + row.threads() + ": " + error.replace("|", "\\|");
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

    private void settings(StringBuilder b) {
        b.append(String.format(Locale.ROOT, "- Data (all engines): `%s`, %,d rows (id 0..%,d, val = 0, pad = 100 "
                        + "characters), loaded in %d-row transactions. Transaction: BEGIN; `%s` once per key; COMMIT "
                        + "(Phantom: `Session.execute`; JDBC: autocommit off, the UPDATE prepared once per connection, "
                        + "`commit()`). Keys: distinct, uniform at random over the key space (uniform: the whole "
                        + "table; hot: ids 0..%,d), in %s order, from per-thread seeded generators: every engine "
                        + "gets the same transactions. Isolation: %s (SQLite: serializable, one writer).%n",
                TxnTarget.CREATE, config.rows, config.rows - 1, config.loadBatch, TxnTarget.UPDATE,
                config.hotRows - 1, config.sortedKeys ? "ascending" : "drawn", config.isolationSql()));
        b.append("- Retries: a transaction that fails with a retryable error (SQLSTATE class 40: 40001 serialization "
                + "failure, 40P01 deadlock; SQLite: SQLITE_BUSY) is rolled back and run again at once with the same "
                + "keys, up to ").append(config.retriesMax).append(" times; any other error fails the row. Its "
                + "latency runs from the first BEGIN to the COMMIT that succeeded. Every UPDATE must change 1 row, "
                + "and after every row `SUM(val)` must equal the row updates the clients saw committed.\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
    }
}
