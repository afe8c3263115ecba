package io.phantomdb.sql;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.sql.ddl.DdlParser;
import io.phantomdb.txn.coordinator.SagaCoordinator;
import io.phantomdb.txn.coordinator.SagaHooks;
import io.phantomdb.txn.coordinator.SagaOutcome;
import io.phantomdb.txn.coordinator.SagaParam;
import io.phantomdb.txn.coordinator.SagaSettings;
import io.phantomdb.txn.coordinator.SagaStatus;
import io.phantomdb.txn.coordinator.SagaStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.function.Function;

/**
 * The node's saga service (docs/sagas.md): defines sagas, starts them on their {@link SagaCoordinator}s, lists
 * them, and wakes unfinished ones when the node starts. Serves both the saga statements ({@link #execute}) and
 * the embedded API ({@link #define}, {@link #start}, {@link #outcome}, {@link #list}).
 *
 * <pre>
 *   START SAGA t ID 'x' WITH (1, 2, 10)
 *     -> definition from phantom_sagas -> row 'x' RUNNING in phantom_saga_runs -> SagaCoordinator 'x' Start
 *     -> steps run as local transactions (SagaStepRunner) -> outcome (waits at most start-wait-timeout)
 * </pre>
 *
 * <p>Definitions, statuses and step markers live in ordinary tables created on first use (SagaTables); the
 * coordinators' journal is the truth about progress, the status rows are what users read. Thread-safe.
 */
public final class Sagas {
    /** Longest saga id accepted (it is a primary key and part of the coordinator's persistence id). */
    public static final int SAGA_ID_LENGTH_MAX = 200;

    static final List<Prepared.ResultColumn> START_COLUMNS = List.of(column("saga_id", DataType.VARCHAR, false),
            column("status", DataType.VARCHAR, false), column("error", DataType.VARCHAR, true));
    static final List<Prepared.ResultColumn> SHOW_COLUMNS = List.of(column("saga_id", DataType.VARCHAR, false),
            column("name", DataType.VARCHAR, false), column("status", DataType.VARCHAR, false),
            column("step", DataType.INTEGER, false), column("step_name", DataType.VARCHAR, true),
            column("error", DataType.VARCHAR, true));

    private static final String INTERRUPTED = "interrupted before its first step: nothing ran";

    private final ActorSystem<?> system;
    private final Supplier<SessionState> sessions;
    private final SagaSettings settings;
    private final Executor executor;
    private final AtomicReference<SagaHooks> hooks;
    private final AtomicReference<CompletableFuture<Void>> tables = new AtomicReference<>();

    /**
     * Starts the saga coordinators' shard region on this node (the node must be a cluster member).
     *
     * @param sessions new sessions of this node's SQL engine ({@code SqlEngine::session}); each saga step and
     *     each bookkeeping statement gets its own
     * @param hooks crash points for tests; {@link SagaHooks#NONE} in production
     */
    public Sagas(ActorSystem<?> system, Supplier<SessionState> sessions, SagaSettings settings, SagaHooks hooks) {
        this.system = Objects.requireNonNull(system, "system");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = system.executionContext();
        this.hooks = new AtomicReference<>(Objects.requireNonNull(hooks, "hooks"));
        SagaHooks current = (point, sagaId, step) -> this.hooks.get().reached(point, sagaId, step);
        SagaCoordinator.init(system, new SagaStepRunner(sessions), current, settings);
    }

    /** Replaces the crash hooks (tests: set them before the steps they should stop at start). */
    public void setHooks(SagaHooks hooks) {
        this.hooks.set(Objects.requireNonNull(hooks, "hooks"));
    }

    // ------------------------------------------------------------------------------------------ SQL

    /**
     * Runs {@code sql} if it is a saga statement (CREATE [OR REPLACE] SAGA, DROP SAGA, START SAGA, SHOW SAGAS);
     * empty if it is not. Errors (42601 syntax, 42704 unknown saga, 42710 duplicate, 22023 parameters) fail the
     * stage. {@code parameters} are the statement's $n (START SAGA ... WITH ($1, ...)). Saga statements commit
     * on their own, independently of any transaction block of the calling session.
     */
    public Optional<CompletionStage<SessionState.Result>> execute(String sql, Object[] parameters) {
        Optional<SagaStatement> statement;
        try {
            statement = SagaStatement.parse(sql);
        } catch (PhantomSqlException e) {
            return Optional.of(CompletableFuture.failedFuture(e));
        }
        return statement.map(s -> {
            try {
                return run(s, parameters);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * Whether {@code sql} is (or, malformed, looks like) a saga statement: {@link #execute} then does not
     * return empty. Cheap and never throws, for routing before other parsers see the text.
     */
    public static boolean isSagaStatement(String sql) {
        return SagaStatement.recognizes(sql);
    }

    private CompletionStage<SessionState.Result> run(SagaStatement statement, Object[] parameters) {
        if (statement instanceof SagaStatement.Create c) {
            return define(c.name(), c.steps(), c.orReplace(), c.ifNotExists()).thenApply(v -> SessionState.Result.count(0));
        } else if (statement instanceof SagaStatement.Drop d) {
            return drop(d.name(), d.ifExists()).thenApply(v -> SessionState.Result.count(0));
        } else if (statement instanceof SagaStatement.Start s) {
            String id = s.id() == null ? null : text(s.id().resolve(parameters), "saga id");
            List<Object> arguments = new ArrayList<>();
            for (SagaStatement.Value value : s.arguments()) {
                arguments.add(value.resolve(parameters));
            }
            return start(s.name(), id, arguments).thenApply(o -> new SessionState.Result(START_COLUMNS,
                    List.<Object[]>of(new Object[] {o.sagaId(), o.status().name(), o.error()}), 1));
        }
        return list().thenApply(outcomes -> {
            List<Object[]> rows = new ArrayList<>();
            for (SagaOutcome o : outcomes) {
                rows.add(new Object[] {o.sagaId(), o.name(), o.status().name(), o.step(), o.stepName(), o.error()});
            }
            return new SessionState.Result(SHOW_COLUMNS, rows, rows.size());
        });
    }

    // ------------------------------------------------------------------------------------------ definitions

    /** CREATE SAGA: stores the definition; 42710 if the name is taken (unless {@code replace}). */
    public CompletionStage<Void> define(String name, List<SagaStep> steps, boolean replace) {
        return define(name, steps, replace, false);
    }

    private CompletionStage<Void> define(String name, List<SagaStep> steps, boolean replace, boolean ifNotExists) {
        try {
            validate(name, steps);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String definition = SagaStatement.render(name, steps);
        return tables().thenCompose(v -> SagaTables.run(sessions, "INSERT INTO " + SagaTables.DEFINITIONS
                + " (name, definition) VALUES ($1, $2)", name, definition)).handle((r, e) -> {
                    if (e == null || ifNotExists && duplicate(e)) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (!duplicate(e)) {
                        return CompletableFuture.<Void>failedFuture(e);
                    }
                    if (!replace) {
                        return CompletableFuture.<Void>failedFuture(new PhantomSqlException(SqlState.DUPLICATE_OBJECT,
                                "saga \"" + name + "\" already exists"));
                    }
                    return SagaTables.run(sessions, "UPDATE " + SagaTables.DEFINITIONS + " SET definition = $2 WHERE name = $1",
                            name, definition).thenApply(r2 -> (Void) null);
                }).thenCompose(x -> x);
    }

    /** DROP SAGA: removes the definition (running sagas keep the copy they started with); 42704 if unknown. */
    public CompletionStage<Void> drop(String name, boolean ifExists) {
        return tables().thenCompose(v -> SagaTables.run(sessions, "DELETE FROM " + SagaTables.DEFINITIONS
                + " WHERE name = $1", name)).thenApply(r -> {
                    if (r.count() == 0 && !ifExists) {
                        throw new PhantomSqlException(SqlState.UNDEFINED_OBJECT, "saga \"" + name + "\" does not exist");
                    }
                    return null;
                });
    }

    /** Checks what can be checked before anything runs: step count, statements a step may not contain. */
    private void validate(String name, List<SagaStep> steps) {
        if (name.isEmpty() || steps.isEmpty()) {
            throw new PhantomSqlException(SqlState.INVALID_OBJECT_DEFINITION, "a saga needs a name and at least one step");
        }
        if (steps.size() > settings.stepsMax()) {
            throw new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "saga \"" + name + "\" has "
                    + steps.size() + " steps; phantom.saga.steps-max allows " + settings.stepsMax());
        }
        for (SagaStep step : steps) {
            checkStatements(step.name(), step.sql());
            if (step.compensates()) {
                checkStatements(step.name(), step.compensation());
            }
        }
    }

    private static void checkStatements(String stepName, String text) {
        List<String> statements = SagaStatement.statements(text);
        if (statements.isEmpty()) {
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "step \"" + stepName + "\": a statement text is empty");
        }
        for (String statement : statements) {
            String refused = null;
            if (SagaStatement.parse(statement).isPresent()) {
                refused = "saga statements";
            } else if (TransactionStatement.parse(statement).isPresent()) {
                refused = "transaction control (each step already is one transaction)";
            } else if (DdlParser.parse(statement).isPresent()) {
                refused = "schema changes (they cannot run inside a transaction)";
            }
            if (refused != null) {
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                        "step \"" + stepName + "\": a saga step cannot contain " + refused + ": " + statement);
            }
            Parameters.rewrite(statement); // 42601 for a malformed $n now rather than when the step runs
        }
    }

    // ------------------------------------------------------------------------------------------ running

    /**
     * START SAGA: runs saga {@code name} under {@code sagaId} (null: a new UUID) with {@code parameters} as its
     * $1..$n, and completes with its outcome - or with its current status if it has not ended within
     * {@code start-wait-timeout} (it goes on). Starting an id that exists waits for that saga instead (42710
     * if it belongs to another saga). 42704 if no saga has this name; 22023 if the number of parameters
     * differs from the $n the saga's statements use.
     */
    public CompletionStage<SagaOutcome> start(String name, String sagaId, List<?> parameters) {
        try {
            return startChecked(name, sagaId, parameters);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<SagaOutcome> startChecked(String name, String sagaId, List<?> parameters) {
        String id = sagaId != null ? sagaId : UUID.randomUUID().toString();
        if (id.isBlank() || id.length() > SAGA_ID_LENGTH_MAX) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                    "a saga id has 1 to " + SAGA_ID_LENGTH_MAX + " characters: '" + id + "'");
        }
        List<SagaParam> params;
        try {
            params = SagaParam.ofAll(parameters);
        } catch (IllegalArgumentException e) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, e.getMessage());
        }
        return tables().thenCompose(v -> definition(name))
                .thenCompose(steps -> {
                    checkParameterCount(name, steps, params.size());
                    return claim(id, name, steps).thenCompose(c -> ask(id, replyTo ->
                            new SagaCoordinator.Start(name, steps, params, replyTo)));
                })
                .thenApply(outcome -> {
                    if (!name.equals(outcome.name())) {
                        throw usedByOther(id, outcome.name());
                    }
                    return outcome;
                });
    }

    /** The outcome of saga {@code sagaId} once it has ended (UNKNOWN if there is none), or its status after
     * {@code start-wait-timeout}. Wakes the saga if it is not running (after a restart). */
    public CompletionStage<SagaOutcome> outcome(String sagaId) {
        return ask(sagaId, SagaCoordinator.Await::new);
    }

    /** SHOW SAGAS: every saga's status row, by saga id. */
    public CompletionStage<List<SagaOutcome>> list() {
        return tables().thenCompose(v -> SagaTables.run(sessions, "SELECT saga_id, name, status, step, step_name, error FROM "
                + SagaTables.RUNS + " ORDER BY saga_id")).thenApply(r -> {
                    List<SagaOutcome> out = new ArrayList<>();
                    for (Object[] row : r.rows()) {
                        out.add(new SagaOutcome((String) row[0], (String) row[1], SagaStatus.valueOf((String) row[2]),
                                ((Number) row[3]).intValue(), (String) row[4], (String) row[5]));
                    }
                    return out;
                });
    }

    /**
     * Wakes every saga whose status row says RUNNING or COMPENSATING (call once when the node has opened); at
     * most {@code resume-parallelism} at a time. Completes with their outcomes (statuses for those that have
     * not ended within start-wait-timeout). Creates no table: a node that never ran a saga has nothing to do.
     */
    public CompletionStage<List<SagaOutcome>> resume() {
        return SagaTables.run(sessions, "SELECT saga_id FROM " + SagaTables.RUNS
                + " WHERE status = 'RUNNING' OR status = 'COMPENSATING' ORDER BY saga_id").handle((r, e) -> {
                    if (e != null) {
                        PhantomSqlException error = SagaTables.sqlError(e);
                        if (error != null && error.state() == SqlState.UNDEFINED_TABLE) {
                            return CompletableFuture.completedFuture(List.<SagaOutcome>of());
                        }
                        return CompletableFuture.<List<SagaOutcome>>failedFuture(e);
                    }
                    List<String> ids = new ArrayList<>();
                    for (Object[] row : r.rows()) {
                        ids.add((String) row[0]);
                    }
                    return resumeInGroups(ids);
                }).thenCompose(x -> x);
    }

    private CompletionStage<List<SagaOutcome>> resumeInGroups(List<String> ids) {
        List<SagaOutcome> outcomes = new ArrayList<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < ids.size(); from += settings.resumeParallelism()) {
            List<String> group = ids.subList(from, Math.min(ids.size(), from + settings.resumeParallelism()));
            chain = chain.thenCompose(v -> {
                List<CompletableFuture<SagaOutcome>> waits = new ArrayList<>();
                for (String id : group) {
                    waits.add(outcome(id).thenCompose(o -> o.status() == SagaStatus.UNKNOWN ? interrupted(id)
                            : CompletableFuture.completedFuture(o)).toCompletableFuture());
                }
                return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
                        .thenRun(() -> waits.forEach(w -> outcomes.add(w.join())));
            });
        }
        return chain.thenApply(v -> List.copyOf(outcomes));
    }

    /**
     * A status row whose coordinator never journaled its start: the node stopped between the two, so no step
     * ran. Marked COMPENSATED; a later START under the same id runs it after all (and rewrites the row).
     */
    private CompletionStage<SagaOutcome> interrupted(String sagaId) {
        return SagaTables.run(sessions, "UPDATE " + SagaTables.RUNS + " SET status = 'COMPENSATED', step = 0, step_name = NULL,"
                + " error = $2 WHERE saga_id = $1 AND status = 'RUNNING'", sagaId, INTERRUPTED)
                .thenCompose(r -> row(sagaId));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private CompletionStage<Void> tables() {
        CompletableFuture<Void> current = tables.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        if (!tables.compareAndSet(current, fresh)) {
            return tables.get();
        }
        SagaTables.create(sessions).whenComplete((v, e) -> {
            if (e != null) {
                fresh.completeExceptionally(e);
            } else {
                fresh.complete(null);
            }
        });
        return fresh;
    }

    /** The steps of saga {@code name}, from its stored definition. */
    private CompletionStage<List<SagaStep>> definition(String name) {
        return SagaTables.run(sessions, "SELECT definition FROM " + SagaTables.DEFINITIONS + " WHERE name = $1", name)
                .thenApply(r -> {
                    if (r.rows().isEmpty()) {
                        throw new PhantomSqlException(SqlState.UNDEFINED_OBJECT, "saga \"" + name + "\" does not exist");
                    }
                    SagaStatement parsed = SagaStatement.parse((String) r.rows().get(0)[0]).orElseThrow();
                    return ((SagaStatement.Create) parsed).steps();
                });
    }

    private static void checkParameterCount(String name, List<SagaStep> steps, int given) {
        int used = 0;
        for (SagaStep step : steps) {
            for (String text : step.compensates() ? List.of(step.sql(), step.compensation()) : List.of(step.sql())) {
                for (String statement : SagaStatement.statements(text)) {
                    used = Math.max(used, Parameters.rewrite(statement).count());
                }
            }
        }
        if (used != given) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                    "saga \"" + name + "\" takes " + used + " parameter(s), " + given + " given");
        }
    }

    /** Writes the RUNNING status row before the coordinator starts, so a restart in between finds the saga. */
    private CompletionStage<Void> claim(String sagaId, String name, List<SagaStep> steps) {
        return SagaTables.run(sessions, "INSERT INTO " + SagaTables.RUNS + " (saga_id, name, status, step, step_name, error)"
                + " VALUES ($1, $2, 'RUNNING', 1, $3, NULL)", sagaId, name, steps.get(0).name()).handle((r, e) -> {
                    if (e == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (!duplicate(e)) {
                        return CompletableFuture.<Void>failedFuture(e);
                    }
                    return row(sagaId).thenApply(existing -> {
                        if (!name.equals(existing.name())) {
                            throw usedByOther(sagaId, existing.name());
                        }
                        return (Void) null; // the same saga again: wait for it
                    });
                }).thenCompose(x -> x);
    }

    private CompletionStage<SagaOutcome> row(String sagaId) {
        return SagaTables.run(sessions, "SELECT saga_id, name, status, step, step_name, error FROM " + SagaTables.RUNS
                + " WHERE saga_id = $1", sagaId).thenApply(r -> {
                    if (r.rows().isEmpty()) {
                        return new SagaOutcome(sagaId, null, SagaStatus.UNKNOWN, 0, null, null);
                    }
                    Object[] row = r.rows().get(0);
                    return new SagaOutcome((String) row[0], (String) row[1], SagaStatus.valueOf((String) row[2]),
                            ((Number) row[3]).intValue(), (String) row[4], (String) row[5]);
                });
    }

    /** Asks coordinator {@code sagaId}; after start-wait-timeout, its status row instead. */
    private CompletionStage<SagaOutcome> ask(String sagaId, Function<ActorRef<SagaOutcome>, SagaCoordinator.Command> message) {
        CompletionStage<SagaOutcome> asked = ClusterSharding.get(system)
                .entityRefFor(SagaCoordinator.ENTITY_TYPE_KEY, sagaId).ask(message, settings.startWaitTimeout());
        return PekkoFutures.of(asked, executor).handle((o, e) -> e == null ? CompletableFuture.completedFuture(o)
                : row(sagaId)).thenCompose(x -> x);
    }

    private static boolean duplicate(Throwable e) {
        PhantomSqlException error = SagaTables.sqlError(e);
        return error != null && error.state() == SqlState.UNIQUE_VIOLATION;
    }

    private static PhantomSqlException usedByOther(String sagaId, String other) {
        return new PhantomSqlException(SqlState.DUPLICATE_OBJECT, "saga id '" + sagaId + "' is already used by saga \""
                + other + "\"");
    }

    private static String text(Object value, String what) {
        if (!(value instanceof String s)) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "the " + what + " must be a text, not " + value);
        }
        return s;
    }

    private static Prepared.ResultColumn column(String name, DataType type, boolean nullable) {
        return new Prepared.ResultColumn(name, type, nullable);
    }
}
