package io.phantomdb.txn;

import io.phantomdb.txn.HermitageCases.Expect;
import io.phantomdb.txn.StepRun.Kind;
import io.phantomdb.txn.StepRun.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Grade 1 of the isolation README: does every step of a scripted variant behave exactly as PostgreSQL's
 * {@code expect} says? Steps skipped after a failure are not deviations of their own (the failure is).
 *
 * <p>One kind of deviation is allowed because the README documents it as legitimate: at SERIALIZABLE a
 * statement PostgreSQL fails with 40001 succeeds, and the same transaction's commit (sent instead of the
 * script's {@code abort}) then fails with 40001 - the conflict is detected at commit (G2-two-edges).
 */
final class StrictCheck {
    static final String DEFERRED_TO_COMMIT =
            "allowed: SERIALIZABLE detected the conflict at COMMIT instead of at the statement (README, G2-two-edges)";

    private StrictCheck() {}

    /** {@code allowedReason}: null for a real mismatch. */
    record Deviation(int step, String session, String sql, String expected, String actual, String allowedReason) {
        boolean allowed() {
            return allowedReason != null;
        }

        @Override
        public String toString() {
            return "step " + step + " " + session + " `" + sql + "`: expected " + expected + ", got " + actual
                    + (allowed() ? " [" + allowedReason + "]" : "");
        }
    }

    static List<Deviation> deviations(List<StepRun> steps, String level) {
        List<Deviation> out = new ArrayList<>();
        for (StepRun run : steps) {
            String actual = mismatch(run);
            if (actual != null) {
                out.add(new Deviation(run.step().n(), run.step().session(), run.sentSql(), describe(run.step().expect()),
                        actual, null));
            }
        }
        return allowDeferredToCommit(out, steps, level);
    }

    /** What went wrong with {@code run}, or null when it matched. */
    private static String mismatch(StepRun run) {
        Expect expect = run.step().expect();
        Outcome o = run.outcome();
        if (o.kind() == Kind.SKIPPED) {
            return null;
        }
        if (expect.type().equals("blocks")) {
            if (!run.blockedAtProbe()) {
                return "did not block (" + o + ")";
            }
            if (run.finishedEarly()) {
                return "finished before its releasing step " + expect.releasedBy() + " (" + o + ")";
            }
            return matches(o, expect.then()) ? null : o.toString();
        }
        if (run.blockedAtProbe()) {
            return "blocked for more than " + ScriptRunner.STEP_TIMEOUT.toSeconds() + " s, then " + o;
        }
        return matches(o, expect) ? null : o.toString();
    }

    private static boolean matches(Outcome o, Expect e) {
        switch (e.type()) {
            case "ok":
                return o.ok();
            case "rows":
                return o.ok() && sorted(o.rows()).equals(sorted(e.rows()));
            case "error":
                return e.serializationError() && o.serializationFailure();
            default:
                throw new IllegalArgumentException("unknown expect type " + e.type());
        }
    }

    static List<List<Long>> sorted(List<List<Long>> rows) {
        List<List<Long>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing((List<Long> r) -> r.toString()));
        return copy;
    }

    static String describe(Expect e) {
        switch (e.type()) {
            case "rows":
                return "rows " + e.rows();
            case "blocks":
                return "to block until step " + e.releasedBy() + ", then " + describe(e.then());
            case "error":
                return "error 40001 (" + e.error() + ")";
            default:
                return e.type();
        }
    }

    /**
     * Marks the README's legitimate kind: at SERIALIZABLE, a statement expected to fail with 40001 that
     * succeeded, paired with the failure (40001) of that session's commit sent in place of its abort.
     */
    private static List<Deviation> allowDeferredToCommit(List<Deviation> found, List<StepRun> steps, String level) {
        if (!level.equals("serializable")) {
            return found;
        }
        List<Deviation> out = new ArrayList<>(found);
        for (StepRun early : steps) {
            if (!early.step().expect().outcome().serializationError() || !early.outcome().ok()) {
                continue;
            }
            StepRun commit = commitAfter(steps, early);
            if (commit == null || !commit.outcome().serializationFailure()) {
                continue;
            }
            for (int i = 0; i < out.size(); i++) {
                Deviation d = out.get(i);
                if (d.step() == early.step().n() || d.step() == commit.step().n()) {
                    out.set(i, new Deviation(d.step(), d.session(), d.sql(), d.expected(), d.actual(), DEFERRED_TO_COMMIT));
                }
            }
        }
        return out;
    }

    /** The same session's next step, when it was sent as COMMIT in place of the script's abort. */
    private static StepRun commitAfter(List<StepRun> steps, StepRun early) {
        for (StepRun s : steps) {
            if (s.step().n() > early.step().n() && Objects.equals(s.step().session(), early.step().session())) {
                boolean substituted = ScriptRunner.isRollback(s.step().sql()) && s.sentSql().equals("commit");
                return substituted ? s : null;
            }
        }
        return null;
    }
}
