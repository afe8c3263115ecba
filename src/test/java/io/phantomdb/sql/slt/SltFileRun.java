package io.phantomdb.sql.slt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the records of one file, in order, on one fresh database (README rule 2), and tallies them.
 *
 * <p>A record is skipped when its conditions exclude the engine profile or after an applicable
 * {@code halt}; it is "not run" when the time budget is gone; otherwise it is executed and passes or fails.
 * Failures never stop the file (rule 7). If the database cannot be opened, or stays stuck after a
 * timeout, every later statement and query of the file fails with that reason: they were due to run, and
 * leaving them out would raise the pass rate.
 */
final class SltFileRun {

    /** The reference runner's threshold when a file sets none. */
    static final int DEFAULT_HASH_THRESHOLD = 8;

    private final String file;
    private final List<SltRecord> records;
    private final Supplier<SltDatabase> factory;
    private final String engineName;
    private final SltBudget budget;
    private final SltWorker worker;
    private final SltFileTally tally;
    private final SltQueryCheck queryCheck = new SltQueryCheck();
    private SltDatabase db;
    private String broken;
    private int hashThreshold = DEFAULT_HASH_THRESHOLD;
    private boolean halted;

    SltFileRun(String file, List<SltRecord> records, Supplier<SltDatabase> factory, String engineName,
            SltBudget budget, Duration timeout) {
        this.file = file;
        this.records = records;
        this.factory = factory;
        this.engineName = engineName;
        this.budget = budget;
        this.worker = new SltWorker(timeout);
        this.tally = new SltFileTally(file);
    }

    SltReport.FileReport run() {
        try {
            for (SltRecord r : records) {
                step(r);
            }
        } finally {
            closeDatabase();
            worker.close();
        }
        return tally.report();
    }

    private void step(SltRecord r) {
        if (halted || !r.appliesTo(engineName)) {
            tally.skipped(r);
        } else if (r instanceof SltRecord.Halt) {
            halted = true;
        } else if (r instanceof SltRecord.HashThreshold) {
            hashThreshold = ((SltRecord.HashThreshold) r).threshold();
        } else if (r instanceof SltRecord.Invalid) {
            tally.failed(r, "cannot parse record: " + ((SltRecord.Invalid) r).reason());
        } else if (budget.exhausted(file, r.line())) {
            tally.notRun(r);
        } else {
            execute(r);
        }
    }

    private void execute(SltRecord r) {
        try {
            Optional<String> problem = openDatabase() ? run(r) : Optional.of(broken);
            if (problem.isPresent()) {
                tally.failed(r, problem.get());
            } else {
                tally.passed(r);
            }
        } catch (InterruptedException e) {
            // Someone wants the run to end: keep the flag, and let the budget turn the rest into "not run".
            Thread.currentThread().interrupt();
            budget.stop(file, r.line());
            tally.notRun(r);
        }
    }

    private Optional<String> run(SltRecord r) throws InterruptedException {
        if (r instanceof SltRecord.Statement) {
            return runStatement((SltRecord.Statement) r);
        }
        return runQuery((SltRecord.Query) r);
    }

    private Optional<String> runStatement(SltRecord.Statement s) throws InterruptedException {
        SltDatabase d = db;
        try {
            worker.call(() -> {
                d.execute(s.sql());
                return null;
            }, d::cancel);
        } catch (SltWorker.TimedOut e) {
            return Optional.of(timedOut(s, e));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return s.expectError() ? Optional.empty() : Optional.of("statement failed: " + SltMessages.describe(e));
        }
        return s.expectError() ? Optional.of("statement succeeded but an error was expected") : Optional.empty();
    }

    private Optional<String> runQuery(SltRecord.Query q) throws InterruptedException {
        SltDatabase d = db;
        List<Object[]> rows;
        try {
            rows = worker.call(() -> d.query(q.sql()), d::cancel);
        } catch (SltWorker.TimedOut e) {
            return Optional.of(timedOut(q, e));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return Optional.of("query failed: " + SltMessages.describe(e));
        }
        return queryCheck.check(q, rows, hashThreshold);
    }

    /** The reason for a timeout; a worker left stuck also makes the database unusable for the rest of the file. */
    private String timedOut(SltRecord r, SltWorker.TimedOut e) {
        if (worker.wedged()) {
            broken = "not attempted: the engine is still stuck in the record at line " + r.line()
                    + " that timed out";
        }
        return e.getMessage();
    }

    /** How long opening a file's database may take. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);

    /** Opens the file's database on first use, on the worker thread, under the per-record timeout. */
    private boolean openDatabase() throws InterruptedException {
        if (broken != null || db != null) {
            return broken == null;
        }
        try {
            // Opening starts an actor system and a one-node cluster: on a loaded 2-core machine that alone can
            // exceed one record's timeout, which would void the whole file.
            db = worker.call(factory::get, () -> { }, OPEN_TIMEOUT);
            if (db == null) {
                broken = "could not open a database: the factory returned null";
            }
        } catch (SltWorker.TimedOut e) {
            broken = "could not open a database: " + e.getMessage();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            broken = "could not open a database: " + SltMessages.describe(e);
        }
        return broken == null;
    }

    private void closeDatabase() {
        if (db == null || worker.wedged()) {
            return;
        }
        SltDatabase d = db;
        try {
            worker.call(() -> {
                d.close();
                return null;
            }, () -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The file's results are already counted; a failing close is reported and nothing more.
            tally.failedFile(0, "closing the database failed: " + SltMessages.describe(e));
        }
    }
}
