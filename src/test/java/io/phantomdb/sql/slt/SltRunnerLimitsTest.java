package io.phantomdb.sql.slt;

import static io.phantomdb.sql.slt.FakeSltDatabase.column;
import static io.phantomdb.sql.slt.FakeSltDatabase.sleeps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.sql.slt.FakeSltDatabase.Answer;
import io.phantomdb.sql.slt.SltReport.Counts;
import io.phantomdb.sql.slt.SltReport.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the runner stays honest at its limits: an exhausted time budget turns the remaining records into
 * "not run" (never passed), an engine stuck beyond a timeout fails the rest of its file, a database that
 * cannot be opened fails the file's records, and a directory run gives each file its own fresh database and
 * its own labels.
 *
 * <p>Method: inline scripts and scripts written to a {@link TempDir}, run against {@link FakeSltDatabase}
 * with answers that sleep, refuse to stop, or whose factory throws; the counts and failures are checked.
 */
class SltRunnerLimitsTest {

    private static final String SCRIPT = """
            statement ok
            CREATE T

            skipif postgresql
            statement ok
            INSERT SKIPPED

            query I nosort
            SELECT 1
            ----
            1
            """;

    @Test
    void zeroBudgetRunsNothingAndCountsEverythingAsNotRun() {
        List<FakeSltDatabase> made = new CopyOnWriteArrayList<>();
        Supplier<SltDatabase> factory = FakeSltDatabase.factory(Map.of(), new CopyOnWriteArrayList<>(), made);

        SltReport report = new SltRunner(factory, "postgresql", Duration.ZERO, Duration.ofSeconds(5))
                .runScript("t.test", SCRIPT);

        assertEquals(new Counts(0, 0, 0, 0, 1, 2), report.total(), "skipped stays skipped, the rest is not run");
        assertEquals("t.test:1", report.budgetExhausted().orElseThrow());
        assertTrue(Double.isNaN(report.total().queryPassRate()), "no rate from nothing");
        assertTrue(made.isEmpty(), "no database opened when nothing runs");
    }

    @Test
    void budgetRunningOutMidFileLeavesTheRestNotRun() {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            script.append("statement ok\nSLOW\n\n");
        }
        Map<String, Answer> answers = Map.of("SLOW", sleeps(Duration.ofMillis(25)));

        SltReport report = new SltRunner(FakeSltDatabase.factory(answers), "postgresql", Duration.ofMillis(150),
                Duration.ofSeconds(5)).runScript("t.test", script.toString());

        Counts c = report.total();
        assertTrue(c.statementsExecuted() > 0 && c.notRun() > 0, c.toString());
        assertEquals(20, c.statementsExecuted() + c.notRun());
        assertEquals(c.statementsExecuted(), c.statementsPassed(), "not-run records are never passed");
        assertTrue(report.budgetExhausted().isPresent());
        assertTrue(report.toTable(5).contains("time budget exhausted at t.test:"));
    }

    @Test
    void engineStuckAfterATimeoutFailsTheRestOfTheFile() {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Answer> answers = Map.of("STUCK", ignoresInterrupts(release), "SELECT 1", column(1));
        String script = "statement ok\nSTUCK\n\nstatement ok\nAFTER\n\nquery I\nSELECT 1\n----\n1\n";
        try {
            SltReport report = new SltRunner(FakeSltDatabase.factory(answers), "postgresql", Duration.ofMinutes(1),
                    Duration.ofMillis(100)).runScript("t.test", script);

            assertEquals(new Counts(2, 0, 1, 0, 0, 0), report.total());
            List<Failure> failures = report.failures();
            assertEquals("timed out after 100 ms", failures.get(0).reason());
            assertTrue(failures.get(1).reason().contains("still stuck in the record at line 1"), failures.get(1).reason());
            assertEquals(7, failures.get(2).line());
        } finally {
            release.countDown();
        }
    }

    /** An engine call that ignores interrupts, like one blocked in native code, until the test releases it. */
    private static Answer ignoresInterrupts(CountDownLatch release) {
        return () -> {
            while (true) {
                try {
                    release.await();
                    return List.of();
                } catch (InterruptedException e) {
                    // Deliberately ignored: this is the engine that will not stop.
                }
            }
        };
    }

    @Test
    void databaseThatCannotBeOpenedFailsTheFilesRecords() {
        Supplier<SltDatabase> factory = () -> {
            throw new IllegalStateException("no disk");
        };

        SltReport report = new SltRunner(factory, "postgresql", Duration.ofMinutes(1), Duration.ofSeconds(5))
                .runScript("t.test", SCRIPT);

        assertEquals(new Counts(1, 0, 1, 0, 1, 0), report.total());
        assertEquals("could not open a database: IllegalStateException: no disk", report.failures().get(0).reason());
    }

    @Test
    void directoryRunGivesEachFileAFreshDatabaseAndItsOwnLabels(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("a"));
        // CRLF as in most index/ and random/ files; the same label with another result in the other file.
        write(root.resolve("a/x.test"), "statement ok\r\nCREATE X\r\n\r\nquery I rowsort label-1\r\nSELECT 1\r\n----\r\n1\r\n");
        write(root.resolve("b.test"), "query I rowsort label-1\nSELECT 2\n----\n2\n");
        write(root.resolve("notes.txt"), "not a script");
        List<String> calls = new CopyOnWriteArrayList<>();
        List<FakeSltDatabase> made = new CopyOnWriteArrayList<>();
        Supplier<SltDatabase> factory = FakeSltDatabase.factory(
                Map.of("SELECT 1", column(1), "SELECT 2", column(2)), calls, made);

        SltReport report = SltRunner.runAll(root, factory, "postgresql", Duration.ofMinutes(1), Duration.ofSeconds(5));

        assertEquals(List.of("a/x.test", "b.test"), report.files().stream().map(SltReport.FileReport::file).toList());
        assertEquals(new Counts(1, 1, 2, 2, 0, 0), report.total());
        assertEquals(new Counts(0, 0, 1, 1, 0, 0), report.file("b.test").orElseThrow().counts());
        assertEquals(List.of("CREATE X", "SELECT 1", "SELECT 2"), calls);
        assertEquals(2, made.size());
        assertTrue(made.stream().allMatch(FakeSltDatabase::closed));
    }

    @Test
    void singleFileRootIsReportedUnderItsName(@TempDir Path root) throws IOException {
        Path file = root.resolve("one.test");
        write(file, "statement ok\nCREATE X\n");

        SltReport report = SltRunner.runAll(file, FakeSltDatabase.factory(Map.of()), "postgresql",
                Duration.ofMinutes(1), Duration.ofSeconds(5));

        assertEquals("one.test", report.files().get(0).file());
        assertEquals(new Counts(1, 1, 0, 0, 0, 0), report.total());
    }

    private static void write(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
