package io.phantomdb.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Phantom-DB through its embedded API, exactly as an application would use it: {@code PhantomDb.open} in an
 * actor system of its own (cluster provider on a free loopback port, as the tests' {@code TestNode}),
 * statements with {@code $n} parameters (so plans come from the plan cache), queries collected with
 * {@code db.query(...)} (primary-key lookups run inline on the caller's thread, decision D18; other plans as
 * a stream) or, with {@code --phantom-api sql}, as {@code db.sql(...).runWith(Sink.seq(), system)} (always a
 * stream), DML as {@code db.execute(...)}; each waited for by the calling benchmark thread.
 */
final class PhantomSqlTarget implements SqlTarget {

    private final String name;
    private final Path dir;
    private final int partitions;
    private final long cacheBytes;
    private final long timeoutMillis;
    /** Queries through {@code db.sql(...)} streams instead of {@code db.query(...)}. */
    private final boolean streamApi;
    private final UserTable.Statements sql;
    private final ActorSystem<Void> system;
    private final PhantomDb db;
    private final Map<Integer, String> inserts = new ConcurrentHashMap<>();

    private PhantomSqlTarget(String name, Path dir, int partitions, long cacheBytes, int scanLength, double timeoutSeconds,
            boolean streamApi) {
        this.name = name;
        this.streamApi = streamApi;
        this.dir = dir;
        this.partitions = partitions;
        this.cacheBytes = cacheBytes;
        this.timeoutMillis = (long) (timeoutSeconds * 1000);
        this.sql = UserTable.statements(true, scanLength);
        Config config = config(dir, cacheBytes);
        this.system = ActorSystem.create(Behaviors.empty(), "phantom-sqlbench", config);
        try {
            this.db = PhantomDb.open(system, config);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    static PhantomSqlTarget open(String name, Path dir, int partitions, long cacheBytes, int scanLength,
            double timeoutSeconds, boolean streamApi) {
        return new PhantomSqlTarget(name, dir, partitions, cacheBytes, scanLength, timeoutSeconds, streamApi);
    }

    /** Phantom's defaults (conf/phantom.conf) but the data dir and the block cache; Pekko as in TestNode. */
    private static Config config(Path dir, long cacheBytes) {
        return ConfigFactory.parseMap(Map.of(
                        "phantom.data-dir", dir.toString(),
                        "phantom.storage.durability", "commit",
                        "phantom.storage.block-cache-size", cacheBytes,
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

    @Override
    public String settings() {
        return "embedded `PhantomDb` API in its own actor system (one-node cluster on 127.0.0.1, free port), queries "
                + (streamApi ? "as `db.sql(...).runWith(Sink.seq(), system)` (a stream each)"
                        : "collected with `db.query(...)` (primary-key lookups inline on the caller's thread, D18; "
                                + "range scan and GROUP BY as streams)")
                + ", DML with `db.execute(...)`; "
                + "`phantom.storage.durability = commit` (every statement's WAL record fsynced before it returns, "
                + "group commit per partition engine); table `WITH (partitions = " + partitions + ")`, rows placed by "
                + "a hash of the primary key; `block-cache-size` " + (cacheBytes >> 20) + " MiB per partition engine; "
                + "every other `phantom.*` setting at its default (conf/phantom.conf)";
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public void createTable(UserTable table) throws Exception {
        await(db.execute(table.createTable(" WITH (partitions = " + partitions + ")")));
    }

    @Override
    public void insert(UserTable table, List<Object[]> rows) throws Exception {
        int columns = table.columns();
        Object[] params = new Object[rows.size() * columns];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, params, r * columns, columns);
        }
        String text = inserts.computeIfAbsent(rows.size(), n -> table.insert(n, true));
        long changed = await(db.execute(text, params));
        if (changed != rows.size()) {
            throw new IllegalStateException("INSERT of " + rows.size() + " rows changed " + changed);
        }
    }

    /** Flush + compact every partition engine (the system partition's too), as StorageBench does. */
    @Override
    public void settle() throws Exception {
        for (Engine e : db.localEngines()) {
            e.flush();
            e.compact();
        }
    }

    @Override
    public String explain(String workload) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Row row : rows("EXPLAIN " + sql.of(workload))) {
            lines.add(row.getString(0).strip());
        }
        return String.join("; ", lines);
    }

    @Override
    public Session session(int index) {
        return session;
    }

    @Override
    public Map<String, Long> counters() {
        long records = 0;
        long syncs = 0;
        long hits = 0;
        long misses = 0;
        for (Engine e : db.localEngines()) {
            EngineStats s = e.stats();
            records += s.walRecords();
            syncs += s.walSyncs();
            hits += s.blockCacheHits();
            misses += s.blockCacheMisses();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("walRecords", records);
        m.put("walSyncs", syncs);
        m.put("cacheHits", hits);
        m.put("cacheMisses", misses);
        return m;
    }

    @Override
    public void close() throws Exception {
        try {
            db.close();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** All rows of a query, through the API chosen by {@code --phantom-api}. */
    private List<Row> rows(String text, Object... params) throws Exception {
        return await(streamApi ? db.sql(text, params).runWith(Sink.seq(), system) : db.query(text, params));
    }

    private <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    /** The database is thread-safe and a statement holds no connection: one stateless session serves all threads. */
    private final Session session = new Session() {
        @Override
        public Answer pointSelect(int id) throws Exception {
            return answer(rows(sql.pointSelect(), id));
        }

        @Override
        public Answer rangeScan(int from, int length) throws Exception {
            return answer(rows(sql.rangeScan(), from));
        }

        @Override
        public long update(int id, String field0) throws Exception {
            return await(db.execute(sql.update(), id, field0));
        }

        @Override
        public List<long[]> groupBy() throws Exception {
            List<long[]> out = new ArrayList<>();
            for (Row row : rows(sql.groupBy())) {
                out.add(new long[] {row.getLong(0), row.getLong(1), row.getLong(2)});
            }
            return out;
        }
    };

    private static Answer answer(List<Row> rows) {
        long ids = 0;
        long chars = 0;
        for (Row row : rows) {
            ids += row.getInt(0);
            Blackhole.consume(row.getInt(1) + row.getInt(2));
            for (int c = 3; c < row.size(); c++) {
                chars += ((String) row.get(c)).length();
            }
        }
        return new Answer(rows.size(), ids, chars);
    }
}
