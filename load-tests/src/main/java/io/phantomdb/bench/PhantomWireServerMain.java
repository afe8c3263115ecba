package io.phantomdb.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phantomdb.PhantomDb;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link PhantomWireProcess}: opens Phantom-DB ({@code PhantomDb.openStandalone}) with the
 * config file given as the only argument, starts its PostgreSQL wire protocol server
 * ({@code io.phantomdb.server.pgwire.PgWireServer}), prints {@code @phantom-wire port N}, then answers commands
 * on stdin, one per line: {@code settle} (flush + compact every partition engine), {@code stats} (engine
 * counters). At stdin EOF (or SIGTERM) it stops the server and the database and exits.
 *
 * <p>The wire server is reached by reflection so that load-tests keeps compiling against a phantom-db jar
 * without it (the other benchmarks do not need it); a jar without it fails here with a clear message.
 */
public final class PhantomWireServerMain {

    /** Marks the lines the parent reads as answers (everything else on stdout goes to the log). */
    static final String PREFIX = "@phantom-wire ";

    private static final long STOP_TIMEOUT_SECONDS = 60;

    private PhantomWireServerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PhantomWireServerMain CONFIG-FILE");
            System.exit(2);
        }
        Config config = ConfigFactory.parseFile(Path.of(args[0]).toFile()).withFallback(ConfigFactory.load()).resolve();
        PhantomDb db;
        Object server;
        try {
            db = PhantomDb.openStandalone(config);
            server = startWire(db, config);
        } catch (Throwable e) {
            e.printStackTrace();
            answer("error " + Timed.describe(rootCause(e)));
            System.exit(1);
            return;
        }
        Thread hook = new Thread(() -> stop(db, server), "phantom-wire-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        answer("port " + invoke(server, "port"));
        serve(db);
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(db, server);
        System.exit(0);
    }

    /** Commands until stdin ends. */
    private static void serve(PhantomDb db) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String command = line.trim();
            try {
                switch (command) {
                    case "settle" -> {
                        for (Engine e : db.localEngines()) {
                            e.flush();
                            e.compact();
                        }
                        answer("settle");
                    }
                    case "stats" -> answer("stats " + stats(db));
                    default -> answer("error unknown command " + command);
                }
            } catch (Exception e) {
                answer("error " + command + ": " + Timed.describe(e));
            }
        }
    }

    private static String stats(PhantomDb db) {
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
        return "walRecords=" + records + " walSyncs=" + syncs + " cacheHits=" + hits + " cacheMisses=" + misses;
    }

    /**
     * {@code PgWireServer.start(db, PgWireSettings)} and wait for it to listen. The settings come from a static
     * factory of {@code PgWireSettings} taking the {@code Config} (the root, or else the {@code phantom.pgwire}
     * block).
     */
    private static Object startWire(PhantomDb db, Config config) throws Exception {
        Class<?> serverClass = Class.forName("io.phantomdb.server.pgwire.PgWireServer");
        Class<?> settingsClass = Class.forName("io.phantomdb.server.pgwire.PgWireSettings");
        Object settings = settings(settingsClass, config);
        Method start = serverClass.getMethod("start", PhantomDb.class, settingsClass);
        Object started = start.invoke(null, db, settings);
        return started instanceof CompletionStage<?> stage
                ? stage.toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS) : started;
    }

    private static Object settings(Class<?> settingsClass, Config config) throws Exception {
        Exception last = null;
        for (Config candidate : new Config[] {config, config.getConfig("phantom.pgwire")}) {
            for (Method m : settingsClass.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
                        && m.getParameterTypes()[0] == Config.class && settingsClass.isAssignableFrom(m.getReturnType())) {
                    try {
                        return m.invoke(null, candidate);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        last = e;
                    }
                }
            }
        }
        throw new IllegalStateException("no static PgWireSettings factory taking a Config accepted the config", last);
    }

    private static void stop(PhantomDb db, Object server) {
        try {
            Object stopped = invoke(server, "stop");
            if (stopped instanceof CompletionStage<?> stage) {
                stage.toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
        try {
            db.close();
            db.system().terminate();
            db.system().getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private static Object invoke(Object target, String method) throws Exception {
        return target.getClass().getMethod(method).invoke(target);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static synchronized void answer(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
