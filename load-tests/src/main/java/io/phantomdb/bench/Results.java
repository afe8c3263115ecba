package io.phantomdb.bench;

import io.phantomdb.bench.Timed.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Everything measured in one run: samples per row and engine (one per repeat), errors and notes. */
final class Results {

    /** A table row: a phase at a thread count. */
    record Row(String phase, int threads) {}

    final List<Row> rows = new ArrayList<>();
    final Map<Row, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    final Map<Row, Map<String, String>> errors = new LinkedHashMap<>();
    final List<Sample> fsync = new ArrayList<>();
    final Map<String, String> skipped = new LinkedHashMap<>();
    /** engine -> note -> one value per repeat (the report shows the median). */
    final Map<String, Map<String, List<Double>>> numericNotes = new LinkedHashMap<>();
    /** engine -> note -> text of the last repeat. */
    final Map<String, Map<String, String>> textNotes = new LinkedHashMap<>();
    final List<String> engines = new ArrayList<>();
    /** 1-minute load average sampled before each repeat and each timed phase. */
    final List<Double> loadAverages = new ArrayList<>();

    Row row(String phase, int threads) {
        Row r = new Row(phase, threads);
        if (!rows.contains(r)) {
            rows.add(r);
        }
        return r;
    }

    /** The repeat being run (set by the driver), so samples of one repeat can be paired. */
    int currentRepeat;
    final Map<Row, Map<String, Map<Integer, Sample>>> byRepeat = new LinkedHashMap<>();
    final Map<Integer, Sample> fsyncByRepeat = new LinkedHashMap<>();

    void add(Row row, String engine, Sample sample) {
        samples.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(engine, k -> new ArrayList<>())
                .add(sample);
        byRepeat.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(engine, k -> new LinkedHashMap<>())
                .put(currentRepeat, sample);
    }

    void addFsync(Sample sample) {
        fsync.add(sample);
        fsyncByRepeat.putIfAbsent(currentRepeat, sample);
    }

    /** Per-repeat ratios a/b of ops/s, for the repeats where both were measured. */
    List<Double> pairedRatios(Map<Integer, Sample> a, Map<Integer, Sample> b) {
        List<Double> ratios = new ArrayList<>();
        a.forEach((repeat, sample) -> {
            Sample other = b.get(repeat);
            if (other != null) {
                ratios.add(sample.opsPerSec() / other.opsPerSec());
            }
        });
        return ratios;
    }

    Map<Integer, Sample> byRepeat(Row row, String engine) {
        return byRepeat.getOrDefault(row, Map.of()).getOrDefault(engine, Map.of());
    }

    void error(Row row, String engine, String message) {
        errors.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(engine, message);
    }

    void note(String engine, String note, double value) {
        numericNotes.computeIfAbsent(engine, k -> new LinkedHashMap<>()).computeIfAbsent(note, k -> new ArrayList<>())
                .add(value);
    }

    void note(String engine, String note, String text) {
        textNotes.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(note, text);
    }

    List<Sample> samples(Row row, String engine) {
        return samples.getOrDefault(row, Map.of()).getOrDefault(engine, List.of());
    }

    String error(Row row, String engine) {
        return errors.getOrDefault(row, Map.of()).get(engine);
    }

    /** Median over repeats of one field; NaN when there is no sample. */
    static double median(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return median(samples.stream().mapToDouble(field).sorted().toArray());
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::opsPerSec).min().orElse(Double.NaN);
    }

    static double max(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::opsPerSec).max().orElse(Double.NaN);
    }

    /** Per-key change of engine counters over a phase (keys of {@code after}; missing before = 0). */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    /** Median ops/s of a row for an engine, NaN if missing. */
    double ops(Row row, String engine) {
        return median(samples(row, engine), Sample::opsPerSec);
    }
}
