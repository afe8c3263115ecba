package io.phantomdb.sql.slt;

import java.util.ArrayList;
import java.util.List;

/** Counts the records of one file as they are run, skipped or not run, and collects its failures. */
final class SltFileTally {

    /** Which pass rate a record belongs to; only statements and queries are counted. */
    enum Kind { STATEMENT, QUERY, OTHER }

    private final String file;
    private final List<SltReport.Failure> failures = new ArrayList<>();
    private int statementsExecuted;
    private int statementsPassed;
    private int queriesExecuted;
    private int queriesPassed;
    private int skipped;
    private int notRun;

    SltFileTally(String file) {
        this.file = file;
    }

    static Kind kindOf(SltRecord r) {
        if (r instanceof SltRecord.Statement) {
            return Kind.STATEMENT;
        }
        if (r instanceof SltRecord.Query) {
            return Kind.QUERY;
        }
        if (r instanceof SltRecord.Invalid) {
            // A malformed statement or query still counts against its rate, so it cannot hide a result.
            String command = ((SltRecord.Invalid) r).command();
            return command.equals("statement") ? Kind.STATEMENT : command.equals("query") ? Kind.QUERY : Kind.OTHER;
        }
        return Kind.OTHER;
    }

    void skipped(SltRecord r) {
        if (kindOf(r) != Kind.OTHER) {
            skipped++;
        }
    }

    void notRun(SltRecord r) {
        if (kindOf(r) != Kind.OTHER) {
            notRun++;
        }
    }

    void passed(SltRecord r) {
        executed(r, true);
    }

    void failed(SltRecord r, String reason) {
        executed(r, false);
        failures.add(new SltReport.Failure(file, r.line(), SltMessages.shorten(reason, SltMessages.MAX_REASON)));
    }

    /** A failure that belongs to no record, e.g. a file that cannot be read. */
    void failedFile(int line, String reason) {
        failures.add(new SltReport.Failure(file, line, SltMessages.shorten(reason, SltMessages.MAX_REASON)));
    }

    private void executed(SltRecord r, boolean ok) {
        Kind kind = kindOf(r);
        if (kind == Kind.STATEMENT) {
            statementsExecuted++;
            statementsPassed += ok ? 1 : 0;
        } else if (kind == Kind.QUERY) {
            queriesExecuted++;
            queriesPassed += ok ? 1 : 0;
        }
    }

    SltReport.FileReport report() {
        SltReport.Counts counts = new SltReport.Counts(statementsExecuted, statementsPassed, queriesExecuted,
                queriesPassed, skipped, notRun);
        return new SltReport.FileReport(file, counts, failures);
    }
}
