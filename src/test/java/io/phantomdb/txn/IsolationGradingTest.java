package io.phantomdb.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.SqlState;
import io.phantomdb.txn.HermitageCases.Case;
import io.phantomdb.txn.HermitageCases.Step;
import io.phantomdb.txn.HermitageCases.Variant;
import io.phantomdb.txn.StepRun.Outcome;
import io.phantomdb.txn.StrictCheck.Deviation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the grading of IsolationConformanceTest cannot pass by judging wrongly: each verdict rule and the strict
 * check, fed PostgreSQL's own behaviour, give PostgreSQL's results, and fed a history with the anomaly, see it.
 *
 * <p>Method: no database. For every scripted variant of the corpus, a history is built from the steps'
 * {@code expect} (as the runner records it: skipped steps after a failure); then single steps are changed into
 * the anomalous outcome (a dirty read, a write that should have failed, a commit that should not have
 * succeeded) and the verdict must flip to "anomaly" and the strict check must report the step.
 */
class IsolationGradingTest {
    private static HermitageCases corpus;

    /** The final table of a PostgreSQL run, for the cases whose verdict reads it and whose script has no final read. */
    private static final Map<String, List<List<Long>>> FINAL_TABLE = Map.of("PMP-write", rows(1, 20, 2, 30));

    @BeforeAll
    static void load() throws Exception {
        corpus = HermitageCases.load();
    }

    @Test
    void postgresBehaviourGivesPostgresVerdictsAndMatchesStrictly() {
        int variants = 0;
        for (Case c : corpus.cases()) {
            for (Variant v : c.variants()) {
                List<StepRun> history = asPostgres(v.steps());
                assertEquals(v.postgresResult().equals("anomaly"), verdict(c.id(), history), c.id() + " @ " + v.level());
                assertEquals(List.of(), StrictCheck.deviations(history, v.level()), c.id() + " @ " + v.level());
                variants++;
            }
        }
        assertEquals(20, variants, "scripted variants in the corpus");
    }

    @Test
    void everyPreventedAnomalyIsSeenWhenItHappens() {
        assertAnomaly("G0", "read_committed", Map.of(12, ok("select * from test", rows(1, 11, 2, 22))), rows(1, 11, 2, 22));
        assertAnomaly("G1a", "read_committed", Map.of(6, ok("select * from test", rows(1, 101, 2, 20))), null);
        assertAnomaly("G1b", "read_committed", Map.of(6, ok("select * from test", rows(1, 101, 2, 20))), null);
        assertAnomaly("G1c", "read_committed", Map.of(7, ok("select * from test where id = 2", rows(2, 22))), null);
        assertAnomaly("OTV", "read_committed", Map.of(13, ok("select * from test where id = 2", rows(2, 20))), null);
        assertAnomaly("PMP", "repeatable_read", Map.of(8, ok("select * from test where value % 3 = 0", rows(3, 30))), null);
        assertAnomaly("PMP-write", "repeatable_read", Map.of(6, ok("delete from test where value = 20", rows()),
                8, ok("commit", rows())), rows(1, 20, 2, 30));
        assertAnomaly("P4", "repeatable_read", Map.of(8, ok("update test set value = 11 where id = 1", rows()),
                10, ok("commit", rows())), null);
        assertAnomaly("G-single", "repeatable_read", Map.of(11, ok("select * from test where id = 2", rows(2, 18))), null);
        assertAnomaly("G-single-dependencies", "repeatable_read",
                Map.of(8, ok("select * from test where value % 3 = 0", rows(1, 12))), null);
        assertAnomaly("G-single-write", "repeatable_read", Map.of(10, ok("delete from test where value = 20", rows()),
                11, ok("commit", rows())), null);
        assertAnomaly("G2-item", "serializable", Map.of(10, ok("commit", rows())), null);
        assertAnomaly("G2", "serializable", Map.of(10, ok("commit", rows())), null);
        assertAnomaly("G2-two-edges", "serializable", Map.of(12, ok("update test set value = 0 where id = 1", rows()),
                13, ok("commit", rows())), null);
    }

    @Test
    void aConflictFoundAtCommitIsAllowedOnlyAtSerializable() {
        Map<Integer, StepRun> atCommit = Map.of(12, ok("update test set value = 0 where id = 1", rows()),
                13, run("commit", Outcome.error(SqlState.SERIALIZATION_FAILURE, "at commit"), false));
        List<StepRun> history = change(asPostgres(variant("G2-two-edges", "serializable").steps()), atCommit);
        List<Deviation> deviations = StrictCheck.deviations(history, "serializable");
        assertEquals(2, deviations.size(), deviations.toString());
        assertTrue(deviations.stream().allMatch(Deviation::allowed), deviations.toString());
        assertFalse(verdict("G2-two-edges", history));

        Map<Integer, StepRun> rrAtCommit = Map.of(10, ok("delete from test where value = 20", rows()),
                11, run("commit", Outcome.error(SqlState.SERIALIZATION_FAILURE, "at commit"), false));
        List<StepRun> rr = change(asPostgres(variant("G-single-write", "repeatable_read").steps()), rrAtCommit);
        List<Deviation> rrDeviations = StrictCheck.deviations(rr, "repeatable_read");
        assertEquals(2, rrDeviations.size(), rrDeviations.toString());
        assertTrue(rrDeviations.stream().noneMatch(Deviation::allowed), "at REPEATABLE READ the statement itself must fail");
        assertFalse(verdict("G-single-write", rr), "not committed, so prevented");
    }

    @Test
    void aBlockingStepThatDoesNotBlockIsADeviation() {
        StepRun notBlocked = new StepRun(step("P4", "read_committed", 8), "update test set value = 11 where id = 1",
                Outcome.ok(rows()), false, false);
        List<StepRun> history = change(asPostgres(variant("P4", "read_committed").steps()), Map.of(8, notBlocked));
        assertEquals(1, StrictCheck.deviations(history, "read_committed").size());
        StepRun early = new StepRun(notBlocked.step(), notBlocked.sentSql(), Outcome.ok(rows()), true, true);
        history = change(asPostgres(variant("P4", "read_committed").steps()), Map.of(8, early));
        assertEquals(1, StrictCheck.deviations(history, "read_committed").size(), "finished before its releasing step");
    }

    @Test
    void unscriptedLevelsBorrowTheNearestScriptAtTheirOwnLevel() {
        assertEquals("serializable", scriptFor("G2-two-edges", "read_committed").level());
        assertEquals("repeatable_read", scriptFor("PMP", "serializable").level());
        assertEquals("read_committed", scriptFor("G0", "serializable").level());
        assertEquals("repeatable_read", scriptFor("G2-item", "read_committed").level());
        List<Step> steps = IsolationConformanceTest.atLevel(variant("P4", "repeatable_read").steps(), "serializable");
        assertEquals("set transaction isolation level serializable", steps.get(1).sql());
        assertEquals("update test set value = 11 where id = 1", steps.get(6).sql());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertAnomaly(String caseId, String level, Map<Integer, StepRun> changes, List<List<Long>> finalTable) {
        List<StepRun> history = change(asPostgres(variant(caseId, level).steps()), changes);
        List<List<Long>> table = finalTable != null ? finalTable : FINAL_TABLE.getOrDefault(caseId, List.of());
        assertTrue(AnomalyVerdicts.anomaly(caseId, new AnomalyVerdicts.Observed(history, table)), caseId + ": anomaly not seen");
        assertFalse(StrictCheck.deviations(history, level).isEmpty(), caseId + ": strict check saw no difference");
    }

    /** The history PostgreSQL produces: every step as expected; a session's steps after its failure skipped. */
    private static List<StepRun> asPostgres(List<Step> steps) {
        List<StepRun> out = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (Step s : steps) {
            if (failed.contains(s.session())) {
                out.add(new StepRun(s, s.sql(), Outcome.skipped("session failed earlier"), false, false));
                continue;
            }
            HermitageCases.Expect e = s.expect().outcome();
            Outcome o = e.serializationError() ? Outcome.error(SqlState.SERIALIZATION_FAILURE, "expected")
                    : Outcome.ok(e.rows() != null ? e.rows() : List.of());
            if (!o.ok()) {
                failed.add(s.session());
            }
            out.add(new StepRun(s, s.sql(), o, s.expect().type().equals("blocks"), false));
        }
        return out;
    }

    /** {@code changes}: step number -> what it did instead (its Step is taken from the history). */
    private static List<StepRun> change(List<StepRun> history, Map<Integer, StepRun> changes) {
        List<StepRun> out = new ArrayList<>();
        for (StepRun r : history) {
            StepRun c = changes.get(r.step().n());
            out.add(c == null ? r : new StepRun(r.step(), c.sentSql(), c.outcome(), c.blockedAtProbe(), c.finishedEarly()));
        }
        return out;
    }

    private static boolean verdict(String caseId, List<StepRun> history) {
        List<List<Long>> table = FINAL_TABLE.getOrDefault(caseId, List.of());
        for (StepRun r : history) {
            if (r.step().session().equals("ANY") && r.outcome().ok()) {
                table = r.outcome().rows();
            }
        }
        return AnomalyVerdicts.anomaly(caseId, new AnomalyVerdicts.Observed(history, table));
    }

    private static StepRun ok(String sql, List<List<Long>> rows) {
        return run(sql, Outcome.ok(rows), false);
    }

    private static StepRun run(String sql, Outcome outcome, boolean blocked) {
        return new StepRun(null, sql, outcome, blocked, false);
    }

    private static Case caseOf(String id) {
        return corpus.cases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static Variant variant(String caseId, String level) {
        Variant v = caseOf(caseId).scriptedAt(level);
        if (v == null) {
            throw new IllegalArgumentException(caseId + " has no script at " + level);
        }
        return v;
    }

    private static Variant scriptFor(String caseId, String level) {
        return IsolationConformanceTest.scriptFor(caseOf(caseId), level, corpus.levels());
    }

    private static Step step(String caseId, String level, int n) {
        return variant(caseId, level).steps().get(n - 1);
    }

    /** rows(1, 10, 2, 20) = [[1, 10], [2, 20]]. */
    private static List<List<Long>> rows(long... idValue) {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < idValue.length; i += 2) {
            out.add(List.of(idValue[i], idValue[i + 1]));
        }
        return out;
    }
}
