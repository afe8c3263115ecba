package io.phantomdb.sql;

import io.phantomdb.error.PhantomSqlException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The system tables sagas keep their definitions, statuses and step markers in (ordinary tables, created on
 * first use; docs/sagas.md "System tables"), and running one statement on them in a session of its own.
 */
final class SagaTables {
    private SagaTables() {}

    static final String DEFINITIONS = "phantom_sagas";
    static final String RUNS = "phantom_saga_runs";
    static final String MARKERS = "phantom_saga_steps";

    /** Idempotent, in dependency-free order; DDL runs outside transaction blocks. */
    static final List<String> CREATE = List.of(
            "CREATE TABLE IF NOT EXISTS " + DEFINITIONS + " (name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS " + RUNS + " (saga_id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,"
                    + " step INT NOT NULL, step_name TEXT, error TEXT)",
            // One row per step that committed (kind 'do', fenced false), per failed step fenced off so that a late
            // commit of it cannot happen (kind 'do', fenced true, its error) and per compensation ('undo').
            "CREATE TABLE IF NOT EXISTS " + MARKERS + " (saga_id TEXT NOT NULL, step INT NOT NULL, kind TEXT NOT NULL,"
                    + " fenced BOOLEAN NOT NULL, error TEXT, PRIMARY KEY (saga_id, step, kind))");

    static final Object[] NO_PARAMETERS = new Object[0];

    /** Runs {@code sql} as its own transaction (autocommit, retried on 40001/40P01 by the session). */
    static CompletionStage<SessionState.Result> run(Supplier<SessionState> sessions, String sql, Object... parameters) {
        SessionState session = sessions.get();
        CompletionStage<SessionState.Result> result;
        try {
            result = session.query(sql, parameters);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> session.close());
    }

    /** Creates the tables that do not exist yet, one after the other. */
    static CompletionStage<Void> create(Supplier<SessionState> sessions) {
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (String ddl : CREATE) {
            chain = chain.thenCompose(r -> run(sessions, ddl));
        }
        return chain.thenApply(r -> null);
    }

    /** The SQL error inside {@code failure}'s completion wrappers, or null when it is not one. */
    static PhantomSqlException sqlError(Throwable failure) {
        return PhantomSqlException.of(failure);
    }

    /** A failure as users read it: "SQLSTATE message" for SQL errors. */
    static String describe(Throwable failure) {
        PhantomSqlException sql = sqlError(failure);
        return sql != null ? sql.state().code() + " " + sql.getMessage() : PhantomSqlException.unwrap(failure).toString();
    }
}
