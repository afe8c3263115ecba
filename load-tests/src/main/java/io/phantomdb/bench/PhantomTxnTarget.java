package io.phantomdb.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.node.TxnConfig;
import io.phantomdb.sql.TxnSettings;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Phantom-DB through its embedded API as an application runs explicit transactions: one
 * {@code PhantomDb.session()} per benchmark thread, {@code s.execute("BEGIN")}, one
 * {@code s.execute("UPDATE ... WHERE id = $1", id)} per row, {@code s.execute("COMMIT")}, each stage waited
 * for by the calling thread; {@code phantom.storage.durability = commit}, so COMMIT returns once its WAL
 * record(s) are fsynced. The database runs in an actor system of its own (one-node cluster on a free
 * loopback port), as in {@link PhantomSqlTarget}.
 */
final class PhantomTxnTarget implements TxnTarget {

    private static final String UPDATE_SQL = UPDATE.replace("?", "$1");

    private final String name;
    private final Path dir;
    private final int partitions;
    private final String isolationSql;
    private final long timeoutMillis;
    private final Config config;
    private final ActorSystem<Void> system;
    private final PhantomDb db;
    private final Map<Integer, PhantomSession> sessions = new ConcurrentHashMap<>();

    private PhantomTxnTarget(String name, Path dir, int partitions, String isolationSql, double timeoutSeconds) {
        this.name = name;
        this.dir = dir;
        this.partitions = partitions;
        this.isolationSql = isolationSql;
        this.timeoutMillis = (long) (timeoutSeconds * 1000);
        this.config = config(dir);
        this.system = ActorSystem.create(Behaviors.empty(), "phantom-txnbench", config);
        try {
            this.db = PhantomDb.open(system, config);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    static PhantomTxnTarget open(String name, Path dir, int partitions, String isolationSql, double timeoutSeconds) {
        return new PhantomTxnTarget(name, dir, partitions, isolationSql, timeoutSeconds);
    }

    /** Phantom's defaults (conf/phantom.conf, phantom.txn included) but the data dir; Pekko as in TestNode. */
    private static Config config(Path dir) {
        return ConfigFactory.parseMap(Map.of(
                        "phantom.data-dir", dir.toString(),
                        "phantom.storage.durability", "commit",
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on",
                        "pekko.loglevel", "WARNING",
                        "pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"),
                        "pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    @Override
    public String name() {
        return name;
    }

    /** Phantom's deadlock-check-interval as configured (PostgreSQL's deadlock_timeout is set to it). */
    static Duration deadlockCheckInterval() {
        return TxnConfig.fromConfig(ConfigFactory.load()).deadlockCheckInterval();
    }

    @Override
    public String settings() {
        TxnSettings txn = TxnConfig.fromConfig(config);
        return "embedded `PhantomDb` API in its own actor system (one-node cluster on 127.0.0.1, free port); one "
                + "`db.session()` per thread, `SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
                + isolationSql + "` once, then `BEGIN` / `UPDATE ... WHERE id = $1` per row / `COMMIT`; "
                + "`phantom.storage.durability = commit` (COMMIT returns once its WAL record is fsynced, group "
                + "commit per partition engine); table `WITH (partitions = " + partitions + ")`, rows placed by a "
                + "hash of the primary key" + (partitions > 1 ? " (a multi-row transaction almost always spans "
                + "partitions: " + crossPartitionCommit() + ")" : " (every commit writes one partition engine: one "
                + "WAL record)")
                + "; `phantom.txn` at its "
                + "defaults: lock-timeout " + txn.lockTimeout().toMillis() + " ms, deadlock-check-interval "
                + txn.deadlockCheckInterval().toMillis() + " ms; every other `phantom.*` setting at its default "
                + "(conf/phantom.conf)";
    }

    /**
     * Whether the jar commits cross-partition transactions with two-phase commit: the harness does not change
     * when the protocol does, so the report tells which one it measured from the classes the jar holds.
     */
    static boolean twoPhaseCommit() {
        try {
            Class.forName("io.phantomdb.txn.coordinator.TxnCoordinatorClient", false,
                    PhantomTxnTarget.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** How this jar commits a transaction that wrote several partitions, for the report. */
    static String crossPartitionCommit() {
        return twoPhaseCommit()
                ? "it commits with **two-phase commit** (a durable PREPARE record in each partition, the decision "
                        + "journaled by the TxnCoordinator, then each partition's commit record)"
                : "it writes each partition at one commit timestamp, **without two-phase commit** (not atomic if "
                        + "the node crashes between the partitions' writes)";
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public void load(int rows, int batch, String pad) throws Exception {
        await(db.execute(CREATE + " WITH (partitions = " + partitions + ")"));
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            StringBuilder sql = new StringBuilder("INSERT INTO txnbench VALUES ");
            Object[] params = new Object[n * 3];
            for (int r = 0; r < n; r++) {
                sql.append(r == 0 ? "" : ", ").append("($").append(3 * r + 1).append(", $").append(3 * r + 2)
                        .append(", $").append(3 * r + 3).append(')');
                params[3 * r] = from + r;
                params[3 * r + 1] = 0L;
                params[3 * r + 2] = pad;
            }
            long changed = await(db.execute(sql.toString(), params));
            if (changed != n) {
                throw new IllegalStateException("INSERT of " + n + " rows changed " + changed);
            }
        }
    }

    @Override
    public long sumOfVal() throws Exception {
        List<Row> rows = await(db.query(SUM));
        return rows.get(0).getBigDecimal(0).longValueExact(); // SUM of a BIGINT is a DECIMAL, as in PostgreSQL
    }

    @Override
    public TxnSession session(int index) throws Exception {
        PhantomSession s = sessions.get(index);
        if (s == null) {
            s = new PhantomSession(db.session());
            sessions.put(index, s);
        }
        return s;
    }

    @Override
    public Map<String, Long> counters() {
        long records = 0;
        long syncs = 0;
        for (Engine e : db.localEngines()) {
            EngineStats s = e.stats();
            records += s.walRecords();
            syncs += s.walSyncs();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("walRecords", records);
        m.put("walSyncs", syncs);
        return m;
    }

    @Override
    public String retryableCode(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof PhantomSqlException p && p.state().retryable() ? p.state().code() : null;
    }

    @Override
    public void close() throws Exception {
        try {
            sessions.values().forEach(s -> s.session.close());
            db.close();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    private final class PhantomSession implements TxnSession {
        final Session session;
        private boolean configured;

        PhantomSession(Session session) {
            this.session = session;
        }

        @Override
        public void transaction(int[] ids) throws Exception {
            if (!configured) {
                await(session.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + isolationSql));
                configured = true;
            }
            try {
                await(session.execute("BEGIN"));
                for (int id : ids) {
                    long changed = await(session.execute(UPDATE_SQL, id));
                    if (changed != 1) {
                        throw new IllegalStateException("UPDATE of id " + id + " changed " + changed + " rows");
                    }
                }
                await(session.execute("COMMIT"));
            } catch (Exception e) {
                // A failed statement leaves the block FAILED (25P02 until it ends); a failed COMMIT already ended it.
                if (session.status() != Session.Status.IDLE) {
                    await(session.execute("ROLLBACK"));
                }
                throw e;
            }
        }
    }
}
