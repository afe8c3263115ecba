package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.key.InternalKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: no acknowledged write is lost when the process dies by SIGKILL at an arbitrary moment - in the
 * middle of group commits, memtable flushes, compactions or manifest installs - and recovery of an already
 * recovered directory is as safe as the first (H2's TestKillProcessWhileWriting, done with real processes).
 *
 * <p>Method, per round: start {@link KillNineWriter} in a child JVM on the same data directory (every round
 * reuses it), let it write from several threads with {@code durability = commit}, kill it with
 * {@link ProcessHandle#destroyForcibly()} (SIGKILL on Linux) a random 50-600 ms after its first acknowledgement,
 * then reopen the engine here and check the model built from the acknowledgements of every round so far:
 * <ul>
 *   <li>each acknowledged unique put is present with its value (both by scan and by point get), unless a
 *       delete of it was started (then present or absent) or acknowledged (then absent);</li>
 *   <li>each overwrite key holds its last acknowledged value or a later one written by the same thread
 *       (an unacknowledged write may be durable; an older one must never come back);</li>
 *   <li>each batch is all or nothing, and every acknowledged batch is all there.</li>
 * </ul>
 * After the last round the engine is compacted and everything is checked again. The seed is printed;
 * rerun with {@code -Dphantom.killnine.seed=N}. {@code -Dphantom.killnine.rounds=N} changes the round count.
 */
class KillNineTest {

    static final int ROUNDS_DEFAULT = 20;
    static final int ROUNDS_SOAK = 200;
    static final int WRITER_THREADS = 4;
    static final long KILL_DELAY_MILLIS_MIN = 50;
    static final long KILL_DELAY_MILLIS_MAX = 600;
    /** A child that has not acknowledged anything by then is stuck (or the engine cannot open). */
    static final long FIRST_ACK_TIMEOUT_SECONDS = 60;
    static final String CHILD_HEAP = "-Xmx256m";

    @TempDir
    Path work;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveSigkillInEveryRound(TestReporter reporter) throws Exception {
        runRounds(Integer.getInteger("phantom.killnine.rounds", ROUNDS_DEFAULT), reporter);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 80, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveSigkillSoak(TestReporter reporter) throws Exception {
        runRounds(Integer.getInteger("phantom.killnine.soak.rounds", ROUNDS_SOAK), reporter);
    }

    private void runRounds(int rounds, TestReporter reporter) throws Exception {
        long seed = Long.getLong("phantom.killnine.seed", System.nanoTime());
        log(reporter, "seed", "KillNineTest seed " + seed + " (rerun with -Dphantom.killnine.seed=" + seed + "), " + rounds + " rounds");
        Random random = new Random(seed);
        Path dataDir = Files.createDirectories(work.resolve("data"));
        Model model = new Model();
        for (int round = 1; round <= rounds; round++) {
            long killDelay = KILL_DELAY_MILLIS_MIN + random.nextInt((int) (KILL_DELAY_MILLIS_MAX - KILL_DELAY_MILLIS_MIN + 1));
            ChildRun child = runChildAndKill(dataDir, round, random.nextLong(), killDelay);
            int acks = model.apply(child.lines(), round);
            Path evidence = preserveEvidence(dataDir, child, seed, round);
            try (Engine engine = Engine.open(RealFileSystem.INSTANCE, dataDir, KillNineWriter.options())) {
                RecoveryReport recovery = engine.recoveryReport();
                Verification checked;
                try {
                    checked = model.verify(engine, round, "round " + round);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nrecovery: " + recovery
                            + "\ndata directory as the killed child left it, its stdout and stderr: " + evidence, e);
                }
                deleteRecursively(evidence);
                log(reporter, "round-" + round, String.format(
                        "round %d: killed %d ms after first ack; %d acks this round; %d acked keys checked by scan"
                                + " and %d by get, 0 lost; recovery replayed %d WAL records, truncated %d torn tail(s),"
                                + " deleted %d orphan file(s)",
                        round, killDelay, acks, checked.keys(), checked.pointReads(), recovery.walRecordsReplayed(),
                        recovery.truncations().size(), recovery.orphanFilesDeleted().size()));
            }
        }
        try (Engine engine = Engine.open(RealFileSystem.INSTANCE, dataDir, KillNineWriter.options())) {
            engine.compact();
            Verification checked = model.verify(engine, rounds, "after final compaction");
            log(reporter, "final", "after final compaction: " + checked.keys() + " acked keys checked by scan and "
                    + checked.pointReads() + " by get, 0 lost; " + engine.stats());
        }
    }

    /**
     * Copies the data directory as the killed child left it (before recovery touches it), with the child's
     * stdout and stderr, to {@code java.io.tmpdir/phantom-killnine/seed-S-round-R}; deleted again when
     * the round passes, kept for the engine's authors when it fails.
     */
    private Path preserveEvidence(Path dataDir, ChildRun child, long seed, int round) throws IOException {
        Path evidence = Path.of(System.getProperty("java.io.tmpdir"), "phantom-killnine", "seed-" + seed + "-round-" + round);
        deleteRecursively(evidence);
        Files.createDirectories(evidence.resolve("data"));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.collect(Collectors.toList())) {
                Path target = evidence.resolve("data").resolve(dataDir.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(file)) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.write(evidence.resolve("child.stdout"), child.lines(), StandardCharsets.UTF_8);
        Path stderr = work.resolve("child-" + round + ".stderr");
        if (Files.exists(stderr)) {
            Files.copy(stderr, evidence.resolve("child.stderr"), StandardCopyOption.REPLACE_EXISTING);
        }
        return evidence;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(file);
            }
        }
    }

    private static void log(TestReporter reporter, String key, String message) {
        System.out.println(message);
        reporter.publishEntry(key, message);
    }

    // ---------------------------------------------------------------- the child process

    /** What one child printed before it died. */
    record ChildRun(List<String> lines) {}

    private ChildRun runChildAndKill(Path dataDir, int round, long seed, long killDelayMillis) throws Exception {
        Path stderr = work.resolve("child-" + round + ".stderr");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(CHILD_HEAP);
        command.add("-ea");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        Path logback = Path.of(System.getProperty("basedir", ".")).resolve("conf/logback.xml");
        if (Files.isRegularFile(logback)) {
            command.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
        }
        command.add("-cp");
        command.add(testClassPath());
        command.add(KillNineWriter.class.getName());
        command.add(dataDir.toString());
        command.add(Integer.toString(round));
        command.add(Integer.toString(WRITER_THREADS));
        command.add(Long.toString(seed));
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        LineCollector collector = new LineCollector(process.getInputStream());
        Thread reader = new Thread(collector, "killnine-reader-" + round);
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_ACK_TIMEOUT_SECONDS);
            while (!collector.firstLine.await(50, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive()) {
                    fail("round " + round + ": child exited (" + process.exitValue() + ") before its first acknowledgement;"
                            + " stderr:\n" + tail(stderr));
                }
                if (System.nanoTime() > deadline) {
                    fail("round " + round + ": child acknowledged nothing within " + FIRST_ACK_TIMEOUT_SECONDS
                            + " s; stderr:\n" + tail(stderr));
                }
            }
            Thread.sleep(killDelayMillis);
            if (!process.isAlive()) {
                fail("round " + round + ": child died on its own (exit " + process.exitValue() + ") before the kill; stderr:\n"
                        + tail(stderr));
            }
        } finally {
            // SIGKILL through the ProcessHandle: Process.destroyForcibly() also closes our end of the child's
            // stdout at once, which throws away acknowledgements still unread in the pipe (and made this
            // test report a delete the child had announced as a lost write).
            process.toHandle().destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        if (reader.isAlive() || collector.failure != null) {
            fail("round " + round + ": could not read the child's stdout to its end: " + collector.failure);
        }
        return new ChildRun(collector.completeLines());
    }

    /** Surefire runs tests from a manifest-only jar; it publishes the real class path separately. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /** Reads the child's stdout; keeps only lines ended by '\n' (a line cut by the kill is dropped). */
    private static final class LineCollector implements Runnable {
        private final InputStream in;
        private final List<String> lines = new ArrayList<>();
        final CountDownLatch firstLine = new CountDownLatch(1);
        volatile IOException failure;

        LineCollector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            add(current.toString(StandardCharsets.UTF_8));
                            current.reset();
                        } else {
                            current.write(buffer[i]);
                        }
                    }
                }
            } catch (IOException e) {
                failure = e; // a lost tail would drop acknowledgements (and intents): the round must fail
            }
        }

        private synchronized void add(String line) {
            lines.add(line);
            firstLine.countDown();
        }

        synchronized List<String> completeLines() {
            return new ArrayList<>(lines);
        }
    }

    // ---------------------------------------------------------------- the model

    /** How many acknowledged keys one verification checked, through a full scan and through get(). */
    record Verification(int keys, int pointReads) {}

    /** What must be in the engine, built from every round's acknowledgements. */
    static final class Model {
        /** Unique keys whose put was acknowledged and no delete was started: key -> value. */
        private final Map<String, String> present = new HashMap<>();
        /** Unique keys with a delete started but not acknowledged: key -> value (present or absent both fine). */
        private final Map<String, String> maybeDeleted = new HashMap<>();
        /** Unique keys whose delete was acknowledged: must be absent forever. */
        private final Set<String> deleted = new HashSet<>();
        /** Overwrite keys: last acknowledged (round, seq). */
        private final Map<String, long[]> overwriteAcked = new HashMap<>();
        /** Acknowledged batches: id -> value. */
        private final Map<String, String> batches = new HashMap<>();
        /** Unique keys acknowledged in the latest round (checked by point get as well). */
        private final List<String> latestRoundKeys = new ArrayList<>();

        /** Applies one child's lines; returns the number of acknowledgements. */
        int apply(List<String> lines, int round) {
            latestRoundKeys.clear();
            int acks = 0;
            for (String line : lines) {
                String[] words = line.split(" ");
                String event = words.length >= 2 ? words[0] + " " + words[1] : line;
                switch (event) {
                    case "ack put":
                        expectWords(line, words, 4);
                        acks++;
                        if (words[2].startsWith("h-")) {
                            long[] version = overwriteVersion(words[3]);
                            assertEquals(round, version[0], "overwrite value of this round: " + line);
                            overwriteAcked.put(words[2], version);
                        } else {
                            present.put(words[2], words[3]);
                            latestRoundKeys.add(words[2]);
                        }
                        break;
                    case "try del":
                        expectWords(line, words, 3);
                        String value = present.remove(words[2]);
                        assertTrue(value != null, "delete of a key not acknowledged as present: " + line);
                        maybeDeleted.put(words[2], value);
                        break;
                    case "ack del":
                        expectWords(line, words, 3);
                        acks++;
                        assertTrue(maybeDeleted.remove(words[2]) != null, "ack del without try del: " + line);
                        deleted.add(words[2]);
                        break;
                    case "ack batch":
                        expectWords(line, words, 4);
                        acks++;
                        batches.put(words[2], words[3]);
                        break;
                    default:
                        fail("unexpected line from the child: " + line);
                }
            }
            return acks;
        }

        private static void expectWords(String line, String[] words, int count) {
            assertEquals(count, words.length, "malformed line from the child: " + line);
        }

        private static long[] overwriteVersion(String value) {
            String[] parts = value.split(":", 3);
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        }

        /** Checks the engine against the model; fails listing what was lost. */
        Verification verify(Engine engine, int round, String when) {
            Map<String, String> contents = new HashMap<>();
            try (KvIterator it = engine.scan(null, null, InternalKey.MAX_TIMESTAMP, false)) {
                String previous = null;
                while (it.next()) {
                    String key = new String(it.key(), StandardCharsets.UTF_8);
                    if (previous != null && previous.compareTo(key) >= 0) {
                        fail(when + ": scan out of order: " + previous + " then " + key);
                    }
                    previous = key;
                    contents.put(key, new String(it.value(), StandardCharsets.UTF_8));
                }
            }
            List<String> lost = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<String, String> entry : present.entrySet()) {
                checked++;
                String actual = contents.get(entry.getKey());
                if (!entry.getValue().equals(actual)) {
                    lost.add(entry.getKey() + ": acked value " + abbreviate(entry.getValue()) + ", found " + abbreviate(actual));
                }
            }
            for (Map.Entry<String, String> entry : maybeDeleted.entrySet()) {
                checked++;
                String actual = contents.get(entry.getKey());
                if (actual != null && !actual.equals(entry.getValue())) {
                    lost.add(entry.getKey() + ": delete in flight, found a value never written " + abbreviate(actual));
                }
            }
            for (String key : deleted) {
                checked++;
                if (contents.containsKey(key)) {
                    lost.add(key + ": delete acked, but the key is back with " + abbreviate(contents.get(key)));
                }
            }
            for (Map.Entry<String, long[]> entry : overwriteAcked.entrySet()) {
                checked++;
                String actual = contents.get(entry.getKey());
                if (actual == null) {
                    lost.add(entry.getKey() + ": overwrite key missing");
                    continue;
                }
                long[] found = overwriteVersion(actual);
                long[] acked = entry.getValue();
                boolean older = found[0] < acked[0] || (found[0] == acked[0] && found[1] < acked[1]);
                if (older || found[0] > round) {
                    lost.add(entry.getKey() + ": acked version " + acked[0] + ":" + acked[1] + ", found " + found[0] + ":" + found[1]);
                }
            }
            checked += verifyBatches(contents, lost);
            int pointReads = verifyPointReads(engine, lost);
            if (!lost.isEmpty()) {
                fail(when + ": " + lost.size() + " acknowledged write(s) lost or wrong (of " + checked + " checked):\n  "
                        + String.join("\n  ", lost.subList(0, Math.min(50, lost.size()))));
            }
            return new Verification(checked, pointReads);
        }

        private int verifyBatches(Map<String, String> contents, List<String> lost) {
            Map<String, Integer> membersPresent = new HashMap<>();
            for (String key : contents.keySet()) {
                if (key.startsWith("b-")) {
                    membersPresent.merge(key.substring(0, key.lastIndexOf('-')), 1, Integer::sum);
                }
            }
            for (Map.Entry<String, Integer> group : membersPresent.entrySet()) {
                if (group.getValue() != KillNineWriter.BATCH_KEYS) {
                    lost.add("batch " + group.getKey() + " is torn: " + group.getValue() + " of " + KillNineWriter.BATCH_KEYS + " keys");
                }
            }
            int checked = 0;
            for (Map.Entry<String, String> batch : batches.entrySet()) {
                for (int i = 0; i < KillNineWriter.BATCH_KEYS; i++) {
                    checked++;
                    String key = batch.getKey() + "-" + i;
                    if (!batch.getValue().equals(contents.get(key))) {
                        lost.add(key + ": acked batch value " + abbreviate(batch.getValue()) + ", found " + abbreviate(contents.get(key)));
                    }
                }
            }
            return checked;
        }

        /** The same facts through get(): the point-read path (bloom filters, index) must agree with scan. */
        private int verifyPointReads(Engine engine, List<String> lost) {
            int checked = 0;
            for (String key : latestRoundKeys) {
                String expected = present.get(key);
                if (expected == null) {
                    continue; // a delete was started on it
                }
                checked++;
                byte[] actual = engine.get(key.getBytes(StandardCharsets.UTF_8));
                if (actual == null || !expected.equals(new String(actual, StandardCharsets.UTF_8))) {
                    lost.add(key + ": get() disagrees with the acked value");
                }
            }
            for (String key : deleted) {
                checked++;
                if (engine.get(key.getBytes(StandardCharsets.UTF_8)) != null) {
                    lost.add(key + ": get() returns a value after an acked delete");
                }
            }
            return checked;
        }

        private static String abbreviate(String value) {
            return value == null ? "(absent)" : value.length() <= 24 ? value : value.substring(0, 24) + "...";
        }
    }
}
