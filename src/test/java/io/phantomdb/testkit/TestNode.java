package io.phantomdb.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A one-node Phantom-DB for tests: its own actor system (cluster provider on a free loopback port) and a data
 * directory the test owns. {@link #restart} closes everything and opens the same directory again, like a node
 * restart. Blocking helpers wait at most {@link #TIMEOUT}.
 */
public final class TestNode implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Map<String, Object> overrides;
    private final io.phantomdb.txn.coordinator.CrashPoints crashPoints;
    private ActorSystem<Void> system;
    private PhantomDb db;

    public TestNode(Path dataDir) {
        this(dataDir, Map.of());
    }

    /** {@code overrides}: extra settings, e.g. {@code "phantom.sql.query-memory-budget" -> "1 MiB"}. */
    public TestNode(Path dataDir, Map<String, Object> overrides) {
        this(dataDir, overrides, io.phantomdb.txn.coordinator.CrashPoints.NONE);
    }

    /** {@code crashPoints}: called by the two-phase commit coordinators at each step (crash tests). */
    public TestNode(Path dataDir, Map<String, Object> overrides, io.phantomdb.txn.coordinator.CrashPoints crashPoints) {
        this.dataDir = dataDir;
        this.overrides = overrides;
        this.crashPoints = crashPoints;
        start();
    }

    public static Config config(Path dataDir, Map<String, Object> overrides) {
        return ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.parseMap(Map.of(
                        "phantom.data-dir", dataDir.toString(),
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on",
                        "pekko.loglevel", "WARNING",
                        "pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"),
                        "pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter")))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    private void start() {
        Config config = config(dataDir, overrides);
        system = ActorSystem.create(Behaviors.empty(), "phantom-test", config);
        db = PhantomDb.open(system, config, crashPoints);
    }

    public PhantomDb db() {
        return db;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public void restart() {
        shutdown();
        start();
    }

    /** Runs a statement and waits; returns the update count. Failures are rethrown unwrapped. */
    public long execute(String sql, Object... params) {
        return await(db.execute(sql, params));
    }

    /** Runs a query and collects its rows. */
    public List<Row> query(String sql, Object... params) {
        return await(db.sql(sql, params).runWith(Sink.seq(), system));
    }

    public <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void shutdown() {
        if (db != null) {
            db.close();
            db = null;
        }
        if (system != null) {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("actor system did not terminate", e);
            }
            system = null;
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
