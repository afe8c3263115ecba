package io.phantomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.node.StorageConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Goal: the {@code phantom} commands work end to end on a real data directory: what {@code kv put} stores,
 * {@code kv get} and {@code kv scan} return after the engine was closed and reopened; errors map to the
 * documented exit codes; the {@code serve} shell runs the same commands from stdin and closes cleanly.
 *
 * <p>Method: every command goes through {@link PhantomMain#commandLine()} and {@link CommandLine#execute}
 * in this JVM, with out/err captured, on a {@code @TempDir} data directory and the real conf/.
 */
class PhantomMainTest {

    static final Path CONFIG = Path.of(System.getProperty("basedir", ".")).resolve("conf/application.conf");

    @TempDir
    Path dataDir;

    /** Exit code and captured output of one command. */
    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    private Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", CONFIG.toString(), "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PhantomMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(new String[0]));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private Result ok(String... args) {
        Result result = run(args);
        assertEquals(PhantomMain.EXIT_OK, result.exitCode(), String.join(" ", args) + " failed: " + result.err());
        return result;
    }

    @Test
    void putThenGetReturnsTheValueAcrossEngineRestarts() {
        assertEquals("OK", ok("kv", "put", "greeting", "hello, wörld").out().strip());
        assertEquals("hello, wörld", ok("kv", "get", "greeting").out().strip());
        ok("kv", "put", "greeting", "again");
        assertEquals("again", ok("kv", "get", "greeting").out().strip());
    }

    @Test
    void getOfAMissingKeyExitsWithNotFound() {
        Result result = run("kv", "get", "absent");
        assertEquals(PhantomMain.EXIT_NOT_FOUND, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().contains("not found"), result.err());
    }

    @Test
    void deleteHidesTheKey() {
        ok("kv", "put", "k", "v");
        ok("kv", "delete", "k");
        assertEquals(PhantomMain.EXIT_NOT_FOUND, run("kv", "get", "k").exitCode());
    }

    @Test
    void scanListsKeysInOrderWithinBoundsAndLimit() {
        for (String key : List.of("b", "d", "a", "c", "e")) {
            ok("kv", "put", key, "value-" + key);
        }
        assertEquals(List.of("a\tvalue-a", "b\tvalue-b", "c\tvalue-c", "d\tvalue-d", "e\tvalue-e"), ok("kv", "scan").lines());
        assertEquals(List.of("b\tvalue-b", "c\tvalue-c"), ok("kv", "scan", "--from", "b", "--to", "d").lines());
        assertEquals(List.of("e\tvalue-e", "d\tvalue-d"), ok("kv", "scan", "--reverse", "--limit", "2").lines());
        Result limited = ok("kv", "scan", "--limit", "3");
        assertEquals(3, limited.lines().size());
        assertTrue(limited.err().contains("raise --limit"), limited.err());
        assertEquals(PhantomMain.EXIT_USAGE, run("kv", "scan", "--limit", "0").exitCode());
    }

    @Test
    void statsAndCompactReportTheEngineState() {
        // Each kv command opens and closes the engine (about 0.1 s here), so keep the count small; 20 opens
        // still leave more L0 segments than l0-compaction-trigger for compact to merge.
        for (int i = 0; i < 20; i++) {
            ok("kv", "put", String.format("key-%03d", i), "value-" + i);
        }
        Result compacted = ok("kv", "compact");
        assertTrue(compacted.out().startsWith("OK"), compacted.out());
        Result stats = ok("kv", "stats");
        assertTrue(stats.out().contains("segments-per-level: "), stats.out());
        assertTrue(stats.out().contains("last-timestamp: "), stats.out());
        assertEquals(20, ok("kv", "scan").lines().size());
    }

    @Test
    void globalOptionsMayFollowTheSubcommand() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = PhantomMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute("kv", "put", "x", "1", "--data-dir", dataDir.toString(), "--config", CONFIG.toString()));
        assertEquals("1", ok("kv", "get", "x").out().strip());
    }

    @Test
    void invalidConfigurationExitsWithConfigErrorNamingTheKey() throws Exception {
        Path conf = dataDir.resolveSibling(dataDir.getFileName() + "-bad.conf");
        Files.writeString(conf, "phantom.storage.memtable-size = 1 KiB\n");
        try {
            StringWriter err = new StringWriter();
            CommandLine commandLine = PhantomMain.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            int exitCode = commandLine.execute("--config", conf.toString(), "--data-dir", dataDir.toString(), "kv", "get", "k");
            assertEquals(PhantomMain.EXIT_CONFIG, exitCode);
            assertTrue(err.toString().contains(StorageConfig.PATH + ".memtable-size"), err.toString());
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(PhantomMain.EXIT_USAGE, run("kv", "put", "only-a-key").exitCode());
        assertEquals(PhantomMain.EXIT_USAGE, run("kv").exitCode());
        assertEquals(PhantomMain.EXIT_USAGE, run().exitCode());
        assertEquals(PhantomMain.EXIT_USAGE, run("nonsense").exitCode());
    }

    @Test
    void versionNamesTheProduct() {
        assertTrue(ok("version").out().startsWith("Phantom-DB "));
    }

    @Test
    void kvShellRunsCommandsFromStdinAndClosesTheEngine() {
        String script = String.join("\n",
                "put a 1",
                "put \"key with space\" 'value with space'",
                "get a",
                "# a comment",
                "",
                "get \"key with space\"",
                "delete a",
                "get a",
                "scan",
                "bogus",
                "stats",
                "quit",
                "put never-run 1") + "\n";
        InputStream stdin = System.in;
        Result result;
        try {
            System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            result = run("kv", "shell");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(PhantomMain.EXIT_OK, result.exitCode(), result.err());
        List<String> lines = result.lines();
        assertTrue(lines.get(0).startsWith("Phantom-DB ready: data dir "), lines.get(0));
        assertEquals(List.of("OK", "OK", "1", "value with space", "OK"), lines.subList(1, 6));
        assertTrue(result.err().contains("(not found)"), result.err());
        assertTrue(lines.contains("key with space\tvalue with space"), result.out());
        assertTrue(result.err().contains("bogus"), "unknown command reported: " + result.err());
        assertTrue(result.out().contains("segments-per-level: "), result.out());
        assertEquals("bye: engine closed", lines.get(lines.size() - 1));

        // The engine was closed cleanly (the directory is free) and the shell's writes are durable.
        assertEquals("value with space", ok("kv", "get", "key with space").out().strip());
        assertEquals(PhantomMain.EXIT_NOT_FOUND, run("kv", "get", "never-run").exitCode());
    }

    @Test
    void serveRunsSqlFromStdinAndKeepsTheDataAcrossRestarts() {
        String first = String.join("\n",
                "CREATE TABLE t (id INT PRIMARY KEY, name TEXT);",
                "INSERT INTO t VALUES (1, 'one'),",
                "  (2, 'two');",
                "SELECT * FROM t ORDER BY id;",
                "SELECT * FROM nowhere;",
                "\\q") + "\n";
        Result result = serveWithInput(first);
        assertEquals(PhantomMain.EXIT_OK, result.exitCode(), result.err());
        List<String> lines = result.lines();
        assertTrue(lines.get(0).startsWith("Phantom-DB ready: data dir "), lines.get(0));
        assertEquals(List.of("CREATE TABLE", "INSERT 0 2", "id | name", "---+-----", "1  | one", "2  | two", "(2 rows)"),
                lines.subList(1, 8));
        assertTrue(result.err().contains("ERROR:  42P01"), result.err());
        assertEquals("bye: database stopped", lines.get(lines.size() - 1));

        Result second = serveWithInput(String.join("\n",
                "BEGIN ISOLATION LEVEL REPEATABLE READ;",
                "SHOW transaction_isolation;",
                "DELETE FROM t WHERE id = 1;",
                "ROLLBACK;",
                "SELECT name FROM t WHERE id = 1;") + "\n");
        assertTrue(second.lines().containsAll(List.of("BEGIN", "repeatable read", "DELETE 1", "ROLLBACK", "one")), second.out());
    }

    /** Runs {@code serve} with stdin from {@code script}, on free cluster, pgwire and HTTP ports. */
    private Result serveWithInput(String script) {
        InputStream stdin = System.in;
        System.setProperty("pekko.remote.artery.canonical.port", "0");
        System.setProperty("phantom.pgwire.port", "0");
        System.setProperty("phantom.http.port", "0");
        com.typesafe.config.ConfigFactory.invalidateCaches();
        try {
            System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            return run("serve");
        } finally {
            System.setIn(stdin);
            System.clearProperty("pekko.remote.artery.canonical.port");
            System.clearProperty("phantom.pgwire.port");
            System.clearProperty("phantom.http.port");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void shellTokenizerHonoursQuotes() {
        assertEquals(List.of("put", "a b", "c'd", "e\"f", "g\\h"),
                Shell.tokenize("put \"a b\" \"c'd\" 'e\"f' \"g\\\\h\""));
        assertEquals(List.of("put", "k", ""), Shell.tokenize("put k \"\""));
        assertEquals(List.of(), Shell.tokenize("   "));
    }
}
