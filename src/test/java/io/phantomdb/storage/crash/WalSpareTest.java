package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.crash.EngineReads.ReadResult;
import io.phantomdb.storage.crash.KvModel.Batch;
import io.phantomdb.storage.fs.FaultyFileSystem;
import io.phantomdb.storage.fs.FaultyFileSystem.Op;
import io.phantomdb.storage.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Goal: the spare WAL file prepared ahead of a rotation or rollover (docs/decisions.md D26) changes no
 * recovery outcome. It is prepared once the memtable or the WAL file is half full, renamed to the next WAL
 * number with the directory synced before any record goes into it, replaced by an inline creation when it
 * is missing or its preparation failed, never left behind by a close, and deleted by recovery after a
 * crash at any step, never replayed.
 *
 * <p>Method: engines over a {@link FaultyFileSystem} with inline background work (the spare is then
 * prepared on the commit thread, deterministically), a {@link KvModel} of what was acknowledged. The crash
 * test runs one workload once to count its I/O calls, then once per call with power cut at that call,
 * followed by a crash (each file keeps a random part of its unsynced bytes) and a reopen.
 */
class WalSpareTest {

    private static final Path DIR = Path.of("/spare/db");
    private static final int KEYS = 30;
    private static final List<String> KEY_SPACE = KvModel.keySpace(KEYS);
    private static final String SPARE = WalFormat.SPARE_FILE_NAME;

    /** Small WAL files and memtables, so that a short workload rolls over and rotates many times. */
    private static final EngineOptions SMALL = EngineOptions.builder()
            .durability(Durability.COMMIT)
            .backgroundWork(false)
            .memtableBytes(8 * 1024)
            .walPreallocateBytes(4096)
            .compactionBytesPerSecond(0)
            .build();

    @Test
    void spareIsPreparedAtHalfAFileAndRenamedAtTheRollover() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(3);
        EngineOptions options = SMALL.toBuilder().memtableBytes(1 << 20).build(); // only rollovers
        Engine engine = Engine.open(fs, DIR, options);
        try {
            assertFalse(names(fs).contains(SPARE), "no spare before the first write: " + names(fs));
            assertEquals(1, fs.preallocations(), "the first WAL file is created at open");
            String first = onlyWal(fs);
            while (!names(fs).contains(SPARE)) {
                write(engine, model, rnd, 100);
                assertEquals(List.of(first), wals(fs), "the spare comes before the rollover");
            }
            assertTrue(fs.fileBytes(DIR.resolve(first)).length > 0);
            assertEquals(2, fs.preallocations(), "the spare is preallocated");
            assertArrayEquals(new byte[4096], fs.durableBytes(DIR.resolve(SPARE)), "synced zeros, nothing else");

            long directorySyncs = fs.count(Op.SYNC_DIRECTORY);
            while (wals(fs).size() < 2) {
                write(engine, model, rnd, 100);
            }
            String second = wals(fs).get(1);
            assertEquals(2, fs.preallocations(), "the rollover took the spare instead of zero-filling a file");
            assertEquals(second, last(fs.renameTargets()), "the spare was renamed to the new WAL file");
            assertTrue(fs.count(Op.SYNC_DIRECTORY) > directorySyncs, "the rename is made durable");
            assertFalse(names(fs).contains(SPARE), "taken: " + names(fs));
        } finally {
            engine.close();
        }
        assertFalse(names(fs).contains(SPARE), "close leaves no spare");
        checkReopen(fs, model, options);
    }

    @Test
    void rotationWithoutAReadySpareCreatesTheFileInline() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(4);
        Engine engine = Engine.open(fs, DIR, SMALL);
        try {
            write(engine, model, rnd, 50); // far below half a file or memtable: no spare
            long preallocations = fs.preallocations();
            engine.flush(); // rotates the memtable now
            assertEquals(preallocations + 1, fs.preallocations(), "the new WAL file was created inline");
            assertTrue(fs.renameTargets().stream().noneMatch(n -> n.endsWith(WalFormat.FILE_SUFFIX)),
                    "no spare renamed: " + fs.renameTargets());
            assertFalse(names(fs).contains(SPARE));
            write(engine, model, rnd, 50);
        } finally {
            engine.close();
        }
        checkReopen(fs, model, SMALL);
    }

    @Test
    void aFailedPreparationIsNotFatalAndTheRolloverCreatesTheFileInline() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(5);
        EngineOptions options = SMALL.toBuilder().memtableBytes(1 << 20).build();
        Engine engine = Engine.open(fs, DIR, options);
        try {
            // With a large memtable nothing flushes: the next file creation is the spare's.
            long creates = fs.count(Op.CREATE);
            fs.failAfter(Op.CREATE, 1);
            String first = onlyWal(fs);
            while (fs.count(Op.CREATE) == creates) {
                write(engine, model, rnd, 100);
            }
            assertFalse(names(fs).contains(SPARE), "the failed preparation left nothing: " + names(fs));
            long preallocations = fs.preallocations();
            while (wals(fs).size() < 2) {
                write(engine, model, rnd, 100); // every write is acknowledged: write() throws otherwise
            }
            assertEquals(preallocations + 1, fs.preallocations(), "the rollover zero-filled the file itself");
            assertTrue(wals(fs).contains(first));
        } finally {
            engine.close();
        }
        checkReopen(fs, model, options);
    }

    @Test
    void withoutPreallocationThereIsNoSpare() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(6);
        EngineOptions options = SMALL.toBuilder().walPreallocateBytes(0).build();
        Engine engine = Engine.open(fs, DIR, options);
        try {
            for (int i = 0; i < 200; i++) { // several memtable rotations
                write(engine, model, rnd, 100);
                assertFalse(names(fs).contains(SPARE), "a spare without preallocation, write " + i);
            }
            assertTrue(engine.stats().totalSegments() > 0, "the memtable rotated");
        } finally {
            engine.close();
        }
        assertEquals(0, fs.preallocations());
        checkReopen(fs, model, options);
    }

    /**
     * A spare whose name a crash kept (another thread's directory sync made it durable, as a compaction's
     * manifest install can) is deleted at open, and so is one holding what looks like WAL records: a
     * spare is never replayed, whatever it holds.
     */
    @Test
    void recoveryDeletesASpareWhateverItHoldsAndNeverReplaysIt() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(9);
        EngineOptions options = SMALL.toBuilder().memtableBytes(1 << 20).build();
        Engine engine = Engine.open(fs, DIR, options);
        while (!names(fs).contains(SPARE)) {
            write(engine, model, rnd, 100);
        }
        fs.syncDirectory(DIR); // the spare's name is durable now
        fs.powerOff();
        closeIgnoringStorageException(engine);
        fs.crash(new Random(1));
        assertTrue(names(fs).contains(SPARE), "the crash kept the spare");
        checkReopen(fs, model, options);

        // A spare holding valid WAL records, of a write this directory never acknowledged.
        Path other = Path.of("/spare/other");
        Engine elsewhere = Engine.open(fs, other, options);
        elsewhere.write(new WriteBatch().put(KvModel.bytes("never-here"), new byte[] {1}));
        elsewhere.close();
        byte[] records = fs.fileBytes(other.resolve(wals(fs, other).get(0)));
        try (var spare = fs.create(DIR.resolve(SPARE))) {
            spare.append(records);
            spare.sync();
        }
        fs.syncDirectory(DIR);
        Engine reopened = Engine.open(fs, DIR, options);
        try {
            assertEquals(null, reopened.get(KvModel.bytes("never-here")), "the spare's records were replayed");
            assertEquals(0, reopened.recoveryReport().walRecordsReplayed(), "nothing but the spare was unreplayed");
            assertFalse(names(fs).contains(SPARE), "recovery kept the spare: " + names(fs));
            assertFalse(reopened.recoveryReport().orphanFilesDeleted().contains(SPARE), "a spare is no orphan");
            List<String> violations = check(reopened, model);
            assertTrue(violations.isEmpty(), String.join("\n", violations));
        } finally {
            reopened.close();
        }
    }

    /** With background work the spare thread prepares the file; the rollover takes it (waiting if need be). */
    @Test
    void rolloverTakesTheSparePreparedByTheSpareThread() throws IOException {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(8);
        EngineOptions options = SMALL.toBuilder().backgroundWork(true).memtableBytes(1 << 20).build();
        Engine engine = Engine.open(fs, DIR, options);
        try {
            for (int rollovers = 1; rollovers <= 3; rollovers++) {
                while (wals(fs).size() < 1 + rollovers) {
                    write(engine, model, rnd, 100);
                }
                List<String> wals = wals(fs);
                assertEquals(wals.get(wals.size() - 1), last(fs.renameTargets()), "rollover " + rollovers + " took the spare");
                assertEquals(1 + rollovers, fs.preallocations(), "no file zero-filled twice");
            }
        } finally {
            engine.close();
        }
        assertFalse(names(fs).contains(SPARE), "close leaves no spare: " + names(fs));
        checkReopen(fs, model, options);
    }

    /**
     * Close while the spare thread is inside its preparation (held at the creation of the file): close
     * waits for it and deletes the file, so no spare exists once close has returned.
     */
    @Test
    void closeDuringABackgroundPreparationLeavesNoSpare() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(7);
        EngineOptions options = SMALL.toBuilder().backgroundWork(true).memtableBytes(1 << 20)
                .walPreallocateBytes(64 * 1024).build();
        Engine engine = Engine.open(fs, DIR, options);
        fs.holdAt(Op.CREATE, 1); // the spare's: nothing else creates a file with a memtable this large
        // One record past half the WAL file asks for a spare; the next rollover is far away.
        Batch big = model.putBatch(rnd, KvModel.key(1), 40 * 1024);
        model.begin(big);
        model.acknowledge(big, engine.write(big.toWriteBatch()));
        assertTrue(fs.awaitHold(10_000), "the spare's creation was held");
        Thread closer = new Thread(engine::close, "closer");
        closer.start();
        fs.releaseHold();
        TimeLimit.join(closer, "close");
        assertFalse(names(fs).contains(SPARE), "close left a spare: " + names(fs));
        assertEquals(2, fs.preallocations(), "the one at open and the held one, which close waited for");
        checkReopen(fs, model, options);
    }

    /**
     * Power is cut at every I/O call of a workload that prepares and takes many spares (and rotates, rolls
     * over, flushes and compacts), then a crash keeps a random part of each file's unsynced bytes: the
     * reopened engine holds every acknowledged write and no half of a failed one, and it left no spare and
     * no WAL file but the one it starts with.
     */
    @Test
    void powerLossAtEveryCallAroundTheSpareLosesNoWriteAndLeavesNoSpare() throws Exception {
        Run clean = new Run(new FaultyFileSystem());
        clean.workload();
        assertTrue(clean.failures.isEmpty(), "clean run: " + clean.failures);
        long calls = clean.fs.count(Op.ANY);
        long spareRenames = clean.fs.renameTargets().stream().filter(n -> WalFormat.parseFileNumber(n).isPresent()).count();
        assertTrue(spareRenames >= 10, "the workload takes too few spares to mean much: " + spareRenames);

        ExecutorService pool = Executors.newFixedThreadPool(8, r -> { // runs mostly wait for engine threads
            Thread t = new Thread(r, "spare-crash-run");
            t.setDaemon(true);
            return t;
        });
        List<Future<String>> runs = new ArrayList<>();
        for (long n = 1; n <= calls; n++) {
            long cut = n;
            runs.add(pool.submit(() -> crashRun(cut)));
        }
        List<String> failed = new ArrayList<>();
        for (Future<String> run : runs) {
            String failure = run.get();
            if (failure != null) {
                failed.add(failure);
            }
        }
        pool.shutdown();
        System.out.println("WalSpareTest: workload makes " + calls + " I/O calls, takes " + spareRenames
                + " spares; " + runs.size() + " runs with a power cut, " + failed.size() + " failed");
        assertTrue(failed.isEmpty(), failed.size() + " of " + runs.size() + " runs failed; first ones:\n"
                + String.join("\n", failed.subList(0, Math.min(5, failed.size()))));
    }

    /** One run with power cut at call {@code cut}; null when every rule held. */
    private static String crashRun(long cut) {
        FaultyFileSystem fs = new FaultyFileSystem();
        fs.powerOffAfter(cut);
        Run run = new Run(fs);
        run.workload();
        run.failures.removeIf(f -> f.startsWith("storage: ")); // expected once power is off
        if (!run.failures.isEmpty()) {
            return "power cut at call #" + cut + ": " + run.failures;
        }
        fs.crash(new Random(cut));
        try {
            Engine reopened = TimeLimit.call("reopen", () -> Engine.open(fs, DIR, SMALL));
            try {
                List<String> problems = new ArrayList<>(check(reopened, run.model));
                if (names(fs).contains(SPARE)) {
                    problems.add("recovery kept the spare: " + names(fs));
                }
                if (wals(fs).size() != 1) {
                    problems.add("recovery kept WAL files besides its new one: " + wals(fs));
                }
                if (reopened.recoveryReport().orphanFilesDeleted().contains(SPARE)) {
                    problems.add("the spare reported as an orphan");
                }
                if (!problems.isEmpty()) {
                    return "power cut at call #" + cut + " (" + fs.lastCrashLog() + "): " + problems;
                }
            } finally {
                reopened.close();
            }
        } catch (RuntimeException | Error e) {
            return "power cut at call #" + cut + ": reopen failed: " + PowerLossTest.stackTrace(e)
                    + "\n    what the crash did: " + fs.lastCrashLog();
        }
        return null;
    }

    /** A fixed single-threaded workload; a StorageException ends it (the power is off from then on). */
    private static final class Run {
        final FaultyFileSystem fs;
        final KvModel model = new KvModel();
        final Random rnd = new Random(11);
        final List<String> failures = new ArrayList<>();

        Run(FaultyFileSystem fs) {
            this.fs = fs;
        }

        void workload() {
            Engine engine;
            try {
                engine = TimeLimit.call("open", () -> Engine.open(fs, DIR, SMALL));
            } catch (StorageException e) {
                failures.add("storage: " + e.getMessage());
                return;
            }
            try {
                for (int i = 0; i < 180; i++) {
                    Batch batch = model.randomBatch(rnd, KEYS, 4, 120);
                    model.begin(batch);
                    try {
                        model.acknowledge(batch, TimeLimit.call("write", () -> engine.write(batch.toWriteBatch())));
                    } catch (StorageException e) {
                        model.fail(batch);
                        failures.add("storage: " + e.getMessage());
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                failures.add("write threw " + PowerLossTest.stackTrace(e));
            } finally {
                try {
                    TimeLimit.run("close", engine::close);
                } catch (StorageException e) {
                    failures.add("storage: " + e.getMessage());
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------

    private static void write(Engine engine, KvModel model, Random rnd, int paddingMax) {
        Batch batch = model.randomBatch(rnd, KEYS, 3, paddingMax);
        model.begin(batch);
        model.acknowledge(batch, engine.write(batch.toWriteBatch()));
    }

    private static List<String> check(Engine engine, KvModel model) {
        ReadResult read = EngineReads.readAll(engine, KEY_SPACE, true);
        List<String> violations = new ArrayList<>(read.violations());
        violations.addAll(model.check(read.state(), KEY_SPACE));
        return violations;
    }

    private static void checkReopen(FaultyFileSystem fs, KvModel model, EngineOptions options) {
        Engine engine = Engine.open(fs, DIR, options);
        try {
            List<String> violations = check(engine, model);
            assertTrue(violations.isEmpty(), String.join("\n", violations));
            assertFalse(names(fs).contains(SPARE));
        } finally {
            engine.close();
        }
    }

    private static List<String> names(FaultyFileSystem fs) {
        return fs.fileNames(DIR);
    }

    private static List<String> wals(FaultyFileSystem fs) {
        return wals(fs, DIR);
    }

    private static List<String> wals(FaultyFileSystem fs, Path dir) {
        return fs.fileNames(dir).stream().filter(n -> WalFormat.parseFileNumber(n).isPresent()).sorted().toList();
    }

    private static void closeIgnoringStorageException(Engine engine) {
        try {
            engine.close();
        } catch (StorageException ignored) {
            // The device is off; close may say so.
        }
    }

    private static String last(List<String> names) {
        assertFalse(names.isEmpty());
        return names.get(names.size() - 1);
    }

    private static String onlyWal(FaultyFileSystem fs) {
        List<String> wals = wals(fs);
        assertEquals(1, wals.size(), "WAL files: " + wals);
        return wals.get(0);
    }
}
