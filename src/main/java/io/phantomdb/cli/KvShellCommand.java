package io.phantomdb.cli;

import io.phantomdb.storage.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom kv shell}: opens a bare storage engine on the data directory (not a SQL node's data), says
 * it is ready, and runs the interactive key-value {@link Shell} until {@code quit}, end of input (Ctrl-D) or
 * SIGTERM/SIGINT; every way out closes the engine cleanly (a SIGKILL loses nothing acknowledged either: the
 * WAL holds it). A tool for the storage engine on its own; {@code phantom serve} runs the database.
 */
@Command(name = "shell", description = "Opens a bare storage engine on the data directory and runs an interactive key-value shell (put/get/delete/scan/stats/compact/quit).")
final class KvShellCommand implements Callable<Integer> {

    @ParentCommand
    KvCommand kv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PhantomMain main = kv.main;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = main.resolvedDataDir().toAbsolutePath();
        Engine engine = main.openEngine();
        Shell shell = new Shell(engine);
        LineSource source;
        try {
            source = LineSource.open(System.in, out, err);
        } catch (RuntimeException e) {
            shell.closeEngine();
            throw e;
        }
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            err.println("phantom: shutting down, closing the engine");
            err.flush();
            shell.closeEngine();
            err.println("phantom: engine closed");
            err.flush();
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
            if (!signalled.get()) { // else the hook closes everything, and the JVM is exiting
                shell.closeEngine();
                source.out().println("bye: engine closed");
                source.close();
                removeHook(hook);
            }
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
