package io.phantomdb.cli;

import io.phantomdb.storage.Engine;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom serve}: opens the engine on the data directory, says it is ready, and runs the
 * interactive {@link Shell} until {@code quit}, end of input (Ctrl-D) or SIGTERM/SIGINT; every way out
 * closes the engine cleanly (a SIGKILL loses nothing acknowledged either: the WAL holds it). Roadmap 2
 * replaces the shell with the network servers.
 */
@Command(name = "serve", description = "Opens the engine and runs an interactive shell (put/get/delete/scan/stats/compact/quit).")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    PhantomMain main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = main.resolvedDataDir().toAbsolutePath();
        Engine engine = main.openEngine();
        Shell shell = new Shell(engine);
        InputStream in = System.in;
        LineSource source = LineSource.open(in, out, err);
        Thread hook = new Thread(() -> {
            err.println("phantom: shutting down, closing the engine");
            err.flush();
            shell.closeEngine();
            source.close();
        }, "phantom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            source.out().println("Phantom-DB ready: data dir " + dataDir + ", durability "
                    + main.nodeConfig().engineOptions().durability().name().toLowerCase(Locale.ROOT)
                    + ". Type help for commands, quit to leave.");
            source.out().flush();
            shell.run(source);
        } finally {
            shell.closeEngine();
            source.out().println("bye: engine closed");
            source.close();
            removeHook(hook);
        }
        return PhantomMain.EXIT_OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (the hook is running or ran): nothing to remove.
        }
    }
}
