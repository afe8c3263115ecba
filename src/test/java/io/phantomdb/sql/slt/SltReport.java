package io.phantomdb.sql.slt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one run: counts per file and in total, every failure with its file and line, the engine
 * profile the conditions were evaluated with, and whether the time budget ran out (README "Counting the
 * pass rate"). Pass rates are passed / executed, for statements and queries separately; records skipped
 * by conditions or after {@code halt}, and records not run for lack of time, are outside the rates and
 * reported on their own.
 *
 * @param engineName      the profile used for skipif/onlyif, e.g. {@code postgresql}
 * @param files           one entry per script, in run order
 * @param budgetExhausted where the run stopped for lack of time ({@code file:line}), if it did
 * @param elapsed         wall-clock time of the run
 */
public record SltReport(String engineName, List<FileReport> files, Optional<String> budgetExhausted,
        Duration elapsed) {

    public SltReport {
        files = List.copyOf(files);
    }

    /** How many records of each kind were executed, passed, skipped or not run. */
    public record Counts(int statementsExecuted, int statementsPassed, int queriesExecuted, int queriesPassed,
            int skipped, int notRun) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(statementsExecuted + o.statementsExecuted, statementsPassed + o.statementsPassed,
                    queriesExecuted + o.queriesExecuted, queriesPassed + o.queriesPassed,
                    skipped + o.skipped, notRun + o.notRun);
        }

        /** Passed / executed statements; NaN when none ran, so that a floor check cannot pass on nothing. */
        public double statementPassRate() {
            return rate(statementsPassed, statementsExecuted);
        }

        /** Passed / executed queries; NaN when none ran. */
        public double queryPassRate() {
            return rate(queriesPassed, queriesExecuted);
        }

        public int failed() {
            return statementsExecuted - statementsPassed + queriesExecuted - queriesPassed;
        }

        private static double rate(int passed, int executed) {
            return executed == 0 ? Double.NaN : (double) passed / executed;
        }
    }

    /** One failed record: where it is and a short reason. */
    public record Failure(String file, int line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** The counts and failures of one script file. */
    public record FileReport(String file, Counts counts, List<Failure> failures) {
        public FileReport {
            failures = List.copyOf(failures);
        }
    }

    /** The sum over all files. */
    public Counts total() {
        return files.stream().map(FileReport::counts).reduce(Counts.ZERO, Counts::plus);
    }

    /** Every failure of every file, in run order. */
    public List<Failure> failures() {
        List<Failure> all = new ArrayList<>();
        files.forEach(f -> all.addAll(f.failures()));
        return all;
    }

    /** The report of one file, looked up by the name it was reported under. */
    public Optional<FileReport> file(String name) {
        return files.stream().filter(f -> f.file().equals(name)).findFirst();
    }

    /** The report as a text table followed by up to {@code maxFailures} failures. */
    public String toTable(int maxFailures) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sqllogictest: engine profile '%s', %d files, %.1f s%n",
                engineName, files.size(), elapsed.toMillis() / 1000.0));
        int width = Math.max(5, files.stream().mapToInt(f -> f.file().length()).max().orElse(5));
        String row = "%-" + width + "s  %18s  %20s  %8s  %8s%n";
        sb.append(String.format(Locale.ROOT, row, "file", "statements", "queries", "skipped", "not run"));
        files.forEach(f -> appendRow(sb, row, f.file(), f.counts()));
        appendRow(sb, row, "total", total());
        budgetExhausted.ifPresent(at -> sb.append("time budget exhausted at ").append(at)
                .append(": remaining records not run\n"));
        appendFailures(sb, maxFailures);
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable(20);
    }

    private static void appendRow(StringBuilder sb, String row, String name, Counts c) {
        sb.append(String.format(Locale.ROOT, row, name,
                ratio(c.statementsPassed(), c.statementsExecuted(), c.statementPassRate()),
                ratio(c.queriesPassed(), c.queriesExecuted(), c.queryPassRate()), c.skipped(), c.notRun()));
    }

    private static String ratio(int passed, int executed, double rate) {
        String percent = Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
        return passed + "/" + executed + " " + percent;
    }

    private void appendFailures(StringBuilder sb, int max) {
        List<Failure> all = failures();
        if (all.isEmpty()) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "failures (%d, first %d):%n", all.size(), Math.min(max, all.size())));
        all.stream().limit(max).forEach(f -> sb.append("  ").append(f).append('\n'));
    }
}
