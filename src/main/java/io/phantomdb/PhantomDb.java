package io.phantomdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.catalog.Catalog;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.node.NodeConfig;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionEntity;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SqlEngine;
import io.phantomdb.sql.SessionState;
import io.phantomdb.sql.SqlSettings;
import io.phantomdb.sql.TxnSettings;
import io.phantomdb.txn.mvcc.LockTable;
import io.phantomdb.txn.coordinator.CrashPoints;
import io.phantomdb.txn.coordinator.PartitionParticipants;
import io.phantomdb.txn.coordinator.Participants;
import io.phantomdb.txn.coordinator.SagaOutcome;
import io.phantomdb.txn.coordinator.TxnCoordinator;
import io.phantomdb.txn.coordinator.TxnCoordinatorClient;
import io.phantomdb.txn.coordinator.TxnCoordinatorSettings;
import io.phantomdb.txn.coordinator.WaitReporter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.txn.mvcc.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Phantom-DB embedded in a Pekko application: the entry point of the embedded API (DESIGN.md "Interfaces").
 *
 * <pre>{@code
 * PhantomDb db = PhantomDb.open(system, config);          // system: provider = cluster
 * db.execute("CREATE TABLE t (id INT PRIMARY KEY, name TEXT)").toCompletableFuture().join();
 * db.execute("INSERT INTO t VALUES ($1, $2)", 1, "one").toCompletableFuture().join();
 * db.sql("SELECT name FROM t WHERE id = $1", 1).runForeach(row -> ..., system);
 * }</pre>
 *
 * <p>{@link #open} joins the node to itself as a one-node cluster when it is not a member of one yet,
 * registers the partition entities with Cluster Sharding, starts every partition of every table (opening
 * their engines) and loads the catalog. Queries are lazy {@link Source}s: nothing runs until materialized,
 * demand flows back to the partition scans, and cancelling stops them. Thread-safe.
 */
public final class PhantomDb implements AutoCloseable {
    /** How long {@link #open} waits for the cluster and the partitions before giving up. */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);

    private final ActorSystem<?> system;
    private final PartitionRegistry registry;
    private final PartitionClient partitions;
    private final SqlEngine engine;
    private final Duration timeout;
    private final ScheduledExecutorService lockTimer;
    private final io.phantomdb.security.Security security;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private PhantomDb(ActorSystem<?> system, PartitionRegistry registry, PartitionClient partitions, SqlEngine engine,
            Duration timeout, ScheduledExecutorService lockTimer) {
        this.security = engine.security();
        this.lockTimer = lockTimer;
        this.system = system;
        this.registry = registry;
        this.partitions = partitions;
        this.engine = engine;
        this.timeout = timeout;
        // SIGTERM (Pekko's JVM hook) and ActorSystem.terminate() run the coordinated shutdown: close the partitions
        // before cluster sharding hands them off, so every engine flushes and closes while its entity still answers.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "phantom-close-partitions",
                () -> CompletableFuture.runAsync(this::close, r -> new Thread(r, "phantom-close").start())
                        .thenApply(v -> Done.getInstance()));
    }

    /**
     * Opens the database of the node configuration {@code config} ({@code phantom.*}, see conf/phantom.conf)
     * inside {@code system}, whose {@code pekko.actor.provider} must be {@code cluster}. Blocks until ready.
     */
    public static PhantomDb open(ActorSystem<?> system, Config config) {
        return open(system, config, CrashPoints.NONE);
    }

    /**
     * As {@link #open(ActorSystem, Config)}, with a hook the two-phase commit coordinators call at each step
     * (crash tests make it fail there). Applications use the other overload.
     */
    public static PhantomDb open(ActorSystem<?> system, Config config, CrashPoints crashPoints) {
        String provider = system.settings().config().getString("pekko.actor.provider");
        if (!provider.equals("cluster")) {
            throw new IllegalArgumentException("Phantom-DB needs pekko.actor.provider = cluster, not " + provider);
        }
        NodeConfig node = NodeConfig.fromConfig(config, null);
        SqlSettings settings = node.sqlSettings();
        TxnSettings txn = node.txnSettings();
        joinSelf(system);
        ScheduledExecutorService lockTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phantom-lock-timeouts");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicReference<SqlEngine> engineRef = new java.util.concurrent.atomic.AtomicReference<>();
        WaitReporter deadlocks = WaitReporter.start(system, txn.deadlockCheckInterval(), txn.deadlockEdgesMax(), victim -> {
            SqlEngine e = engineRef.get();
            if (e != null) {
                e.transactions().victim(victim);
            }
        });
        PartitionRegistry registry = new PartitionRegistry(() -> new LockTable(txn.lockWaitersMax(),
                txn.lockTimeout().toMillis(), lockTimer, deadlocks));
        PartitionEntity.init(system, new PartitionEntity.Environment(RealFileSystem.INSTANCE,
                node.dataDir().toAbsolutePath(), node.engineOptions(), registry));
        PartitionClient partitions = new PartitionClient(system, settings.partitionTimeout());
        Timestamps timestamps = new Timestamps(horizon -> {
            for (Engine e : registry.engines()) {
                e.setGcHorizon(horizon);
            }
        });
        registry.timestamps(timestamps);
        timestamps.observe(await(partitions.start(PartitionId.SYSTEM)));
        Catalog catalog = Catalog.load(registry, partitions);
        // Roles before anything serves a statement; the first start creates the bootstrap superuser (docs/security.md).
        io.phantomdb.security.Security security = io.phantomdb.security.Security.load(registry, partitions, catalog,
                timestamps, node.securitySettings());
        await(security.bootstrap(System.out));
        List<CompletableFuture<Long>> starts = new ArrayList<>();
        for (TableDef table : catalog.current().tables().values()) {
            for (int p = 0; p < table.partitions(); p++) {
                starts.add(partitions.start(new PartitionId(table.tableId(), p)).toCompletableFuture());
            }
        }
        for (CompletableFuture<Long> start : starts) {
            timestamps.observe(await(start));
        }
        Participants participants = new PartitionParticipants(partitions, timestamps::issue);
        TxnCoordinator.init(system, participants, TxnCoordinatorSettings.of(txn.participantTimeout(), txn.decisionRetriesMax()),
                crashPoints);
        TxnCoordinatorClient coordinator = new TxnCoordinatorClient(system, txn.commitTimeout());
        resolveInDoubt(registry, participants, coordinator, timestamps);
        SqlEngine engine = new SqlEngine(catalog, registry, partitions, timestamps, settings, txn, deadlocks::ended,
                coordinator, node.sagaSettings(), security, system);
        engineRef.set(engine);
        engine.sagas().resume().whenComplete((resumed, e) -> {
            if (e != null) {
                system.log().warn("resuming unfinished sagas failed; they resume at the next start", e);
            }
        });
        return new PhantomDb(system, registry, partitions, engine, settings.partitionTimeout(), lockTimer);
    }

    /** Creates its own actor system (a one-node cluster on the configured loopback port) and opens in it. */
    public static PhantomDb openStandalone(Config config) {
        Config withDefaults = config.withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "phantom", withDefaults);
        try {
            return open(system, withDefaults);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        if (cluster.selfMember().status() == MemberStatus.up()) {
            return;
        }
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("this node did not become an Up cluster member within " + OPEN_TIMEOUT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the cluster", e);
            }
        }
    }

    /**
     * Settles every transaction a partition holds a PREPARE record of (the node stopped during a two-phase
     * commit): asks its coordinator for the decision (undecided = abort) and applies it. Runs before the node
     * serves any statement, so no reader can take a snapshot that a late commit would change.
     */
    private static void resolveInDoubt(PartitionRegistry registry, Participants participants,
            TxnCoordinatorClient coordinator, Timestamps timestamps) {
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        for (PartitionId id : registry.running()) {
            for (long txnId : registry.inDoubt(id)) {
                settled.add(coordinator.outcome(txnId).thenCompose(decision -> {
                    timestamps.observe(decision.commitTimestamp()); // later commits must come after it
                    return participants.apply(id, txnId, decision);
                }).toCompletableFuture());
            }
        }
        for (CompletableFuture<Void> s : settled) {
            await(s);
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a partition did not start within " + OPEN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening", e);
        }
    }

    /**
     * Runs a statement and streams its rows. Parameters are {@code $1, $2, ...} (or {@code ?}) in order.
     * Statements that return no rows (DDL, DML) run when the source is materialized and then complete.
     * Errors (with their SQLSTATE) fail the stream with {@link io.phantomdb.error.PhantomSqlException}.
     * Each statement is its own transaction; use {@link #session()} for transaction blocks.
     */
    public Source<Row, NotUsed> sql(String text, Object... parameters) {
        return engine.oneShot().stream(text, parameters.clone()).mapConcat(PhantomDb::rows);
    }

    /**
     * Runs a query and collects all its rows into a list (for results known to be small; use {@link #sql} to
     * stream large ones). Primary-key lookups run on the caller's thread without a stream, so this is the
     * fastest way to read a few rows.
     */
    public CompletionStage<List<Row>> query(String text, Object... parameters) {
        return engine.oneShot().query(text, parameters.clone()).thenApply(PhantomDb::rows);
    }

    /**
     * Runs a statement as its own transaction (retried on 40001/40P01); completes with the rows changed (DML),
     * rows returned (queries) or 0 (DDL).
     */
    public CompletionStage<Long> execute(String text, Object... parameters) {
        return engine.oneShot().execute(text, parameters.clone());
    }

    /**
     * A new session: transaction blocks ({@code BEGIN ... COMMIT}), savepoints and session settings. One
     * statement at a time per session; close it to roll back an open block.
     */
    public Session session() {
        return new Session(engine.session());
    }

    /**
     * Starts the saga {@code name} (defined with CREATE SAGA, docs/sagas.md) as {@code sagaId} (null: a new
     * UUID) with {@code params} for its steps' {@code $n}; completes with its outcome (COMPLETED, COMPENSATED,
     * FAILED) once it ended, or its status so far after {@code phantom.saga.start-wait-timeout}. Starting an
     * id that already ran returns that run's outcome: retrying a start is safe.
     */
    public CompletionStage<SagaOutcome> startSaga(String name, String sagaId, List<?> params) {
        return engine.sagas().start(name, sagaId, params);
    }

    /** The node's saga service: define, start, list and await sagas from code. */
    public io.phantomdb.sql.Sagas sagas() {
        return engine.sagas();
    }

    /** The result columns of a query (empty for statements that return no rows), from the plan cache. */
    public List<Column> describe(String text) {
        return columns(engine.prepare(text).columns());
    }

    /**
     * The storage engines of the partitions running on this node, for operations (statistics, flush) and
     * tests. Writing to them directly bypasses the catalog, constraints and timestamps: do not.
     */
    public List<Engine> localEngines() {
        List<Engine> engines = new ArrayList<>();
        registry.engines().forEach(engines::add);
        return engines;
    }

    /** The SQL engine, for the network interfaces (pgwire and HTTP keep one {@code SessionState} per session). */
    public SqlEngine engine() {
        return engine;
    }

    /** Roles and privileges (authentication for pgwire and HTTP). */
    public io.phantomdb.security.Security security() {
        return security;
    }

    /** The actor system the database runs in. */
    public ActorSystem<?> system() {
        return system;
    }

    private static List<Column> columns(List<Prepared.ResultColumn> resultColumns) {
        List<Column> columns = new ArrayList<>();
        for (Prepared.ResultColumn c : resultColumns) {
            columns.add(new Column(c.name(), c.type(), c.nullable()));
        }
        return List.copyOf(columns);
    }

    /** A statement's result (or one streamed batch of it) as rows. */
    static List<Row> rows(SessionState.Result result) {
        List<Column> columns = columns(result.columns());
        List<Row> rows = new ArrayList<>(result.rows().size());
        for (Object[] values : result.rows()) {
            rows.add(new Row(columns, values));
        }
        return rows;
    }

    /**
     * Closes every partition's engine on this node (their entities stop), waiting at most the partition timeout
     * for all of them together. The actor system keeps running. Idempotent; also run by the actor system's
     * coordinated shutdown (SIGTERM, terminate()) before cluster sharding stops.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Long>> stops = new ArrayList<>();
        for (PartitionId id : registry.running()) {
            stops.add(partitions.stop(id).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Best effort: a partition that does not answer is closed by its PostStop when the system ends.
        }
        lockTimer.shutdownNow();
    }
}
