package io.phantomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.server.PhantomServer;
import io.phantomdb.testkit.TestNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Goal: {@code phantom sql} is a usable client of a running node — {@code -c} prints a query's table or a
 * command's tag and exits 0, a failing statement prints its SQLSTATE and exits 5, a wrong password exits 6, and the
 * interactive shell keeps one session so a transaction spans statements.
 *
 * <p>Method: one node with a known admin password and both servers on free loopback ports
 * ({@link PhantomServer}); the command runs in-process through {@link PhantomMain#commandLine()} with its output
 * captured and, for the shell, stdin replaced by a script.
 */
class SqlCommandTest {
    private static final String PASSWORD = "s3cret-admin";

    @TempDir
    static Path dir;

    private static TestNode node;
    private static PhantomServer server;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir.resolve("data"), Map.of("phantom.security.admin-password", PASSWORD));
        server = PhantomServer.start(node.db(), ConfigFactory.parseMap(Map.of(
                "phantom.pgwire.port", 0, "phantom.http.port", 0)));
        passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        node.db().execute("CREATE TABLE pets (id INT PRIMARY KEY, name TEXT)").toCompletableFuture().join();
        node.db().execute("INSERT INTO pets VALUES (1, 'cat'), (2, 'dog')").toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
        node.close();
    }

    record Result(int exitCode, String out, String err) {}

    private static Result sql(Path password, String... args) {
        List<String> all = new ArrayList<>(List.of("sql", "-h", "127.0.0.1", "-p", String.valueOf(server.httpPort().orElseThrow()),
                "-U", "phantom", "--password-file", password.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PhantomMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(new String[0]));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void dashCPrintsAQueryAsATable() {
        Result r = sql(passwordFile, "-c", "SELECT id, name FROM pets ORDER BY id;");
        assertEquals(PhantomMain.EXIT_OK, r.exitCode(), r.err());
        assertEquals(List.of("id | name", "---+-----", "1  | cat", "2  | dog", "(2 rows)"), r.out().lines().toList());
    }

    @Test
    void dashCPrintsACommandTag() {
        Result r = sql(passwordFile, "-c", "UPDATE pets SET name = name WHERE id > 0");
        assertEquals(PhantomMain.EXIT_OK, r.exitCode(), r.err());
        assertEquals("UPDATE 2", r.out().strip());
    }

    @Test
    void aFailingStatementPrintsItsSqlstateAndExits5() {
        Result r = sql(passwordFile, "-c", "SELECT * FROM nowhere");
        assertEquals(PhantomMain.EXIT_SQL, r.exitCode(), r.out());
        assertTrue(r.err().contains("ERROR:  42P01"), r.err());
    }

    @Test
    void aWrongPasswordExits6() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-the-password\n");
        Result r = sql(wrong, "-c", "SELECT 1");
        assertEquals(PhantomMain.EXIT_CONNECT, r.exitCode(), r.out());
        assertTrue(r.err().contains("cannot connect"), r.err());
    }

    @Test
    void theShellKeepsOneSessionSoTransactionsSpanStatements() {
        String script = String.join("\n",
                "BEGIN;",
                "INSERT INTO pets VALUES (3, 'eel');",
                "SELECT count(*) AS n FROM pets;",
                "ROLLBACK;",
                "SELECT count(*) AS n FROM pets;",
                "\\q") + "\n";
        InputStream stdin = System.in;
        Result r;
        try {
            System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            r = sql(passwordFile);
        } finally {
            System.setIn(stdin);
        }
        assertEquals(PhantomMain.EXIT_OK, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Connected to http://127.0.0.1:"), lines.get(0));
        assertEquals(List.of("BEGIN", "INSERT 0 1", "n", "-", "3", "(1 row)", "ROLLBACK", "n", "-", "2", "(1 row)"),
                lines.subList(1, 12));
    }
}
