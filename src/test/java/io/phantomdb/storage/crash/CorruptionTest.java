package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.fs.FaultyFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: a flipped bit anywhere in a WAL file, a segment or the MANIFEST never turns into wrong data. Each
 * flip is either detected (open or a read throws a {@link CorruptionException} naming the damaged file and
 * an offset, or, for the last record of the newest WAL, which a torn write looks exactly like, recovery
 * truncates it and says so in {@link RecoveryReport}) or harmless (every read returns exactly the original
 * data). Never a wrong value, a missing or extra key, or another exception type.
 *
 * <p>Method: write a deterministic data set (several versions per key, deletes), flush and compact it into
 * segments, write more so that the newest batches stay in the WAL, close. Then, for a few hundred seeded
 * flips per file type (half uniformly over the file, a quarter in its first 64 bytes, a quarter in its last
 * 64, where headers, footers and the last WAL record live): copy the clean state, flip one bit, open, read
 * every key with get, scan forward and backward, and classify the outcome. The WAL is preallocated (4 KiB),
 * so its "last 64 bytes" are those before the zero padding, and the uniform half also hits the padding: a
 * flip there must not be taken for the clean end of the log. Run once without and once with LZ4 block
 * compression. Prints a summary per file type.
 */
class CorruptionTest {

    private static final Path DIR = Path.of("/corruption/db");
    private static final int KEYS = 160;
    private static final List<String> KEY_SPACE = KvModel.keySpace(KEYS);
    private static final int FLIPS_PER_FILE_TYPE = Integer.getInteger("phantom.corruption.flips", 300);
    private static final int PARALLEL_TRIALS = Integer.getInteger("phantom.corruption.parallel", 16);
    private static final int FAILURES_SHOWN = 10;

    private enum FileType {
        WAL(".wal"), SEGMENT(".seg"), MANIFEST("MANIFEST");

        final String suffix;

        FileType(String suffix) {
            this.suffix = suffix;
        }

        boolean matches(String name) {
            return this == MANIFEST ? name.equals("MANIFEST") : name.endsWith(suffix);
        }
    }

    private enum Verdict { DETECTED_AT_OPEN, DETECTED_ON_READ, TRUNCATED_TORN_TAIL, HARMLESS, WRONG }

    private record Flip(Path file, long bit, long fileBytes) {
        @Override
        public String toString() {
            return file.getFileName() + " bit " + bit + " (byte " + (bit >>> 3) + " of " + fileBytes + ")";
        }
    }

    private record TrialResult(FileType type, Flip flip, Verdict verdict, String detail) {}

    @ParameterizedTest
    @EnumSource(value = Compression.class)
    void everyFlippedBitIsDetectedOrHarmlessNeverWrongData(Compression compression) throws Exception {
        EngineOptions options = EngineOptions.builder()
                .durability(Durability.COMMIT)
                .backgroundWork(false)
                .memtableBytes(8 * 1024)
                .blockBytes(256)
                .compression(compression)
                .bloomBitsPerKey(10)
                .l0CompactionTrigger(4)
                .levelBaseBytes(16 * 1024)
                .targetSegmentBytes(8 * 1024)
                .compactionBytesPerSecond(0)
                .walPreallocateBytes(4096)
                .build();
        DataSet data = DataSet.write(options);
        Map<FileType, List<Path>> files = filesByType(data.clean);
        for (FileType type : FileType.values()) {
            assertTrue(!files.get(type).isEmpty(), "the clean state has no " + type + " file: " + data.clean.fileNames(DIR));
        }
        checkCleanStateReadsBack(data, options);

        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_TRIALS, r -> {
            Thread t = new Thread(r, "corruption-trial");
            t.setDaemon(true);
            return t;
        });
        List<Future<TrialResult>> trials = new ArrayList<>();
        for (FileType type : FileType.values()) {
            for (int i = 0; i < FLIPS_PER_FILE_TYPE; i++) {
                Flip flip = chooseFlip(type, data.clean, files.get(type), new SplittableRandom(type.ordinal() * 1_000_003L + i));
                trials.add(pool.submit(() -> trial(type, flip, data, options)));
            }
        }
        Map<FileType, Map<Verdict, Integer>> counts = new EnumMap<>(FileType.class);
        List<String> wrong = new ArrayList<>();
        for (Future<TrialResult> f : trials) {
            TrialResult r = f.get();
            counts.computeIfAbsent(r.type, t -> new EnumMap<>(Verdict.class)).merge(r.verdict, 1, Integer::sum);
            if (r.verdict == Verdict.WRONG) {
                wrong.add(r.type + " " + r.flip + ": " + r.detail);
            }
        }
        pool.shutdown();
        String summary = "CorruptionTest (" + compression + "): " + counts + "; files: " + filesSummary(data.clean, files);
        System.out.println(summary);
        assertTrue(wrong.isEmpty(), summary + "\n" + wrong.size() + " flips gave wrong results; first ones:\n"
                + String.join("\n", wrong.subList(0, Math.min(FAILURES_SHOWN, wrong.size()))));
    }

    // ----------------------------------------------------------------------------------------------------
    // The data set

    /** The clean on-disk state after close, and what reads must return (with and without the last batch). */
    private static final class DataSet {
        final FaultyFileSystem clean;
        final TreeMap<String, byte[]> full;
        final TreeMap<String, byte[]> withoutLastBatch;

        private DataSet(FaultyFileSystem clean, TreeMap<String, byte[]> full, TreeMap<String, byte[]> withoutLastBatch) {
            this.clean = clean;
            this.full = full;
            this.withoutLastBatch = withoutLastBatch;
        }

        static DataSet write(EngineOptions options) {
            FaultyFileSystem fs = new FaultyFileSystem();
            Random rnd = new Random(11);
            KvModel ids = new KvModel();
            TreeMap<String, byte[]> state = new TreeMap<>();
            TreeMap<String, byte[]> before = new TreeMap<>();
            Engine engine = Engine.open(fs, DIR, options);
            try {
                for (int i = 0; i < 260; i++) {
                    if (i == 120) {
                        engine.flush();
                    }
                    if (i == 180) {
                        engine.compact();
                    }
                    KvModel.Batch batch = ids.randomBatch(rnd, KEYS, 4, 50);
                    before = new TreeMap<>(state);
                    engine.write(batch.toWriteBatch());
                    batch.ops.forEach((k, v) -> {
                        if (v == null) {
                            state.remove(k);
                        } else {
                            state.put(k, v);
                        }
                    });
                }
            } finally {
                engine.close();
            }
            return new DataSet(fs.copy(), state, before);
        }
    }

    private static void checkCleanStateReadsBack(DataSet data, EngineOptions options) {
        FaultyFileSystem fs = data.clean.copy();
        long walBytes = 0;
        for (String name : fs.fileNames(DIR)) {
            if (FileType.WAL.matches(name)) {
                walBytes += size(fs, DIR.resolve(name));
            }
        }
        assertTrue(walBytes > 0, "the data set should leave its newest batches in the WAL");
        Engine engine = Engine.open(fs, DIR, options);
        try {
            assertEquals(List.of(), engine.recoveryReport().truncations(), "clean state has no torn tail");
            for (String k : KEY_SPACE) {
                assertTrue(Arrays.equals(data.full.get(k), engine.get(KvModel.bytes(k))), "clean get of " + k);
            }
        } finally {
            engine.close();
        }
    }

    private static Map<FileType, List<Path>> filesByType(FaultyFileSystem fs) {
        Map<FileType, List<Path>> files = new EnumMap<>(FileType.class);
        for (FileType type : FileType.values()) {
            files.put(type, new ArrayList<>());
        }
        for (String name : fs.fileNames(DIR)) {
            for (FileType type : FileType.values()) {
                if (type.matches(name)) {
                    files.get(type).add(DIR.resolve(name));
                }
            }
        }
        return files;
    }

    private static String filesSummary(FaultyFileSystem fs, Map<FileType, List<Path>> files) {
        StringBuilder s = new StringBuilder();
        files.forEach((type, paths) -> {
            long bytes = paths.stream().mapToLong(p -> size(fs, p)).sum();
            s.append(type).append(' ').append(paths.size()).append(" file(s) ").append(bytes).append(" bytes; ");
        });
        return s.toString();
    }

    private static long size(FaultyFileSystem fs, Path p) {
        try {
            return fs.fileBytes(p).length;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Flip chooseFlip(FileType type, FaultyFileSystem fs, List<Path> candidates, SplittableRandom r) {
        Path file = candidates.get(r.nextInt(candidates.size()));
        long bytes = size(fs, file);
        long end = type == FileType.WAL ? dataEnd(fs, file) : bytes;
        int zone = r.nextInt(4);
        long byteIndex;
        if (zone == 0) {
            byteIndex = r.nextLong(Math.min(64, bytes)); // header
        } else if (zone == 1) {
            byteIndex = end - 1 - r.nextLong(Math.min(64, end)); // footer, last record
        } else {
            byteIndex = r.nextLong(bytes);
        }
        return new Flip(file, byteIndex * 8 + r.nextInt(8), bytes);
    }

    /** Where the records of a (preallocated) WAL file end: past its last non-zero byte. */
    private static long dataEnd(FaultyFileSystem fs, Path file) {
        try {
            byte[] bytes = fs.fileBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] == 0) {
                end--;
            }
            return Math.max(end, 1);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(e);
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // One flip

    private static TrialResult trial(FileType type, Flip flip, DataSet data, EngineOptions options) {
        FaultyFileSystem fs = data.clean.copy();
        try {
            fs.flipBit(flip.file, flip.bit);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(e);
        }
        Engine engine;
        try {
            engine = TimeLimit.call("open", () -> Engine.open(fs, DIR, options));
        } catch (CorruptionException e) {
            return named(type, flip, e, Verdict.DETECTED_AT_OPEN);
        } catch (RuntimeException | Error e) {
            return new TrialResult(type, flip, Verdict.WRONG, "open threw " + e.getClass().getName()
                    + ", not a CorruptionException: " + PowerLossTest.stackTrace(e));
        }
        try {
            return TimeLimit.call("reads", () -> readEverything(type, flip, data, engine));
        } catch (CorruptionException e) {
            return named(type, flip, e, Verdict.DETECTED_ON_READ);
        } catch (RuntimeException | Error e) {
            return new TrialResult(type, flip, Verdict.WRONG, "a read threw " + e.getClass().getName()
                    + ", not a CorruptionException: " + PowerLossTest.stackTrace(e));
        } finally {
            try {
                TimeLimit.run("close", engine::close);
            } catch (StorageException ignored) {
                // Closing an engine that found damage may report it again.
            }
        }
    }

    /** A detection counts only if it names the damaged file and an offset inside it. */
    private static TrialResult named(FileType type, Flip flip, CorruptionException e, Verdict verdict) {
        String name = flip.file.getFileName().toString();
        boolean namesFile = e.file() != null && e.file().getFileName().toString().equals(name)
                && e.getMessage().contains(name);
        boolean namesOffset = e.getMessage().contains("offset") && e.offset() >= 0 && e.offset() <= flip.fileBytes;
        if (namesFile && namesOffset) {
            return new TrialResult(type, flip, verdict, e.getMessage());
        }
        return new TrialResult(type, flip, Verdict.WRONG, verdict + " but the exception does not name " + name
                + " and an offset in it: " + e.getMessage());
    }

    /**
     * Reads every key (get), then scans forward and backward. Each read narrows the states the engine may
     * show: the original one, or, after a reported truncation of the damaged WAL, the one without the last
     * batch. A read that fits none is wrong data.
     */
    private static TrialResult readEverything(FileType type, Flip flip, DataSet data, Engine engine) {
        RecoveryReport report = engine.recoveryReport();
        boolean truncated = false;
        for (RecoveryReport.Truncation t : report.truncations()) {
            if (!t.file().getFileName().equals(flip.file.getFileName())) {
                return new TrialResult(type, flip, Verdict.WRONG, "recovery truncated a file that was not damaged: " + t);
            }
            truncated = true;
        }
        List<TreeMap<String, byte[]>> allowed = new ArrayList<>();
        allowed.add(data.full);
        if (truncated) {
            allowed.add(data.withoutLastBatch);
        }
        for (String k : KEY_SPACE) {
            byte[] got = engine.get(KvModel.bytes(k));
            allowed.removeIf(state -> !Arrays.equals(state.get(k), got));
            if (allowed.isEmpty()) {
                return new TrialResult(type, flip, Verdict.WRONG, "get(" + k + ") = " + KvModel.describe(got)
                        + ", expected " + KvModel.describe(data.full.get(k)) + (truncated ? " (truncation reported: "
                        + report.truncations() + ")" : ""));
            }
        }
        for (boolean reverse : new boolean[] {false, true}) {
            String problem = scanMatches(engine, reverse, allowed);
            if (problem != null) {
                return new TrialResult(type, flip, Verdict.WRONG, problem);
            }
        }
        return new TrialResult(type, flip, truncated ? Verdict.TRUNCATED_TORN_TAIL : Verdict.HARMLESS, "");
    }

    /** Null when the scan returns exactly one of the allowed states (narrowing {@code allowed}). */
    private static String scanMatches(Engine engine, boolean reverse, List<TreeMap<String, byte[]>> allowed) {
        Map<TreeMap<String, byte[]>, List<String>> orderOf = new IdentityHashMap<>();
        for (TreeMap<String, byte[]> state : allowed) {
            orderOf.put(state, new ArrayList<>(reverse ? state.descendingKeySet() : state.navigableKeySet()));
        }
        String direction = reverse ? "reverse" : "forward";
        int position = 0;
        try (KvIterator it = engine.scan(null, null, engine.lastTimestamp(), reverse)) {
            while (it.next()) {
                String key = new String(it.key(), StandardCharsets.US_ASCII);
                byte[] value = it.value();
                int i = position++;
                // Checked as it comes: wrong data is wrong even if a later read detects the damage.
                allowed.removeIf(state -> {
                    List<String> order = orderOf.get(state);
                    return i >= order.size() || !order.get(i).equals(key) || !Arrays.equals(state.get(key), value);
                });
                if (allowed.isEmpty()) {
                    return direction + " scan returned " + key + " = " + KvModel.describe(value) + " at position " + i
                            + ", which no allowed state has there";
                }
            }
        }
        int count = position;
        allowed.removeIf(state -> orderOf.get(state).size() != count);
        if (allowed.isEmpty()) {
            return direction + " scan ended after " + count + " keys, missing some";
        }
        return null;
    }
}
