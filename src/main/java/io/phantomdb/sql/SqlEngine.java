package io.phantomdb.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.phantomdb.catalog.Catalog;
import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.ExecBindings;
import io.phantomdb.exec.ExecContext;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.sql.ddl.DdlParser;
import io.phantomdb.sql.ddl.DdlStatement;
import io.phantomdb.sql.expr.RexCompiler;
import io.phantomdb.sql.frontend.CalciteTables;
import io.phantomdb.sql.frontend.SqlFrontEnd;
import io.phantomdb.sql.plan.LogicalOptimizer;
import io.phantomdb.sql.plan.PhysicalPlanner;
import io.phantomdb.sql.plan.PlanNode;
import io.phantomdb.txn.mvcc.CommitInFlightException;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The SQL engine of a node: compiles statements (cached plans), runs queries as streams, and runs DML and
 * DDL.
 *
 * <pre>
 *   text --DdlParser?--> DDL ------------------------------------------------> DdlExecutor
 *        --Calcite----> RelRoot --LogicalOptimizer--> RelNode --PhysicalPlanner--> PlanNode tree
 *                         query: PlanNode.build(ctx) = one Pekko Streams graph of batches
 *                         DML:   input plan, then DmlExecutor (constraints, partition writes)
 * </pre>
 *
 * <p>Thread-safe: the plan cache is concurrent, plans are immutable; statement compilation runs on the
 * caller's thread.
 */
public final class SqlEngine {
    private final Catalog catalog;
    private final PartitionRegistry registry;
    private final Timestamps timestamps;
    private final SqlSettings settings;
    private final ActorSystem<?> system;
    private final Cache<String, Prepared> planCache;
    private final DmlExecutor dml;
    private final DdlExecutor ddl;
    final TableStatistics statistics = new TableStatistics(); // DdlExecutor loads it and ANALYZE updates it

    private final Transactions transactions;
    private final Sagas sagas;
    private final io.phantomdb.security.Security security;

    /**
     * @param ended told the id of every transaction that ends (the deadlock detector drops its wait edges)
     */
    public SqlEngine(Catalog catalog, PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps,
            SqlSettings settings, TxnSettings txnSettings, java.util.function.LongConsumer ended,
            io.phantomdb.txn.coordinator.TxnCoordinatorClient coordinator,
            io.phantomdb.txn.coordinator.SagaSettings sagaSettings, io.phantomdb.security.Security security,
            ActorSystem<?> system) {
        this.catalog = catalog;
        this.security = java.util.Objects.requireNonNull(security, "security");
        this.registry = registry;
        this.timestamps = timestamps;
        this.settings = settings;
        this.system = system;
        this.planCache = Caffeine.newBuilder().maximumSize(settings.planCacheEntries()).build();
        TableLocks tableLocks = new TableLocks(settings.statementQueueMax());
        this.transactions = new Transactions(registry, partitions, timestamps, txnSettings, catalog, tableLocks, ended, coordinator);
        this.dml = new DmlExecutor(registry, transactions, settings, system, statistics);
        this.ddl = new DdlExecutor(catalog, registry, partitions, timestamps, settings, system, this, tableLocks);
        this.sagas = new Sagas(system, this::session, sagaSettings, io.phantomdb.txn.coordinator.SagaHooks.NONE);
    }

    /** The node's saga service (CREATE/START/SHOW SAGA; docs/sagas.md). */
    public Sagas sagas() {
        return sagas;
    }

    /** The node's transactions (the deadlock detector's victims are delivered here). */
    public Transactions transactions() {
        return transactions;
    }

    /** A new session (one client's transaction state); see {@link SessionState}. */
    public SessionState session() {
        return new SessionState(this, transactions, false);
    }

    /**
     * A session of the authenticated role {@code role} (pgwire, HTTP): every statement is checked against the
     * role's privileges before it runs (42501, docs/security.md). {@link #session()} and {@link #oneShot()}
     * (the embedded API) run as an implicit superuser.
     */
    public SessionState session(String role) {
        return new SessionState(this, transactions, false, java.util.Objects.requireNonNull(role, "role"));
    }

    /** A one-statement session of {@code role} (HTTP's one request = one statement); see {@link #oneShot()}. */
    public SessionState oneShot(String role) {
        return new SessionState(this, transactions, true, java.util.Objects.requireNonNull(role, "role"));
    }

    /** The node's roles and privileges. */
    public io.phantomdb.security.Security security() {
        return security;
    }

    /** The catalog as of now (pg_catalog and information_schema read it). */
    public CatalogSnapshot catalogSnapshot() {
        return catalog.current();
    }

    /** A session for one statement (the embedded API's db.execute): transaction blocks are refused. */
    public SessionState oneShot() {
        return new SessionState(this, transactions, true);
    }

    /** Compiles (or takes from the plan cache) one statement. */
    public Prepared prepare(String sql) {
        CatalogSnapshot current = catalog.current();
        Prepared cached = planCache.getIfPresent(sql);
        if (cached != null && cached.catalogVersion() == current.version()) {
            return cached;
        }
        Prepared compiled = compile(sql, current);
        if (compiled.kind() != Prepared.Kind.DDL) {
            planCache.put(sql, compiled);
        }
        return compiled;
    }

    /** Drops every cached plan, so the next statements are planned with new statistics (ANALYZE). */
    void forgetPlans() {
        planCache.invalidateAll();
    }

    private Prepared compile(String sql, CatalogSnapshot snapshot) {
        java.util.Optional<DdlStatement> ddlStatement = DdlParser.parse(sql);
        if (ddlStatement.isPresent()) {
            return new Prepared(sql, snapshot.version(), Prepared.Kind.DDL, List.of(), List.of(), Parameters.NONE, null, null,
                    ddlStatement.get());
        }
        String explained = explainTarget(sql);
        if (explained != null) {
            Prepared inner = compile(explained, snapshot);
            if (inner.kind() == Prepared.Kind.DDL) {
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "EXPLAIN of DDL is not supported");
            }
            return new Prepared(sql, snapshot.version(), Prepared.Kind.EXPLAIN,
                    List.of(new Prepared.ResultColumn("QUERY PLAN", DataType.VARCHAR, false)), inner.parameterTypes(),
                    inner.parameters(), inner.plan(), inner.dml(), null, inner.tablesRead());
        }
        return compileQueryOrDml(sql, snapshot);
    }

    /** The statement after a leading EXPLAIN keyword, or null. */
    private static String explainTarget(String sql) {
        String trimmed = sql.stripLeading();
        if (trimmed.length() > 8 && trimmed.substring(0, 7).equalsIgnoreCase("explain")
                && Character.isWhitespace(trimmed.charAt(7))) {
            return trimmed.substring(8);
        }
        return null;
    }

    /** Compiles a query or DML statement; also used to type a view's query. */
    Prepared compileQueryOrDml(String sql, CatalogSnapshot snapshot) {
        Parameters parameters = Parameters.rewrite(sql);
        SqlFrontEnd frontEnd = new SqlFrontEnd(schemaFor(snapshot), parameters.sql());
        SqlNode parsed = frontEnd.parse();
        RelRoot root = frontEnd.toRel(parsed);
        List<DataType> parameterTypes = new ArrayList<>();
        for (RelDataTypeField field : frontEnd.parameterRowType(parsed).getFieldList()) {
            parameterTypes.add(RexCompiler.dataTypeOf(field.getType()));
        }
        PhysicalPlanner planner = new PhysicalPlanner(frontEnd.rexBuilder());
        if (root.kind == SqlKind.INSERT || root.kind == SqlKind.UPDATE || root.kind == SqlKind.DELETE) {
            TableModify modify = (TableModify) root.rel;
            Prepared.Dml plan = DmlExecutor.plan(modify, planner, LogicalOptimizer.optimize(modify.getInput()));
            return new Prepared(sql, snapshot.version(), Prepared.Kind.DML, List.of(), parameterTypes, parameters, null, plan, null,
                    TablesRead.ofDml(parsed, modify));
        }
        if (!root.kind.belongsTo(SqlKind.QUERY)) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "statement kind " + root.kind + " is not supported");
        }
        java.util.Set<String> tablesRead = TablesRead.of(root.rel);
        RelNode optimized = LogicalOptimizer.optimize(root.project());
        PlanNode plan = planner.plan(optimized);
        return new Prepared(sql, snapshot.version(), Prepared.Kind.QUERY, columns(root.validatedRowType), parameterTypes,
                parameters, plan, null, null, tablesRead);
    }

    /** The Calcite schema of a catalog version, built once per version. */
    private org.apache.calcite.jdbc.CalciteSchema schemaFor(CatalogSnapshot snapshot) {
        SchemaAtVersion cached = schema.get();
        if (cached != null && cached.version() == snapshot.version() && cached.snapshot() == snapshot) {
            return cached.schema();
        }
        org.apache.calcite.jdbc.CalciteSchema built = CalciteTables.schema(snapshot, statistics);
        schema.set(new SchemaAtVersion(snapshot.version(), snapshot, built));
        return built;
    }

    private record SchemaAtVersion(long version, CatalogSnapshot snapshot, org.apache.calcite.jdbc.CalciteSchema schema) {}

    private final java.util.concurrent.atomic.AtomicReference<SchemaAtVersion> schema = new java.util.concurrent.atomic.AtomicReference<>();

    private static List<Prepared.ResultColumn> columns(RelDataType rowType) {
        List<Prepared.ResultColumn> columns = new ArrayList<>();
        for (RelDataTypeField f : rowType.getFieldList()) {
            columns.add(new Prepared.ResultColumn(f.getName(), RexCompiler.dataTypeOf(f.getType()), f.getType().isNullable()));
        }
        return columns;
    }

    /**
     * Runs a prepared query (or EXPLAIN) as a stream of batches. The read timestamp is taken when the stream
     * is materialized and released when it terminates, so an unmaterialized source holds nothing.
     */
    public Source<Batch, NotUsed> stream(Prepared prepared, Object[] parameters) {
        if (prepared.kind() == Prepared.Kind.EXPLAIN) {
            List<Object[]> lines = new ArrayList<>();
            for (String line : prepared.explain().split("\n")) {
                lines.add(new Object[] {line});
            }
            return Source.single(new Batch(lines));
        }
        if (prepared.kind() != Prepared.Kind.QUERY) {
            return Source.lazyCompletionStage(() -> execute(prepared, parameters))
                    .mapMaterializedValue(x -> NotUsed.getInstance())
                    .flatMapConcat(count -> Source.<Batch>empty());
        }
        Object[] bound = bindParameters(prepared, parameters);
        return Source.lazyCompletionStage(timestamps::openReadAfterAcknowledged)
                .mapMaterializedValue(x -> NotUsed.getInstance())
                .flatMapConcat(readTs -> prepared.plan()
                        .build(context(bound, null, readTs))
                        .watchTermination((mat, done) -> {
                            PekkoFutures.of(done, system.executionContext()).whenComplete((d, e) -> timestamps.closeRead(readTs));
                            return mat;
                        }))
                // Batches are large already: prefetching more than one per stage only reads ahead of demand.
                .addAttributes(Attributes.inputBuffer(1, 1));
    }

    /**
     * Runs a query (or EXPLAIN) and collects all its rows. Plans that are a bounded amount of work (primary-key
     * lookups with filters and projections, {@link PlanNode#inline()}) run on the caller's thread without
     * materializing a stream (decisions D18); every other plan runs as its stream into a list.
     */
    public CompletionStage<List<Object[]>> collect(Prepared prepared, Object[] parameters) {
        if (prepared.kind() == Prepared.Kind.QUERY && prepared.plan().inline()) {
            Object[] bound = bindParameters(prepared, parameters);
            return timestamps.openReadAfterAcknowledged().thenCompose(readTs -> afterCommitsInFlight(
                    () -> CompletableFuture.completedFuture(prepared.plan().runInline(context(bound, null, readTs))))
                    .whenComplete((rows, e) -> timestamps.closeRead(readTs)));
        }
        return PekkoFutures.of(stream(prepared, parameters).runWith(Sink.seq(), system), system.executionContext())
                .thenApply(SqlEngine::flatten);
    }

    /** Runs any statement as its own transaction; completes with rows changed (DML), returned (queries), or 0. */
    public CompletionStage<Long> execute(Prepared prepared, Object[] parameters) {
        return oneShot().execute(prepared, parameters);
    }

    /** Runs a query (or EXPLAIN) inside {@code txn} at {@code readTimestamp}, as a stream of batches. */
    Source<Batch, NotUsed> streamIn(Prepared prepared, Object[] parameters, TxnState txn, long readTimestamp) {
        if (prepared.kind() == Prepared.Kind.EXPLAIN) {
            return stream(prepared, parameters);
        }
        return prepared.plan().build(context(bindParameters(prepared, parameters), txn, readTimestamp))
                .addAttributes(Attributes.inputBuffer(1, 1));
    }

    /** Runs a query inside {@code txn} and collects its rows (inline for key lookups, D18). */
    CompletionStage<List<Object[]>> collectIn(Prepared prepared, Object[] parameters, TxnState txn, long readTimestamp) {
        if (prepared.kind() == Prepared.Kind.QUERY && prepared.plan().inline()) {
            return afterCommitsInFlight(() -> CompletableFuture.completedFuture(prepared.plan().runInline(
                    context(bindParameters(prepared, parameters), txn, readTimestamp))));
        }
        return PekkoFutures.of(streamIn(prepared, parameters, txn, readTimestamp).runWith(Sink.seq(), system),
                system.executionContext()).thenApply(SqlEngine::flatten);
    }

    /** Runs a DML statement inside {@code txn} at {@code readTimestamp}: its changes are buffered in the transaction. */
    CompletionStage<Long> dmlIn(Prepared prepared, Object[] parameters, TxnState txn, long readTimestamp) {
        // Started over after a commit in flight: a statement meets one only while reading, before it buffers
        // anything (the row locks it may already hold are its own and taken again at once).
        return afterCommitsInFlight(() -> dml.execute(prepared.dml(), bindParameters(prepared, parameters), txn, readTimestamp));
    }

    /**
     * Runs {@code work}, and runs it again once a commit in flight that it met has ended
     * ({@link CommitInFlightException}, decisions D25): its key lookups read on the caller's thread and cannot
     * wait there. {@code work} must have changed nothing when it fails so.
     */
    static <T> CompletionStage<T> afterCommitsInFlight(java.util.function.Supplier<CompletionStage<T>> work) {
        CompletableFuture<T> first;
        try {
            first = work.get().toCompletableFuture();
        } catch (RuntimeException e) {
            first = CompletableFuture.failedFuture(e);
        }
        if (first.isDone() && !first.isCompletedExceptionally()) {
            return first;
        }
        return first.exceptionallyCompose(e -> {
            CommitInFlightException inFlight = CommitInFlightException.in(e);
            return inFlight == null ? CompletableFuture.failedFuture(e)
                    : inFlight.ended().thenCompose(v -> afterCommitsInFlight(work));
        });
    }

    /** Runs a DDL statement (outside any transaction) as {@code role} (null: the implicit superuser). */
    CompletionStage<Long> ddl(Prepared prepared, String role) {
        try {
            return ddl.execute(prepared.ddl(), prepared.sql(), role);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An execution context at {@code readTimestamp}, in {@code txn} (null: a statement outside any block). */
    private ExecContext context(Object[] bound, TxnState txn, long readTimestamp) {
        return new ExecContext(registry, readTimestamp, new MemoryBudget(settings.queryMemoryBytes()),
                new ExecBindings(bound), settings.batchRows(), txn, java.util.Map.of());
    }

    static List<Object[]> flatten(List<Batch> batches) {
        List<Object[]> rows = new ArrayList<>();
        for (Batch b : batches) {
            rows.addAll(b.rows());
        }
        return rows;
    }

    /** Checks the parameter count and converts each value to its inferred type. */
    private static Object[] bindParameters(Prepared prepared, Object[] parameters) {
        List<DataType> types = prepared.parameterTypes();
        Object[] bound = prepared.parameters().arrange(parameters);
        for (int i = 0; i < bound.length; i++) {
            bound[i] = RexCompiler.coerce(bound[i], types.get(i));
        }
        return bound;
    }
}
