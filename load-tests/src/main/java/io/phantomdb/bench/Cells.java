package io.phantomdb.bench;

import io.phantomdb.bench.Timed.Sample;
import java.util.List;
import java.util.Locale;

/** How the reports print a table cell: rates, latencies, spreads over repeats and per-repeat ratios. */
final class Cells {

    private Cells() {}

    /** Operations per second: one decimal below 100, else a whole number with thousands separators. */
    static String ops(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return v < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String us(double v) {
        return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** "p50 / p99" in µs, each the median over the repeats. */
    static String latency(List<Sample> samples) {
        if (samples.isEmpty()) {
            return "—";
        }
        return us(Results.median(samples, Sample::p50us)) + " / " + us(Results.median(samples, Sample::p99us));
    }

    /** min...max ops/s over the repeats. */
    static String range(List<Sample> s) {
        return ops(Results.min(s)) + "..." + ops(Results.max(s));
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    /** "; per repeat 1.02x, 0.97x" when there are two or more repeats, else "". */
    static String perRepeat(List<Double> ratios) {
        if (ratios.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("; per repeat ");
        for (int i = 0; i < ratios.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", ratios.get(i)));
        }
        return b.toString();
    }
}
