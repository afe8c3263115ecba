package io.phantomdb.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for one repeat: {@code initdb} into a data dir, {@code pg_ctl start} on a free
 * port of 127.0.0.1 (its Unix socket in the data dir, so nothing outside it is touched), {@code pg_ctl stop}
 * at close (and from a shutdown hook if the JVM exits first). Every server setting stays at PostgreSQL's
 * default (fsync on, synchronous_commit on, full_page_writes on) but the addresses, max_connections and the
 * caller's {@code settings}.
 * PostgreSQL refuses to run as root; when this process is root, initdb and the server run as
 * {@code --pg-os-user} through {@code runuser}, and the data dir is handed to that user.
 */
final class PostgresServer implements AutoCloseable {

    /** How long initdb, start and stop may take; a busy 2-core machine needs tens of seconds at worst. */
    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    private final Path bin;
    private final Path dataDir;
    private final String osUser;
    private final int port;
    private final Thread shutdownHook;

    private PostgresServer(Path bin, Path dataDir, String osUser, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.osUser = osUser;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-stop");
    }

    /**
     * initdb + start in {@code dir} (created if needed).
     *
     * @param binDir PostgreSQL's bin dir, or null to look for it ({@link #findBin})
     * @param osUser the user PostgreSQL runs as when this process is root
     * @param maxConnections the server's max_connections (benchmark threads + a few)
     * @param settings further postgresql.conf settings (name -> value as written in the file)
     */
    static PostgresServer start(Path binDir, Path dir, String osUser, int maxConnections, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path bin = binDir != null ? binDir : findBin();
        if (bin == null || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new IOException("PostgreSQL is not installed (no pg_ctl on PATH, under /usr/lib/postgresql/*/bin "
                    + "or in --pg-bin)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = dir.resolve("pgdata");
        Files.createDirectories(data);
        if (root) {
            // The server's user must reach the data dir: let it traverse (not list) this dir and the run's data
            // root above it, the two levels this run created with owner-only permissions; higher dirs (the
            // temp dir) are traversable already.
            for (Path p : List.of(dir, dir.toAbsolutePath().getParent())) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
            run(List.of("chown", "-R", osUser, data.toString()));
        }
        PostgresServer server = new PostgresServer(bin, data, root ? osUser : null, freePort());
        server.initdb(maxConnections, settings);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.pgCtl("start", "-w", "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "-l",
                data.resolve("server.log").toString());
        return server;
    }

    /** pgjdbc URL of the {@code postgres} database as the {@code postgres} superuser (trust authentication). */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    Path bin() {
        return bin;
    }

    /** The postmaster's process id (first line of {@code postmaster.pid}); its children are the backends. */
    long pid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            pgCtl("stop", "-w", "-m", "fast", "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private void stopQuietly() {
        try {
            pgCtl("stop", "-w", "-m", "immediate", "-t", "30");
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // best effort at JVM exit
        }
    }

    private void initdb(int maxConnections, Map<String, String> settings) throws IOException, InterruptedException {
        run(command(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
        // Appended settings win over initdb's; the rest stays at PostgreSQL's defaults.
        StringBuilder conf = new StringBuilder("\n# phantom load-tests: loopback only, socket in the data dir\n")
                .append("listen_addresses = '127.0.0.1'\n")
                .append("port = ").append(port).append('\n')
                .append("unix_socket_directories = '").append(dataDir).append("'\n")
                .append("max_connections = ").append(maxConnections).append('\n');
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private void pgCtl(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
        c.addAll(List.of(args));
        run(command(c.toArray(String[]::new)));
    }

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>();
        if (osUser != null) {
            c.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        c.addAll(List.of(args));
        return c;
    }

    /** Runs a command to completion; its output goes into the exception when it fails. */
    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                    + text.substring(Math.max(0, text.length() - 600)));
        }
    }

    /** The dir of {@code pg_ctl} on PATH, else the newest /usr/lib/postgresql/N/bin, else null. */
    static Path findBin() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path pgCtl = Path.of(d.isEmpty() ? "." : d, "pg_ctl");
            if (Files.isExecutable(pgCtl)) {
                return pgCtl.toRealPath().getParent();
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::version)).orElse(null);
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
