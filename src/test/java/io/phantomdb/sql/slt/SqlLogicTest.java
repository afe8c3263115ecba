package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: Phantom-DB answers the shared sqllogictest slice correctly (issue 4, deliverable 8): the query pass
 * rate under the {@code postgresql} profile stays at or above the floor reached so far, and no statement the
 * corpus expects to succeed fails silently.
 *
 * <p>Method: every {@code *.test} file under {@code ../shared/conformance/sqllogictest} runs on a fresh
 * database (one node per file, one partition per table to keep the run short; partitioning is covered by
 * PhantomDbTest), within a time budget; records not reached in time count as not passed. The full report
 * (pass rate per file and in total, every failure with file and line) is printed to the test output
 * (target/surefire-reports). Raise {@link #QUERY_FLOOR} when the engine improves; never lower it to pass.
 */
class SqlLogicTest {
    /** Where the full report (every failure) goes; printed output keeps the first 200. */
    static final Path REPORT = Path.of(System.getProperty("phantom.slt.report", "target/sqllogictest-report.txt"));

    /**
     * Overall query pass rate (passed / (executed + not run), postgresql profile) below which the build fails:
     * the rate reached on 2026-11-24 (156,291 of 156,291 queries).
     */
    static final double QUERY_FLOOR = 1.0;
    /** Statement pass rate floor: reached 14,147 of 14,147. */
    static final double STATEMENT_FLOOR = 1.0;
    /** Wall-clock budget of the whole run (CI must stay within its time limit); about 5 minutes on 2 cores. */
    static final Duration BUDGET = Duration.ofMinutes(Long.getLong("phantom.slt.budget-minutes", 18));
    /** Files run in parallel, each on its own database (one JVM, one actor system per file). */
    static final int THREADS = Integer.getInteger("phantom.slt.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));

    /**
     * Splits the files over {@link #THREADS} runners. Each runner gets a directory of symbolic links to its
     * share of the files (same relative paths), so reports keep the corpus paths; the reports are merged.
     */
    private static SltReport runInParallel(Path target) throws Exception {
        List<Path> files = SltRunner.testFiles(target);
        boolean single = java.nio.file.Files.isRegularFile(target);
        if (single || THREADS <= 1) {
            return runner().run(target);
        }
        Path links = java.nio.file.Files.createTempDirectory("phantom-slt-links");
        List<java.util.concurrent.Future<SltReport>> parts = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
        try {
            for (int t = 0; t < THREADS; t++) {
                Path share = links.resolve("share-" + t);
                for (int i = t; i < files.size(); i += THREADS) {
                    Path link = share.resolve(target.relativize(files.get(i)).toString());
                    java.nio.file.Files.createDirectories(link.getParent());
                    java.nio.file.Files.createSymbolicLink(link, files.get(i).toAbsolutePath());
                }
                parts.add(pool.submit(() -> runner().run(share)));
            }
            List<SltReport.FileReport> reports = new ArrayList<>();
            Optional<String> exhausted = Optional.empty();
            Duration elapsed = Duration.ZERO;
            for (java.util.concurrent.Future<SltReport> part : parts) {
                SltReport r = part.get();
                reports.addAll(r.files());
                exhausted = exhausted.or(r::budgetExhausted);
                elapsed = elapsed.compareTo(r.elapsed()) > 0 ? elapsed : r.elapsed();
            }
            reports.sort(java.util.Comparator.comparing(SltReport.FileReport::file));
            return new SltReport("postgresql", reports, exhausted, elapsed);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SltRunner runner() {
        return new SltRunner(() -> new PhantomSltDatabase(Map.of("phantom.sql.default-partitions", 1,
                "phantom.storage.durability", "off")), "postgresql", BUDGET, Duration.ofSeconds(10));
    }

    private static void writeFullReport(SltReport report) {
        try {
            java.nio.file.Files.createDirectories(REPORT.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(REPORT, report.toTable(Integer.MAX_VALUE));
        } catch (java.io.IOException e) {
            System.out.println("could not write " + REPORT + ": " + e);
        }
    }

    @Test
    void sharedSliceMeetsTheFloor() throws Exception {
        Path root = SltCorpusParseTest.corpus();
        String only = System.getProperty("phantom.slt.only");
        Path target = only == null ? root : root.resolve(only);
        SltReport report = runInParallel(target);
        System.out.println(report.toTable(200));
        writeFullReport(report);
        SltReport.Counts total = report.total();
        // Records the budget did not reach count against the rate here: a slow engine must not pass by
        // running less of the corpus.
        double queryRate = (double) total.queriesPassed() / (total.queriesExecuted() + total.notRun());
        double statementRate = (double) total.statementsPassed() / Math.max(1, total.statementsExecuted());
        assertTrue(queryRate >= QUERY_FLOOR, "query pass rate " + queryRate + " < floor " + QUERY_FLOOR);
        assertTrue(statementRate >= STATEMENT_FLOOR, "statement pass rate " + statementRate + " < floor " + STATEMENT_FLOOR);
    }
}
