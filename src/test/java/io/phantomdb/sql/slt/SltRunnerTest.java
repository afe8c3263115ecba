package io.phantomdb.sql.slt;

import static io.phantomdb.sql.slt.FakeSltDatabase.column;
import static io.phantomdb.sql.slt.FakeSltDatabase.fails;
import static io.phantomdb.sql.slt.FakeSltDatabase.row;
import static io.phantomdb.sql.slt.FakeSltDatabase.rows;
import static io.phantomdb.sql.slt.FakeSltDatabase.sleeps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.sql.slt.FakeSltDatabase.Answer;
import io.phantomdb.sql.slt.SltReport.Counts;
import io.phantomdb.sql.slt.SltReport.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link SltRunner} executes one script the way the README's "What our runner must do" and "Counting
 * the pass rate" sections say: statement ok/error expectations, value and digest comparison after the sort
 * mode, column and value counts, labels, skipif/onlyif under two profiles, halt, the hash threshold in
 * failure reasons, timeouts counted as failures, keep going after a failure, and file:line on every failure.
 *
 * <p>Method: small inline scripts run through {@link SltRunner#runScript} against {@link FakeSltDatabase},
 * whose answers are written in each test; the test then checks the counts, the failures and which SQL
 * reached the fake. Budget, directory and timeout cases are in {@link SltRunnerLimitsTest}.
 */
class SltRunnerTest {

    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<FakeSltDatabase> made = new CopyOnWriteArrayList<>();

    private SltReport run(String profile, String script, Map<String, Answer> answers) {
        SltRunner runner = new SltRunner(FakeSltDatabase.factory(answers, calls, made), profile, MINUTE, FIVE_SECONDS);
        return runner.runScript("t.test", script);
    }

    private SltReport run(String script, Map<String, Answer> answers) {
        return run("postgresql", script, answers);
    }

    @Test
    void statementOkMustSucceedAndStatementErrorMustFail() {
        String script = """
                statement ok
                CREATE GOOD

                statement ok
                CREATE BAD

                statement error
                DROP BAD

                statement error
                DROP GOOD
                """;
        SltReport report = run(script, Map.of("CREATE BAD", fails("boom"), "DROP BAD", fails("no such table")));

        assertEquals(new Counts(4, 2, 0, 0, 0, 0), report.total());
        List<Failure> failures = report.failures();
        assertEquals(List.of(4, 10), failures.stream().map(Failure::line).toList());
        assertEquals("statement failed: SQLException: boom", failures.get(0).reason());
        assertEquals("statement succeeded but an error was expected", failures.get(1).reason());
        assertEquals(List.of("CREATE GOOD", "CREATE BAD", "DROP BAD", "DROP GOOD"), calls, "kept going");
    }

    @Test
    void queriesPassByValuesAndByDigest() {
        String script = """
                query I rowsort
                SELECT col
                ----
                1
                2

                query III rowsort
                SELECT DISTINCT * FROM tab2
                ----
                9 values hashing to 75c998aa53ac83218cbf2feb962d0a49
                """;
        SltReport report = run(script, Map.of("SELECT col", column(2, 1),
                "SELECT DISTINCT * FROM tab2", rows(row(64, 77, 40), row(75, 67, 58), row(46, 51, 23))));

        assertEquals(new Counts(0, 0, 2, 2, 0, 0), report.total());
        assertTrue(report.failures().isEmpty());
    }

    private static final String PROFILE_SCRIPT = """
            query I nosort
            SELECT 'plain'
            ----
            1

            skipif postgresql # column alias without AS
            query I nosort
            SELECT 'not-postgresql'
            ----
            1

            onlyif mysql
            query I nosort
            SELECT 'mysql-only'
            ----
            1

            onlyif postgresql
            query I nosort
            SELECT 'postgresql-only'
            ----
            1
            """;

    private static final Map<String, Answer> PROFILE_ANSWERS = Map.of("SELECT 'plain'", column(1),
            "SELECT 'not-postgresql'", column(1), "SELECT 'mysql-only'", column(1),
            "SELECT 'postgresql-only'", column(1));

    @Test
    void postgresqlProfileSkipsSkipifPostgresqlAndOtherEnginesOnlyif() {
        SltReport report = run("postgresql", PROFILE_SCRIPT, PROFILE_ANSWERS);

        assertEquals("postgresql", report.engineName());
        assertEquals(List.of("SELECT 'plain'", "SELECT 'postgresql-only'"), calls);
        assertEquals(new Counts(0, 0, 2, 2, 2, 0), report.total());
    }

    @Test
    void neutralProfileRunsSkipifPostgresqlQueries() {
        SltReport report = run("phantomdb", PROFILE_SCRIPT, PROFILE_ANSWERS);

        assertEquals("phantomdb", report.engineName());
        assertEquals(List.of("SELECT 'plain'", "SELECT 'not-postgresql'"), calls);
        assertEquals(new Counts(0, 0, 2, 2, 2, 0), report.total());
    }

    private static final String HALT_SCRIPT = """
            statement ok
            CREATE T

            onlyif mssql
            halt

            query I nosort
            SELECT 1
            ----
            1

            halt

            statement ok
            INSERT NEVER

            query I nosort
            SELECT NEVER
            ----
            1
            """;

    @Test
    void haltEndsTheFileAndTheRestCountsAsSkipped() {
        SltReport report = run(HALT_SCRIPT, Map.of("SELECT 1", column(1)));

        assertEquals(List.of("CREATE T", "SELECT 1"), calls);
        assertEquals(new Counts(1, 1, 1, 1, 2, 0), report.total());
    }

    @Test
    void guardedHaltAppliesOnlyToItsEngine() {
        SltReport report = run("mssql", HALT_SCRIPT, Map.of());

        assertEquals(List.of("CREATE T"), calls);
        assertEquals(new Counts(1, 1, 0, 0, 3, 0), report.total());
    }

    private static final String WRONG_THREE_VALUES = """
            query I nosort
            SELECT three
            ----
            1
            2
            4
            """;

    @Test
    void failureShowsActualValuesUpToTheDefaultThresholdOfEight() {
        SltReport report = run(WRONG_THREE_VALUES, Map.of("SELECT three", column(1, 2, 3)));

        String reason = report.failures().get(0).reason();
        assertEquals("wrong result: expected 3 values: 1 2 4, got 3 values: 1 2 3"
                + " (first difference at value 3: expected 4, got 3)", reason);
    }

    @Test
    void failureShowsDigestLineAboveAHashThreshold() {
        SltReport report = run("hash-threshold 2\n\n" + WRONG_THREE_VALUES, Map.of("SELECT three", column(1, 2, 3)));

        String reason = report.failures().get(0).reason();
        assertTrue(reason.contains("got 3 values hashing to c0710d6b4f15dfa88f600b0e6b624077"), reason);
        assertEquals(3, report.failures().get(0).line(), "line of the query, after the hash-threshold record");
    }

    @Test
    void rowsortSortsTextBytewiseAndNosortKeepsEngineOrder() {
        String script = """
                query I rowsort
                SELECT n
                ----
                10
                9

                query I nosort
                SELECT n
                ----
                10
                9
                """;
        SltReport report = run(script, Map.of("SELECT n", column(9, 10)));

        assertEquals(new Counts(0, 0, 2, 1, 0, 0), report.total());
        assertEquals(7, report.failures().get(0).line());
    }

    @Test
    void valuesortComparesSortedSingleValues() {
        String script = "query IT valuesort\nSELECT pairs\n----\n1\n2\na\nb\n";
        SltReport report = run(script, Map.of("SELECT pairs", rows(row(2, "b"), row(1, "a"))));

        assertEquals(new Counts(0, 0, 1, 1, 0, 0), report.total());
    }

    @Test
    void queriesOfOneLabelMustAgree() {
        String script = """
                query I rowsort label-1
                SELECT A
                ----
                1

                query I rowsort label-1
                SELECT B
                ----
                2

                query I rowsort label-2
                SELECT A
                ----
                1

                skipif postgresql
                query I rowsort label-2
                SELECT B
                ----
                2

                query I rowsort label-2
                SELECT A2
                ----
                1
                """;
        SltReport report = run(script, Map.of("SELECT A", column(1), "SELECT B", column(2), "SELECT A2", column(1)));

        assertEquals(new Counts(0, 0, 4, 3, 1, 0), report.total());
        Failure f = report.failures().get(0);
        assertEquals(6, f.line());
        assertTrue(f.reason().startsWith("label label-1 disagrees with line 1"), f.reason());
    }

    @Test
    void wrongColumnCountAndWrongValueCountFail() {
        String script = """
                query II nosort
                SELECT one_column
                ----
                1
                1

                query I nosort
                SELECT two_rows
                ----
                1
                """;
        SltReport report = run(script, Map.of("SELECT one_column", column(1), "SELECT two_rows", column(1, 1)));

        List<Failure> failures = report.failures();
        assertEquals(2, failures.size());
        assertEquals("wrong column count: expected 2, got 1", failures.get(0).reason());
        assertTrue(failures.get(1).reason().startsWith("wrong result: expected 1 values: 1, got 2 values"),
                failures.get(1).reason());
    }

    @Test
    void queryThatErrorsIsAFailure() {
        SltReport report = run("query I nosort\nSELECT broken\n----\n1\n", Map.of("SELECT broken", fails("syntax")));

        assertEquals(new Counts(0, 0, 1, 0, 0, 0), report.total());
        assertEquals("query failed: SQLException: syntax", report.failures().get(0).reason());
    }

    @Test
    void malformedRecordCountsAsAFailedQuery() {
        SltReport report = run("query Q nosort\nSELECT 1\n----\n1\n", Map.of());

        assertEquals(new Counts(0, 0, 1, 0, 0, 0), report.total());
        assertTrue(report.failures().get(0).reason().startsWith("cannot parse record"));
    }

    @Test
    void timeoutIsAFailureAndTheFileGoesOn() {
        String script = "statement ok\nSLOW\n\nquery I nosort\nSELECT 1\n----\n1\n";
        Map<String, Answer> answers = Map.of("SLOW", sleeps(Duration.ofSeconds(30)), "SELECT 1", column(1));
        SltRunner runner = new SltRunner(FakeSltDatabase.factory(answers), "postgresql", MINUTE,
                Duration.ofMillis(200));

        SltReport report = runner.runScript("t.test", script);

        assertEquals(new Counts(1, 0, 1, 1, 0, 0), report.total());
        assertEquals("timed out after 200 ms", report.failures().get(0).reason());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "did not wait for the sleep");
    }

    @Test
    void failuresCarryFileNameAndLine() {
        SltRunner runner = new SltRunner(FakeSltDatabase.factory(Map.of()), "postgresql", MINUTE, FIVE_SECONDS);

        SltReport report = runner.runScript("index/x/slt_good_0.test", "\n\nquery I\nSELECT nothing\n");

        Failure f = report.failures().get(0);
        assertEquals("index/x/slt_good_0.test", f.file());
        assertEquals(3, f.line());
        assertTrue(f.toString().startsWith("index/x/slt_good_0.test:3: query failed"), f.toString());
    }

    @Test
    void eachRunStartsOnAFreshDatabaseThatIsClosedAtTheEnd() {
        run("statement ok\nCREATE T\n", Map.of());
        run("statement ok\nCREATE T\n", Map.of());

        assertEquals(2, made.size());
        assertTrue(made.stream().allMatch(FakeSltDatabase::closed));
    }

    @Test
    void tableNamesTheProfileTotalsAndFailures() {
        SltReport report = run(PROFILE_SCRIPT + "\nquery I\nSELECT nothing\n", PROFILE_ANSWERS);

        String table = report.toTable(10);
        assertTrue(table.contains("engine profile 'postgresql'"), table);
        assertTrue(table.contains("2/3 66.7%"), table);
        assertTrue(table.contains("t.test:24: query failed"), table);
    }
}
