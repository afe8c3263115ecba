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
            // Registers itself (and the database did too) with the actor system's coordinated shutdown, which
            // SIGTERM/SIGINT run through Pekko's JVM hook: servers unbind, then partitions close, then the system ends.
            server = PhantomServer.start(db, config);
        } catch (RuntimeException e) {
            stop(db, err);
            throw e;
        }
        String ready = "Phantom-DB ready: data dir " + dataDir + endpoints(server, config) + ".";
        if (noShell) {
            out.println(ready + " Stop with SIGTERM or Ctrl-C.");
            out.flush();
            db.system().getWhenTerminated().toCompletableFuture().get();
            return PhantomMain.EXIT_OK;
        }
        try (LineSource source = LineSource.open(System.in, out, err)) {
            source.out().println(ready + " Type SQL ending with ';', \\q to leave.");
            source.out().flush();
            SqlShell.local(db).run(source);
            stop(db, err);
            source.out().println("bye: database stopped");
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

    /** Runs the coordinated shutdown (servers, then partitions, then the actor system) and waits for it. */
    private static void stop(PhantomDb db, PrintWriter err) {
        db.system().terminate();
        try {
            db.system().getWhenTerminated().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("phantom: actor system did not stop within " + SHUTDOWN_WAIT_SECONDS + " s: " + e);
            err.flush();
        }
    }
}
