package io.phantomdb.txn;

import io.phantomdb.error.SqlState;
import java.util.List;

/**
 * What one step of a Hermitage script did when run: the SQL actually sent (an {@code abort} may be sent as
 * {@code commit}, README rule), its outcome, and how it behaved in time.
 *
 * @param blockedAtProbe it had not finished when first checked (1 s for a {@code blocks} step, the step
 *     timeout for any other)
 * @param finishedEarly it had finished by the time its releasing step was sent
 */
record StepRun(HermitageCases.Step step, String sentSql, Outcome outcome, boolean blockedAtProbe, boolean finishedEarly) {

    enum Kind {
        OK,
        ERROR,
        /** Not sent: its session had failed earlier (README: skip the rest, roll back). */
        SKIPPED,
        /** Sent but never finished within the runner's bounds. */
        HUNG
    }

    /** {@code rows}: [id, value] pairs for a query that succeeded; {@code state}: null for a non-SQL error. */
    record Outcome(Kind kind, List<List<Long>> rows, SqlState state, String message) {
        static Outcome ok(List<List<Long>> rows) {
            return new Outcome(Kind.OK, rows, null, null);
        }

        static Outcome error(SqlState state, String message) {
            return new Outcome(Kind.ERROR, null, state, message);
        }

        static Outcome skipped(String why) {
            return new Outcome(Kind.SKIPPED, null, null, why);
        }

        static Outcome hung(String why) {
            return new Outcome(Kind.HUNG, null, null, why);
        }

        boolean ok() {
            return kind == Kind.OK;
        }

        boolean serializationFailure() {
            return kind == Kind.ERROR && state == SqlState.SERIALIZATION_FAILURE;
        }

        @Override
        public String toString() {
            switch (kind) {
                case OK:
                    return rows.isEmpty() ? "ok" : "ok " + rows;
                case ERROR:
                    return "error " + (state == null ? "(no SQLSTATE)" : state.code()) + ": " + message;
                default:
                    return kind.name().toLowerCase() + " (" + message + ")";
            }
        }
    }

    boolean isSelect() {
        return sentSql.trim().toLowerCase().startsWith("select");
    }
}
