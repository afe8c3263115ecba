package io.phantomdb.cli;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.client.ClientSession;
import io.phantomdb.client.ClientSettings;
import io.phantomdb.client.PhantomClient;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.server.http.HttpSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code phantom sql}: a SQL shell on a running node, over its HTTP interface with the reactive client
 * (docs/client.md). One HTTP session for the whole shell, so {@code BEGIN ... COMMIT} spans statements; {@code -c}
 * runs one statement and exits (0 when it succeeded, {@link PhantomMain#EXIT_SQL} when it failed). Line editing and
 * history ({@code ~/.phantom_history}) come from JLine when there is a console. The password comes from {@code
 * --password-file}, {@code PHANTOM_PASSWORD}, else is asked on the console (never a command-line argument: it would
 * show in {@code ps}).
 */
@Command(name = "sql", description = "Connects to a running Phantom-DB over HTTP: an interactive SQL shell, or -c for one statement.")
final class SqlCommand implements Callable<Integer> {
    /** Environment variable holding the password (psql's PGPASSWORD). */
    static final String PASSWORD_ENV = "PHANTOM_PASSWORD";
    /** How long the shell waits for the session to open and close. */
    static final long CONNECT_WAIT_SECONDS = 30;

    @ParentCommand
    PhantomMain main;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--host"}, description = "Server host (default: phantom.http.host).")
    String host;

    @Option(names = {"-p", "--port"}, description = "HTTP port (default: phantom.http.port).")
    Integer port;

    @Option(names = {"-U", "--user"}, defaultValue = "phantom", description = "Role to connect as (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--tls", description = "Use HTTPS.")
    boolean tls;

    @Option(names = "--trust-store", paramLabel = "FILE", description = "PKCS12 trust store for HTTPS (default: the JVM's).")
    Path trustStore;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line of FILE (instead of "
            + PASSWORD_ENV + " or the console).")
    Path passwordFile;

    @Option(names = {"-c", "--command"}, paramLabel = "SQL", description = "Run one statement, print its result and exit.")
    String command;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpSettings http = HttpSettings.fromConfig(main.nodeConfig().config());
        String uri = (tls ? "https://" : "http://") + (host != null ? host : http.host()) + ":" + (port != null ? port : http.port());
        String password = password();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "phantom-sql", ConfigFactory.parseMap(Map.of(
                "pekko.loglevel", "ERROR", "pekko.stdout-loglevel", "OFF", "pekko.actor.provider", "local")));
        try {
            ClientSettings settings = ClientSettings.of(uri, user, password);
            if (trustStore != null) {
                settings = settings.withTrustStore(trustStore, "");
            }
            PhantomClient client = PhantomClient.connect(system, settings);
            ClientSession session;
            try {
                session = client.session().toCompletableFuture().get(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable cause = PhantomSqlException.unwrap(e);
                err.println("phantom: cannot connect to " + uri + " as " + user + ": " + cause.getMessage());
                err.flush();
                return PhantomMain.EXIT_CONNECT;
            }
            try {
                SqlShell shell = new SqlShell((sql, maxRows) -> SqlShell.await(session.run(sql, maxRows)));
                if (command != null) {
                    return shell.runStatement(command.strip().replaceAll(";\\s*$", ""), out, err) ? PhantomMain.EXIT_OK : PhantomMain.EXIT_SQL;
                }
                try (LineSource source = LineSource.open(System.in, out, err)) {
                    source.out().println("Connected to " + uri + " as " + user + ". Type SQL ending with ';', \\q to leave.");
                    source.out().flush();
                    shell.run(source);
                }
                return PhantomMain.EXIT_OK;
            } finally {
                try {
                    session.closeAsync().toCompletableFuture().get(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // The server closes idle sessions itself (phantom.http.session-idle-timeout).
                }
            }
        } finally {
            system.terminate();
        }
    }

    /** --password-file, else PHANTOM_PASSWORD, else asked on the console, else none (trust authentication). */
    private String password() {
        if (passwordFile != null) {
            try {
                return java.nio.file.Files.readAllLines(passwordFile).stream().findFirst().orElse("");
            } catch (java.io.IOException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "cannot read --password-file " + passwordFile + ": " + e.getMessage());
            }
        }
        String fromEnv = System.getenv(PASSWORD_ENV);
        if (fromEnv != null) {
            return fromEnv;
        }
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Password: ");
            return typed == null ? "" : new String(typed);
        }
        return "";
    }
}
