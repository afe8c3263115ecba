package io.phantomdb.txn;

import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.txn.HermitageCases.Step;
import io.phantomdb.txn.StepRun.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs one Hermitage script on a database, one {@link Session} per script session, following the README's
 * "How to run it and grade it": a {@code blocks} step is sent without waiting and checked after
 * {@link #BLOCK_PROBE}; the runner goes on with the next steps and, after the releasing step, waits for it
 * at most {@link #RELEASE_WAIT}. After any error a session's remaining steps are skipped and its transaction
 * is rolled back; where a step expected to fail with 40001 succeeds, that session's following
 * {@code abort} is sent as {@code commit}, so that an anomaly is not hidden by the script's rollback.
 *
 * <p>One instance per run; not thread-safe (the test thread drives every session in script order).
 */
final class ScriptRunner {
    /** How long a {@code blocks} step gets to (wrongly) finish before it counts as blocked (README: ~1 s). */
    static final Duration BLOCK_PROBE = Duration.ofSeconds(1);
    /** How long a step that should not block may take before it counts as blocked. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
    /** How long a blocked step may take to finish once its releasing step has run. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private record Pending(Step step, String sentSql, CompletableFuture<List<Row>> future) {}

    private final PhantomDb db;
    private final UnaryOperator<String> dialect;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<Integer, Boolean> finishedEarly = new HashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Set<String> sendAbortAsCommit = new HashSet<>();
    private final Map<Integer, StepRun> runs = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();

    /** {@code dialect}: rewrites each statement before it is sent (see IsolationConformanceTest.dialect). */
    ScriptRunner(PhantomDb db, UnaryOperator<String> dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /** The outcome of every step in step order, and notes on anything the steps do not show. */
    record Result(List<StepRun> steps, List<String> notes) {}

    Result run(List<Step> steps) {
        try {
            for (Step step : steps) {
                if (step.session().equals("ANY")) {
                    record(step, step.sql(), outcome(db.query(dialect.apply(step.sql())).toCompletableFuture(), STEP_TIMEOUT), false);
                } else {
                    runSessionStep(step);
                }
            }
            for (String session : new ArrayList<>(pending.keySet())) {
                settle(session, STEP_TIMEOUT);
            }
        } finally {
            for (Map.Entry<String, Session> e : sessions.entrySet()) {
                if (!failed.contains(e.getKey()) && e.getValue().status() != Session.Status.IDLE) {
                    notes.add(e.getKey() + " still had an open transaction (" + e.getValue().status() + ") after its last step");
                }
                e.getValue().close();
            }
        }
        return new Result(List.copyOf(runs.values()), List.copyOf(notes));
    }

    private void runSessionStep(Step step) {
        String session = step.session();
        if (pending.containsKey(session)) {
            settle(session, STEP_TIMEOUT);
        }
        if (failed.contains(session)) {
            runs.put(step.n(), new StepRun(step, step.sql(), Outcome.skipped("session failed earlier"), false, false));
            return;
        }
        String sql = sendAbortAsCommit.contains(session) && isRollback(step.sql()) ? "commit" : step.sql();
        if (step.releases() > 0) {
            Pending released = pendingStep(step.releases());
            finishedEarly.put(step.releases(), released != null && released.future().isDone());
        }
        CompletableFuture<List<Row>> future = session(session).query(dialect.apply(sql)).toCompletableFuture();
        Duration probe = step.expect().type().equals("blocks") ? BLOCK_PROBE : STEP_TIMEOUT;
        if (finishes(future, probe)) {
            record(step, sql, outcome(future, Duration.ZERO), false);
        } else {
            pending.put(session, new Pending(step, sql, future));
        }
        if (step.releases() > 0) {
            Pending released = pendingStep(step.releases());
            if (released != null) {
                settle(released.step().session(), RELEASE_WAIT);
            }
        }
    }

    /** Waits for {@code session}'s pending statement; one still running after {@code wait} hangs the session. */
    private void settle(String session, Duration wait) {
        Pending p = pending.remove(session);
        if (finishes(p.future(), wait)) {
            record(p.step(), p.sentSql(), outcome(p.future(), Duration.ZERO), true);
            return;
        }
        runs.put(p.step().n(), new StepRun(p.step(), p.sentSql(),
                Outcome.hung("not finished " + wait.toSeconds() + " s after it was awaited"), true, false));
        failed.add(session);
        sessions.get(session).close(); // its statement still runs: SQL ROLLBACK would be refused as concurrent
    }

    private void record(Step step, String sentSql, Outcome outcome, boolean blockedAtProbe) {
        runs.put(step.n(), new StepRun(step, sentSql, outcome, blockedAtProbe, finishedEarly.getOrDefault(step.n(), false)));
        String session = step.session();
        if (session.equals("ANY")) {
            return;
        }
        if (!outcome.ok()) {
            failed.add(session);
            rollBack(session);
        } else if (step.expect().outcome().serializationError()) {
            sendAbortAsCommit.add(session);
        }
    }

    private void rollBack(String session) {
        Outcome o = outcome(sessions.get(session).query("rollback").toCompletableFuture(), STEP_TIMEOUT);
        if (!o.ok() || sessions.get(session).status() != Session.Status.IDLE) {
            notes.add(session + ": rollback after its failure did not end the transaction: " + o + ", status "
                    + sessions.get(session).status());
        }
    }

    private Pending pendingStep(int n) {
        for (Pending p : pending.values()) {
            if (p.step().n() == n) {
                return p;
            }
        }
        return null;
    }

    private Session session(String name) {
        return sessions.computeIfAbsent(name, n -> db.session());
    }

    static boolean isRollback(String sql) {
        String s = sql.trim().toLowerCase();
        return s.equals("abort") || s.equals("rollback");
    }

    private static boolean finishes(CompletableFuture<?> future, Duration wait) {
        try {
            future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | CompletionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The outcome of a statement, waiting at most {@code wait} (zero: it has finished). */
    static Outcome outcome(CompletableFuture<List<Row>> future, Duration wait) {
        if (!finishes(future, wait)) {
            return Outcome.hung("not finished within " + wait.toSeconds() + " s");
        }
        try {
            List<List<Long>> rows = new ArrayList<>();
            for (Row row : future.join()) {
                List<Long> values = new ArrayList<>();
                for (int i = 0; i < row.size(); i++) {
                    values.add(row.isNull(i) ? null : ((Number) row.get(i)).longValue());
                }
                rows.add(values);
            }
            return Outcome.ok(rows);
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable t = e;
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            }
            return t instanceof PhantomSqlException p ? Outcome.error(p.state(), p.getMessage())
                    : Outcome.error(null, t.toString());
        }
    }
}
