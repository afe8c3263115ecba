package io.phantomdb.cli;

import io.phantomdb.node.InvalidConfigException;
import io.phantomdb.node.NodeConfig;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code phantom} command: the process entry point of Phantom-DB.
 *
 * <pre>
 * phantom [--config FILE] [--data-dir DIR] version
 * phantom [--config FILE] [--data-dir DIR] kv put KEY VALUE | get KEY | delete KEY
 *                                             | scan [--from K] [--to K] [--reverse] [--limit N]
 *                                             | stats | compact
 * phantom [--config FILE] [--data-dir DIR] serve [--no-shell]   (the node with its pgwire and HTTP servers)
 * phantom [--config FILE] sql [-h HOST] [-p PORT] [-U USER] [--tls] [-c SQL]   (a shell on a running node)
 * </pre>
 *
 * The global options may also follow a subcommand ({@code phantom kv get k --data-dir d}). Each {@code kv}
 * command opens the engine, does one thing and closes it; {@code serve} keeps it open. Keys and values are
 * UTF-8 strings. Exit codes: {@link #EXIT_OK}, {@link #EXIT_NOT_FOUND}, {@link #EXIT_USAGE}, {@link
 * #EXIT_CONFIG}, {@link #EXIT_STORAGE}, {@link #EXIT_SQL}, {@link #EXIT_CONNECT}, {@link #EXIT_INTERNAL}.
 *
 * <p>Results go to the command line's out writer (stdout), messages and errors to its err writer, so that
 * tests can run every command through {@link #commandLine()} and {@link CommandLine#execute}.
 */
@Command(
        name = "phantom",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Phantom-DB: an actor-based SQL database (PostgreSQL protocol, HTTP, embedded).",
        subcommands = {VersionCommand.class, KvCommand.class, ServeCommand.class, SqlCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:key not found (kv get)",
            "2:invalid command line",
            "3:invalid configuration (the message names the key)",
            "4:storage error (I/O, corruption, data directory locked)",
            "5:the statement failed (sql -c; the error and its SQLSTATE are printed)",
            "6:cannot connect or authenticate (sql)",
            "70:internal error (a bug: please report the stack trace)"})
public final class PhantomMain implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_NOT_FOUND = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 3;
    public static final int EXIT_STORAGE = 4;
    public static final int EXIT_SQL = 5;
    public static final int EXIT_CONNECT = 6;
    public static final int EXIT_INTERNAL = 70;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "HOCON configuration file (default: ./conf/application.conf if it exists, else built-in defaults).")
    Path configFile;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Data directory; overrides phantom.data-dir (default: data).")
    Path dataDir;

    private NodeConfig nodeConfig;

    public static void main(String[] args) {
        LogSetup.configure(LogSetup.configFileArgument(args));
        int exitCode = commandLine().execute(args);
        System.exit(exitCode);
    }

    /** A fresh command line with Phantom-DB's error handling; callers may redirect out/err. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PhantomMain());
        commandLine.setExecutionExceptionHandler(PhantomMain::handleExecutionException);
        return commandLine;
    }

    /** Without a subcommand: print usage, and fail as any invalid command line does. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** The loaded configuration (once per command), honouring {@code --config}. */
    NodeConfig nodeConfig() {
        if (nodeConfig == null) {
            nodeConfig = NodeConfig.load(configFile);
        }
        return nodeConfig;
    }

    /** {@code --data-dir}, else {@code phantom.data-dir}. */
    Path resolvedDataDir() {
        return dataDir != null ? dataDir : nodeConfig().dataDir();
    }

    /** Opens the engine on the data directory with the configured options; the caller closes it. */
    Engine openEngine() {
        EngineOptions options = nodeConfig().engineOptions();
        Path dir = resolvedDataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir.toAbsolutePath() + ": " + e, e);
        }
        return Engine.open(RealFileSystem.INSTANCE, dir, options);
    }

    private static int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof InvalidConfigException) {
            err.println("phantom: invalid configuration: " + e.getMessage());
            err.flush();
            return EXIT_CONFIG;
        }
        if (e instanceof StorageException) {
            err.println("phantom: storage error: " + e.getMessage());
            err.flush();
            return EXIT_STORAGE;
        }
        err.println("phantom: internal error (please report):");
        e.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL;
    }
}
