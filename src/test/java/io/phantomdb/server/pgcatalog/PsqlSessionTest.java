package io.phantomdb.server.pgcatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.server.pgwire.PgWireServer;
import io.phantomdb.server.pgwire.PgWireSettings;
import io.phantomdb.testkit.TestNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * Goal: a real psql (Debian's postgresql-client) can run a scripted session against Phantom-DB: DDL, DML, a
 * transaction, the describe commands \d, \dt, \d t, \l, \du, settings, and an error reported with its SQLSTATE.
 * Method: a TestNode with the pgwire server on a free loopback port; /usr/bin/psql runs a script file with
 * ON_ERROR_STOP (so any unexpected error fails the run) and a bounded wait; stdout and stderr are asserted.
 * psql missing is a failure (CI installs postgresql-client), not a skip.
 */
class PsqlSessionTest {
    private static final String PSQL = "/usr/bin/psql";
    private static final long PSQL_SECONDS = 60;
    private static final String USER = "alice";
    private static final String PASSWORD = "pw";

    @TempDir
    static Path dir;
    static TestNode node;
    static PgWireServer server;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir.resolve("node"));
        node.db().execute("CREATE USER " + USER + " WITH SUPERUSER PASSWORD '" + PASSWORD + "'")
                .toCompletableFuture().get(PSQL_SECONDS, TimeUnit.SECONDS);
        server = PgWireServer.start(node.db(), PgWireSettings.defaults().withPort(0)).toCompletableFuture()
                .get(PSQL_SECONDS, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.stop().toCompletableFuture().get(PSQL_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            node.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run psql(String script) throws Exception {
        if (!new File(PSQL).canExecute()) {
            fail(PSQL + " not found: install Debian's postgresql-client (.ci/run does) to run the psql session test");
        }
        Path file = dir.resolve("script-" + System.nanoTime() + ".sql");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder(PSQL, "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                String.valueOf(server.port()), "-U", USER, "-d", "phantom", "-f", file.toString());
        pb.environment().put("PGPASSWORD", PASSWORD);
        pb.environment().put("PGCLIENTENCODING", "UTF8");
        pb.environment().put("PGSSLMODE", "disable");
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("PAGER", "cat");
        pb.redirectOutput(dir.resolve(file.getFileName() + ".out").toFile());
        pb.redirectError(dir.resolve(file.getFileName() + ".err").toFile());
        Process p = pb.start();
        if (!p.waitFor(PSQL_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("psql did not finish within " + PSQL_SECONDS + " s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve(file.getFileName() + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(file.getFileName() + ".err"), StandardCharsets.UTF_8));
    }

    private static void assertFind(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "no match for " + regex + " in:\n" + text);
    }

    @Test
    void scriptedSessionWithDescribeCommands() throws Exception {
        String script = String.join("\n", List.of(
                "\\set VERBOSITY verbose",
                "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, price NUMERIC(10,2), seen DATE);",
                "CREATE INDEX t_name_idx ON t (name);",
                "INSERT INTO t VALUES (1, 'one', 1.50, DATE '2024-01-02'), (2, 'two', 2.25, NULL);",
                "SELECT id, name, price FROM t ORDER BY id;",
                "BEGIN;",
                "INSERT INTO t VALUES (3, 'three', 3.00, NULL);",
                "COMMIT;",
                "SELECT count(*) AS n FROM t;",
                "\\d", "\\dt", "\\d t", "\\l", "\\du",
                "SET application_name = 'psql-e2e';",
                "SHOW application_name;",
                "\\set ON_ERROR_STOP 0",
                "SELECT * FROM no_such_table;",
                "\\set ON_ERROR_STOP 1",
                "SELECT 'after error' AS tail;", ""));
        Run run = psql(script);
        assertEquals(0, run.exit(), "psql failed:\n" + run.out() + "\n" + run.err());
        String out = run.out();
        assertFind("^\\s+1 \\| one\\s+\\|\\s+1\\.50$", out);
        assertFind("^\\s+3$", out);
        assertFind("^\\s*public \\| t\\s+\\| table \\| alice", out);
        assertFind("Table \"public\\.t\"", out);
        assertFind("^\\s*id\\s+\\| integer\\s+\\|\\s+\\| not null \\|", out);
        assertFind("^\\s*name\\s+\\| character varying\\(20\\)\\s+\\|\\s+\\| not null \\|", out);
        assertFind("^\\s*price\\s+\\| numeric\\(10,2\\)\\s+\\|", out);
        assertFind("^\\s*seen\\s+\\| date\\s+\\|", out);
        assertFind("\"t_pkey\" PRIMARY KEY, btree \\(id\\)", out);
        assertFind("\"t_name_idx\" btree \\(name\\)", out);
        assertFind("^\\s*phantom\\s+\\| \\w+\\s+\\| UTF8", out);
        assertFind("^\\s*alice\\s+\\| Superuser", out);
        assertFind("^\\s*psql-e2e$", out);
        assertFind("after error", out);
        assertFind("ERROR:\\s+42P01", run.err());
    }

    @Test
    void unknownRelationAndUnsupportedCatalogQueriesAreClearErrors() throws Exception {
        Run missing = psql("\\d no_such_relation\n");
        assertTrue(missing.err().contains("Did not find any relation named \"no_such_relation\""), missing.err());
        Run unsupported = psql("\\set VERBOSITY verbose\nSELECT * FROM pg_catalog.pg_stat_activity;\n");
        assertTrue(unsupported.exit() != 0, unsupported.out());
        assertFind("ERROR:\\s+0A000: catalog query not supported", unsupported.err());
    }
}
