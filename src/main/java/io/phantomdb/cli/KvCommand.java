package io.phantomdb.cli;

import io.phantomdb.storage.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom kv ...}: one key-value operation against the data directory. Opens the engine (which
 * replays the WAL), runs the operation, closes the engine (which waits for its background work), so a
 * {@code kv} command cannot run while {@code serve} holds the same directory.
 */
@Command(
        name = "kv",
        description = "One key-value operation on the data directory (opens and closes the engine).",
        subcommands = {
            KvCommands.Put.class,
            KvCommands.Get.class,
            KvCommands.Delete.class,
            KvCommands.Scan.class,
            KvCommands.Stats.class,
            KvCommands.Compact.class,
            KvShellCommand.class})
final class KvCommand implements EngineAccess, Callable<Integer> {

    @ParentCommand
    PhantomMain main;

    @Spec
    CommandSpec spec;

    @Override
    public int withEngine(EngineAction action) {
        try (Engine engine = main.openEngine()) {
            return action.run(engine);
        }
    }

    /** Without a subcommand: print usage, and fail as any invalid command line does. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return PhantomMain.EXIT_USAGE;
    }
}
