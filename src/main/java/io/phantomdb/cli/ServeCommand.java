package io.phantomdb.cli;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.PhantomDb;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom serve}: starts the database node (a one-node Pekko cluster with its partitions, data in the
 * configured directory) and runs the SQL shell on the console until {@code \q}, end of input or
 * SIGTERM/SIGINT; every way out stops the node cleanly, closing every partition's engine. The network
 * servers (PostgreSQL protocol, HTTP) of Roadmap 4 are started here too when they exist.
 */
@Command(name = "serve", description = "Starts the database (data in --data-dir) with a SQL shell on the console.")
final class ServeCommand implements Callable<Integer> {
    /** How long shutdown waits for the actor system to stop. */
    static final long SHUTDOWN_WAIT_SECONDS = 60;

    @ParentCommand
    PhantomMain main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = main.resolvedDataDir().toAbsolutePath();
        PhantomDb db = PhantomDb.openStandalone(ConfigFactory.parseMap(Map.of("phantom.data-dir", dataDir.toString()))
                .withFallback(main.nodeConfig().config()));
        LineSource source = LineSource.open(System.in, out, err);
        Thread hook = new Thread(() -> stop(db, err), "phantom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            source.out().println("Phantom-DB ready: data dir " + dataDir + ". Type SQL ending with ';', \\q to leave.");
            source.out().flush();
            new SqlShell(db).run(source);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(db, err);
                source.out().println("bye: database stopped");
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook stops the database.
            }
            source.close();
        }
        return PhantomMain.EXIT_OK;
    }

    private static synchronized void stop(PhantomDb db, PrintWriter err) {
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
