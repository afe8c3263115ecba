package io.phantomdb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What every benchmark main ({@link StorageBench}, {@link SqlBench}) shares about the run itself: its data
 * root, the progress log on stderr, load-average samples, the report header (date, git, jar, machine, disk,
 * load, JVM) and the report file under {@code results/}.
 */
final class BenchRun {

    private BenchRun() {}

    /** Parses the command line, or prints the usage (and the error) and exits: 0 after --help, 2 on a bad line. */
    static <C> C parseOrExit(Function<String[], C> parse, String usage, String[] args) {
        try {
            return parse.apply(args);
        } catch (RunOptions.UsageException | NumberFormatException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.println(usage);
            System.exit(e.getMessage() == null ? 0 : 2);
            throw e;
        }
    }

    /** A fresh directory under {@code dir} (default java.io.tmpdir), deleted at exit unless {@code keep}. */
    static Path dataRoot(Path dir, boolean keep, String prefix) throws IOException {
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        Path root = Files.createTempDirectory(base, prefix);
        if (!keep) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
        }
        log("data under " + root + (keep ? " (kept)" : " (deleted at exit)"));
        return root;
    }

    /** Writes the report to {@code <dir>/<prefix>-<yyyy-MM-dd-HHmm>[-quick].md}; dir defaults to load-tests/results. */
    static Path write(Path resultsDir, String prefix, boolean quick, String report) throws IOException {
        Path dir = resultsDir;
        if (dir == null) {
            dir = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "results") : Path.of("results");
        }
        Files.createDirectories(dir);
        String stamp = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        Path file = dir.resolve(prefix + "-" + stamp + (quick ? "-quick" : "") + ".md");
        Files.writeString(file, report + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The report header as markdown list items.
     *
     * @param run one line describing the run (sizes, phases, repeats and how engines are interleaved)
     * @param command the main class's simple name and its arguments
     * @param jarOf a class of the phantom-db jar, whose build time is shown
     */
    static void header(StringBuilder b, String run, String command, Class<?> jarOf, Path dataDir, List<Double> loads) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
        int cpus = Runtime.getRuntime().availableProcessors();
        b.append("- Date: ").append(now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz"))).append('\n');
        b.append("- Run: ").append(run).append('\n');
        b.append("- Command line: `").append(command).append("`\n");
        b.append("- Git: ").append(git()).append('\n');
        b.append("- Phantom jar: ").append(jar(jarOf)).append('\n');
        b.append("- Machine: ").append(cpus).append(" CPUs (nproc), ").append(cpuModel()).append(", ").append(memory())
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append('\n');
        b.append("- Disk: ").append(disk(dataDir)).append('\n');
        if (!loads.isEmpty()) {
            double[] la = loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            b.append(String.format(Locale.ROOT, "- Machine load (1-min load average sampled before each phase): "
                    + "median %.1f, min %.1f, max %.1f on %d CPUs%s%n", Results.median(loads), la[0],
                    la[la.length - 1], cpus, la[la.length - 1] > cpus
                            ? " — other jobs shared the machine, expect noise" : ""));
        }
        b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vm.vendor"))
                .append("), args `").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
                .append("`, max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
    }

    /** The 1-minute load average: other work on this 2-core machine is the main source of noise. */
    static void sampleLoadAverage(List<Double> into) {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            into.add(Double.parseDouble(f[0]));
        } catch (IOException | RuntimeException ignored) {
            // not on Linux
        }
    }

    static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }

    static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Bytes of all files under {@code dir} (on-disk footprint of an engine's data), -1 if unreadable. */
    static long sizeOf(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String git() {
        String commit = run("git", "rev-parse", "--short=12", "HEAD");
        if (commit == null || commit.isBlank() || commit.contains("fatal")) {
            commit = "no commit yet";
        }
        String status = run("git", "status", "--porcelain");
        boolean dirty = status != null && !status.isBlank();
        return commit.trim() + (dirty ? " (working tree has uncommitted changes; the jar is built from it)" : "");
    }

    private static String jar(Class<?> of) {
        try {
            Path jar = Path.of(of.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getFileName() + ", built " + ZonedDateTime.ofInstant(
                    Instant.ofEpochMilli(Files.getLastModifiedTime(jar).toMillis()), ZoneId.systemDefault())
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return "RAM unknown";
    }

    private static String disk(Path dataDir) {
        try {
            FileStore store = Files.getFileStore(dataDir);
            String device = store.name();
            String s = device + " (" + store.type() + ", " + (store.getTotalSpace() >> 30) + " GiB";
            String dev = device.startsWith("/dev/") ? device.substring(5) : device;
            Path rotational = Path.of("/sys/block", dev, "queue", "rotational");
            if (Files.exists(rotational)) {
                s += ", rotational=" + Files.readString(rotational).trim();
            }
            if (dev.startsWith("vd")) {
                s += ", virtio block device";
            }
            return s + "), data under " + dataDir.getParent();
        } catch (IOException e) {
            return "unknown (" + dataDir + ")";
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
