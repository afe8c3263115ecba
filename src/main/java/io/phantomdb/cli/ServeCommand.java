package io.phantomdb.cli;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.Config;
import io.phantomdb.PhantomDb;
import io.phantomdb.server.PhantomServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom serve}: starts the database node (a one-node Pekko cluster with its partitions, data in the
 * configured directory) and its network servers (PostgreSQL wire protocol and HTTP, {@code phantom.server}), then
 * runs the SQL shell on the console until {@code \q} or end of input — or, with {@code --no-shell}, serves until
 * SIGTERM/SIGINT. Every way out stops the servers and the node cleanly, closing every partition's engine.
 */
@Command(name = "serve", description = "Starts the database (data in --data-dir) with its PostgreSQL protocol and HTTP "
        + "servers, and a SQL shell on the console.")
final class ServeCommand implements Callable<Integer> {
    /** How long shutdown waits for the actor system to stop. */
    static final long SHUTDOWN_WAIT_SECONDS = 60;

    @ParentCommand
    PhantomMain main;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-shell", description = "Serve without a console shell until SIGTERM/SIGINT (for services and scripts).")
    boolean noShell;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = main.resolvedDataDir().toAbsolutePath();
        Config config = ConfigFactory.parseMap(Map.of("phantom.data-dir", dataDir.toString()))
                .withFallback(main.nodeConfig().config());
        PhantomDb db = PhantomDb.openStandalone(config);
        PhantomServer server;
        try {
            server = PhantomServer.start(db, config);
        } catch (RuntimeException e) {
            stop(null, db, err);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop(server, db, err);
            stopped.countDown();
        }, "phantom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String ready = "Phantom-DB ready: data dir " + dataDir + endpoints(server, config) + ".";
        if (noShell) {
            out.println(ready + " Stop with SIGTERM or Ctrl-C.");
            out.flush();
            stopped.await();
            return PhantomMain.EXIT_OK;
        }
        LineSource source = LineSource.open(System.in, out, err);
        try {
            source.out().println(ready + " Type SQL ending with ';', \\q to leave.");
            source.out().flush();
            SqlShell.local(db).run(source);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(server, db, err);
                source.out().println("bye: database stopped");
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook stops the database.
            }
            source.close();
        }
        return PhantomMain.EXIT_OK;
    }

    /** "; PostgreSQL protocol on host:port; HTTP on host:port" for the servers that run. */
    private static String endpoints(PhantomServer server, Config config) {
        List<String> parts = new ArrayList<>();
        server.pgwirePort().ifPresent(p -> parts.add("PostgreSQL protocol on "
                + io.phantomdb.server.pgwire.PgWireSettings.fromConfig(config).host() + ":" + p));
        server.httpPort().ifPresent(p -> parts.add("HTTP on "
                + io.phantomdb.server.http.HttpSettings.fromConfig(config).host() + ":" + p));
        return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
    }

    private static synchronized void stop(PhantomServer server, PhantomDb db, PrintWriter err) {
        if (server != null) {
            try {
                server.stop().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                err.println("phantom: servers did not stop cleanly: " + e);
                err.flush();
            }
        }
        db.close();
        db.system().terminate();
        try {
            db.system().getWhenTerminated().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("phantom: actor system did not stop within " + SHUTDOWN_WAIT_SECONDS + " s: " + e);
            err.flush();
        }
    }
}
