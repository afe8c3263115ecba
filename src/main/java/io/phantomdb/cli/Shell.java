package io.phantomdb.cli;

import io.phantomdb.storage.Engine;
import io.phantomdb.storage.StorageException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code serve} shell: reads lines, runs each as one of {@link KvCommands} (plus {@code help} and
 * {@code quit}) against the engine it owns, until {@code quit}, end of input or {@link #closeEngine}.
 *
 * <p>Ownership: the shell owns the engine from construction and closes it exactly once, from whichever
 * comes first - the end of {@link #run} or the shutdown hook (SIGTERM, SIGINT without a terminal). Commands
 * and the close take {@link #engineLock}, so a signal never closes the engine under a running command
 * (it waits up to {@link #CLOSE_WAIT_SECONDS} for it).
 */
final class Shell {

    /** How long a close waits for a running command before closing anyway (the process is exiting). */
    static final long CLOSE_WAIT_SECONDS = 30;

    private final Engine engine;
    private final ReentrantLock engineLock = new ReentrantLock();
    private boolean engineClosed;
    private boolean quitRequested;

    Shell(Engine engine) {
        this.engine = engine;
    }

    /** Runs commands until quit or end of input; does not close the engine (the caller does). */
    void run(LineSource source) {
        PrintWriter out = source.out();
        while (!quitRequested) {
            String line = source.readLine();
            if (line == null) {
                break;
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words;
            try {
                words = tokenize(line);
            } catch (IllegalArgumentException e) {
                source.err().println("error: " + e.getMessage());
                source.err().flush();
                continue;
            }
            CommandLine commandLine = new CommandLine(new Commands(this));
            commandLine.setOut(out);
            commandLine.setErr(source.err());
            commandLine.setExecutionExceptionHandler(Shell::handleExecutionException);
            commandLine.execute(words.toArray(new String[0]));
            out.flush();
        }
    }

    /** Closes the engine once; later calls do nothing. Safe from any thread, including a shutdown hook. */
    void closeEngine() {
        boolean locked = false;
        try {
            locked = engineLock.tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (this) {
                if (engineClosed) {
                    return;
                }
                engineClosed = true;
            }
            engine.close();
        } finally {
            if (locked) {
                engineLock.unlock();
            }
        }
    }

    private int withEngine(EngineAccess.EngineAction action) {
        engineLock.lock();
        try {
            synchronized (this) {
                if (engineClosed) {
                    throw new StorageException("the engine is closed (shutting down)");
                }
            }
            return action.run(engine);
        } finally {
            engineLock.unlock();
        }
    }

    /** A command failed: report it and keep the shell running (unlike the one-shot CLI, nothing exits). */
    private static int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof StorageException) {
            err.println("storage error: " + e.getMessage());
            err.flush();
            return PhantomMain.EXIT_STORAGE;
        }
        err.println("internal error (please report):");
        e.printStackTrace(err);
        err.flush();
        return PhantomMain.EXIT_INTERNAL;
    }

    /**
     * Splits a line into words at whitespace. {@code "..."} groups words (with {@code \"} and {@code \\}
     * escapes inside), {@code '...'} groups them literally.
     */
    static List<String> tokenize(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '"' && c == '\\' && i + 1 < line.length()
                    && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(++i));
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote != 0) {
                word.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The shell's command set: the key-value commands against the shell's engine, help and quit. */
    @Command(
            name = "",
            synopsisHeading = "",
            customSynopsis = "Shell commands (quote words that contain spaces: put k \"a b\"):",
            commandListHeading = "",
            subcommands = {
                KvCommands.Put.class,
                KvCommands.Get.class,
                KvCommands.Delete.class,
                KvCommands.Scan.class,
                KvCommands.Stats.class,
                KvCommands.Compact.class,
                Quit.class,
                HelpCommand.class})
    static final class Commands implements EngineAccess, Runnable {
        private final Shell shell;

        Commands(Shell shell) {
            this.shell = shell;
        }

        @Override
        public int withEngine(EngineAction action) {
            return shell.withEngine(action);
        }

        @Override
        public void run() {
            // A line with no command word cannot happen (blank lines are skipped before parsing).
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Closes the engine and leaves the shell (so does Ctrl-D).")
    static final class Quit implements Runnable {
        @ParentCommand
        Commands commands;

        @Override
        public void run() {
            commands.shell.quitRequested = true;
        }
    }
}
