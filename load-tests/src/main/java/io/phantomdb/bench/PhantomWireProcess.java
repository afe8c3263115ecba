package io.phantomdb.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Phantom-DB's PostgreSQL wire protocol server in a JVM of its own ({@link PhantomWireServerMain}, started with
 * this JVM's java and class path), so that it competes with PostgreSQL's server processes on equal terms: its
 * own heap, GC and JIT, and every byte crossing a loopback socket. The two JVMs talk over the child's stdin /
 * stdout, one command per line ({@link PhantomWireServerMain#PREFIX} marks the child's answers); closing stdin
 * stops it.
 */
final class PhantomWireProcess implements ServerProcess {

    /** User the benchmark connects as: the bootstrap superuser of {@code phantom.security}. */
    static final String USER = "bench";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;
    private final String settingsText;
    private final double timeoutSeconds;
    private final Thread shutdownHook;
    private final String url;

    private PhantomWireProcess(Process process, Path log, String settingsText, double timeoutSeconds, String password)
            throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.settingsText = settingsText;
        this.timeoutSeconds = timeoutSeconds;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.shutdownHook = new Thread(process::destroyForcibly, "phantom-wire-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread reader = new Thread(this::drain, "phantom-wire-stdout");
        reader.setDaemon(true);
        reader.start();
        String port = await("port");
        this.url = "jdbc:postgresql://127.0.0.1:" + Integer.parseInt(port.trim()) + "/phantom?user=" + USER
                + "&password=" + password;
    }

    /** The node's config file, as {@code phantom serve} loads it (this benchmark runs from load-tests/). */
    static final Path NODE_CONF = Path.of("..", "conf", "application.conf");

    /** Pekko thread settings the server takes from {@link #NODE_CONF}; ports and the rest stay the bench's own. */
    static final List<String> NODE_THREADING_PATHS = List.of(
            "pekko.actor.default-dispatcher", "pekko.actor.internal-dispatcher", "pekko.io.tcp");

    /**
     * The dispatcher and TCP settings of conf/application.conf, so that the server measured is tuned as
     * {@code phantom serve} runs it (not the whole file: its fixed ports would collide with other runs).
     */
    static Config nodeThreading() {
        if (!Files.isRegularFile(NODE_CONF)) {
            throw new IllegalStateException("no " + NODE_CONF.toAbsolutePath().normalize()
                    + ": run the wire benchmark from load-tests/ (run-wire-bench.sh does)");
        }
        Config node = ConfigFactory.parseFile(NODE_CONF.toFile());
        Config picked = ConfigFactory.empty();
        for (String path : NODE_THREADING_PATHS) {
            if (node.hasPath(path)) {
                picked = picked.withFallback(node.withOnlyPath(path));
            }
        }
        return picked;
    }

    /**
     * Starts the child JVM on a fresh data dir and waits until its wire server listens.
     *
     * @param jvmOptions the child's JVM flags (heap, GC)
     * @param jfr where the child records a Java Flight Recording (profile settings), or null
     * @param overrides further {@code phantom.*} / {@code pekko.*} settings (key = value, HOCON)
     */
    static PhantomWireProcess start(Path dir, long cacheBytes, List<String> jvmOptions, Path jfr,
            Map<String, String> overrides, double timeoutSeconds) throws Exception {
        Files.createDirectories(dir);
        String password = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("phantom.data-dir", dir.resolve("data").toString());
        conf.put("phantom.storage.durability", "commit");
        conf.put("phantom.storage.block-cache-size", cacheBytes);
        conf.put("phantom.pgwire.port", 0);
        conf.put("phantom.security.admin-user", USER);
        conf.put("phantom.security.admin-password", password);
        conf.put("pekko.actor.provider", "cluster");
        conf.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
        conf.put("pekko.remote.artery.canonical.port", 0);
        conf.put("pekko.loglevel", "WARNING");
        conf.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
        conf.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
        // One merged document: a rendered root object followed by "k = v" lines is not valid HOCON.
        StringBuilder overrideText = new StringBuilder();
        overrides.forEach((k, v) -> overrideText.append(k).append(" = ").append(v).append('\n'));
        Config merged = ConfigFactory.parseString(overrideText.toString())
                .withFallback(ConfigFactory.parseMap(conf)).withFallback(nodeThreading());
        String hocon = merged.root().render(ConfigRenderOptions.concise().setFormatted(true)) + '\n';
        Path confFile = dir.resolve("phantom-wire.conf");
        Files.writeString(confFile, hocon, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PhantomWireServerMain.class.getName(),
                confFile.toString()));
        Path log = dir.resolve("phantom-server.log");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String text = "`PhantomDb.openStandalone` + `PgWireServer.start` in a child JVM (`" + String.join(" ", jvmOptions)
                + (jfr != null ? " + JFR" : "") + "`), pgwire on a free port of 127.0.0.1; `phantom.storage.durability"
                + " = commit` (every autocommit statement's WAL record fsynced before it returns, group commit per "
                + "partition engine); `block-cache-size` " + (cacheBytes >> 20) + " MiB per partition engine; the table "
                + "at the default partition count; bootstrap superuser from `phantom.security.admin-user` / "
                + "`admin-password`" + "; Pekko threading from conf/application.conf (" + nodeThreading().root()
                .render(ConfigRenderOptions.concise()) + ")" + (overrides.isEmpty() ? "" : "; overrides " + overrides)
                + "; every other "
                + "`phantom.*` setting at its default (conf/phantom.conf)";
        try {
            return new PhantomWireProcess(p, log, text, timeoutSeconds, password);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Answers go to the queue; anything else the child prints goes to its log file. */
    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(PhantomWireServerMain.PREFIX)) {
                    answers.add(line.substring(PhantomWireServerMain.PREFIX.length()));
                } else {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            // the child is gone; await() reports it
        }
    }

    /** Waits for the child's answer {@code <kind> <text>}; "error" answers and an exited child throw. */
    private String await(String kind) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (System.nanoTime() < deadline) {
            String line = answers.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive() && answers.isEmpty()) {
                    throw new IOException("Phantom's server exited with " + process.exitValue() + ": " + logTail());
                }
                continue;
            }
            if (line.startsWith("error ")) {
                throw new IOException("Phantom's server: " + line.substring(6) + " " + logTail());
            }
            if (line.startsWith(kind + " ") || line.equals(kind)) {
                return line.substring(Math.min(line.length(), kind.length() + 1));
            }
        }
        throw new IOException("Phantom's server did not answer '" + kind + "' within " + timeoutSeconds + " s: "
                + logTail());
    }

    private String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return "(log " + log + ": ..." + text.substring(Math.max(0, text.length() - 800)) + ")";
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private synchronized String command(String name) throws IOException, InterruptedException {
        commands.write(name + "\n");
        commands.flush();
        return await(name);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String settings(Connection admin) {
        return settingsText;
    }

    /** Flush + compact of every partition engine in the child, as SqlBench settles the embedded Phantom. */
    @Override
    public void settle(Connection admin) throws Exception {
        command("settle");
    }

    /** The child's engine statistics ({@code walRecords}, {@code walSyncs}, cache hits) and its CPU time. */
    @Override
    public Map<String, Long> counters(Connection admin) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String kv : command("stats").trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // statistics are a note; a failure leaves them out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long cpu = ProcCpu.treeNanos(process.pid());
        if (cpu >= 0) {
            m.put("serverCpuNanos", cpu);
        }
        return m;
    }

    /** Closes the child's stdin (it stops its server and database and exits); kills it if it does not. */
    @Override
    public void close() throws Exception {
        try {
            commands.close();
            if (!process.waitFor((long) timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                throw new IOException("Phantom's server did not stop within " + timeoutSeconds + " s; killed");
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
