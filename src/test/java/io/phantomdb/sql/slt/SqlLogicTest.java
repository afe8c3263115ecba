package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

    /** Overall query pass rate (passed / executed, postgresql profile) below which the build fails. */
    static final double QUERY_FLOOR = 0.0;
    /** Statement pass rate floor. */
    static final double STATEMENT_FLOOR = 0.0;
    /** Wall-clock budget of the whole run (CI must stay within its time limit). */
    static final Duration BUDGET = Duration.ofMinutes(Long.getLong("phantom.slt.budget-minutes", 12));

    private static void writeFullReport(SltReport report) {
        try {
            java.nio.file.Files.createDirectories(REPORT.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(REPORT, report.toTable(Integer.MAX_VALUE));
        } catch (java.io.IOException e) {
            System.out.println("could not write " + REPORT + ": " + e);
        }
    }

    @Test
    void sharedSliceMeetsTheFloor() {
        Path root = SltCorpusParseTest.corpus();
        String only = System.getProperty("phantom.slt.only");
        Path target = only == null ? root : root.resolve(only);
        SltReport report = SltRunner.runAll(target,
                () -> new PhantomSltDatabase(Map.of("phantom.sql.default-partitions", 1, "phantom.storage.durability", "off")),
                "postgresql", BUDGET, Duration.ofSeconds(10));
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
