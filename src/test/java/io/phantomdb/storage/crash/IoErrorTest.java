package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.crash.EngineReads.ReadResult;
import io.phantomdb.storage.crash.KvModel.Batch;
import io.phantomdb.storage.fs.FaultyFileSystem;
import io.phantomdb.storage.fs.FaultyFileSystem.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Goal: an I/O error at any point (a failed write, sync, rename, read, ... or a full disk) surfaces as a
 * {@link StorageException} and nothing else, never makes a read return wrong data, and never costs an
 * acknowledged write: once the device is healthy again, the engine reopens with all of them. A failed WAL
 * sync stops all writes until reopen (the state of unsynced data is unknown after it).
 *
 * <p>Method: a fixed single-threaded workload (writes, reads, flush, compaction, close and reopen, more
 * writes) runs once on a healthy {@link FaultyFileSystem} to count its I/O calls. Then, for every N from 1
 * to that count, it runs again with the Nth call failing once; and again with the disk full at several
 * capacities. Every engine call must succeed or throw a StorageException (the workload goes on after one;
 * a closed or failed engine is reopened by the next step), every successful read is checked against a
 * {@link KvModel} of acknowledged writes. Afterwards the faults are cleared and the engine is reopened on
 * the same in-memory state, once as is (a process restart) and once after a simulated power loss: it must
 * open, hold every acknowledged write, and take a new write.
 */
class IoErrorTest {

    private static final Path DIR = Path.of("/ioerror/db");
    private static final int KEYS = 48;
    private static final List<String> KEY_SPACE = KvModel.keySpace(KEYS);
    private static final int PARALLEL_RUNS = Integer.getInteger("phantom.ioerror.parallel", 16);
    private static final int FAILED_RUNS_SHOWN = 8;

    private static final EngineOptions OPTIONS = EngineOptions.builder()
            .durability(Durability.COMMIT)
            .backgroundWork(false)
            .memtableBytes(4096)
            .blockBytes(256)
            .l0CompactionTrigger(2)
            .l0SlowdownTrigger(6)
            .l0StopTrigger(10)
            .levelBaseBytes(8 * 1024)
            .levelMultiplier(4)
            .targetSegmentBytes(4 * 1024)
            .compactionBytesPerSecond(0)
            .writeStallTimeoutMillis(10_000)
            // Small, so that a full disk can strike while preallocating and while writing alike.
            .walPreallocateBytes(4096)
            .build();

    /** How the faulty run ends before the healthy reopen. */
    private enum Restart { PROCESS_RESTART, POWER_LOSS }

    @Test
    void everyFailedIoCallEndsInStorageExceptionAndLosesNoAcknowledgedWrite() throws Exception {
        Run clean = new Run(new FaultyFileSystem());
        clean.workload();
        assertTrue(clean.violations.isEmpty(), "clean run: " + clean.violations);
        assertEquals(0, clean.storageErrors, "clean run had storage errors: " + clean.errorMessages);
        long calls = clean.fs.count(Op.ANY);
        assertTrue(clean.model.acknowledgedCount() > 60 && calls > 300,
                "workload too small to mean much: " + clean.model.acknowledgedCount() + " writes, " + calls + " calls");

        List<Future<String>> runs = new ArrayList<>();
        ExecutorService pool = pool();
        for (long n = 1; n <= calls; n++) {
            for (Restart restart : Restart.values()) {
                long nth = n;
                runs.add(pool.submit(() -> faultyRun("call #" + nth + " fails once, then " + restart, restart,
                        fs -> fs.failAfter(Op.ANY, nth))));
            }
        }
        Outcome outcome = collect(pool, runs);
        String summary = "IoErrorTest: workload makes " + calls + " I/O calls (" + callsPerOp(clean.fs) + "), "
                + clean.model.acknowledgedCount() + " acknowledged writes; " + runs.size()
                + " runs with one failed call: " + outcome;
        System.out.println(summary);
        assertTrue(outcome.failures.isEmpty(), summary + "\n" + outcome.firstFailures());
    }

    @Test
    void deadDeviceFromAnyCallOnEndsInStorageExceptionAndLosesNoAcknowledgedWrite() throws Exception {
        Run clean = new Run(new FaultyFileSystem());
        clean.workload();
        long calls = clean.fs.count(Op.ANY);
        List<Future<String>> runs = new ArrayList<>();
        ExecutorService pool = pool();
        // Every third call is enough here: after the first failure everything fails, so neighbouring
        // starting points mostly lead to the same state.
        for (long n = 1; n <= calls; n += 3) {
            for (Restart restart : Restart.values()) {
                long nth = n;
                runs.add(pool.submit(() -> faultyRun("every call from #" + nth + " on fails, then " + restart, restart,
                        fs -> fs.failFrom(Op.ANY, nth))));
            }
        }
        Outcome outcome = collect(pool, runs);
        String summary = "IoErrorTest: " + runs.size() + " runs with a device dead from call N on: " + outcome;
        System.out.println(summary);
        assertTrue(outcome.failures.isEmpty(), summary + "\n" + outcome.firstFailures());
    }

    @Test
    void fullDiskAtAnyCapacityEndsInStorageExceptionAndLosesNoAcknowledgedWrite() throws Exception {
        Run clean = new Run(new FaultyFileSystem());
        clean.workload();
        assertTrue(clean.violations.isEmpty(), "clean run: " + clean.violations);
        long peak = clean.peakBytes;
        List<Long> capacities = new ArrayList<>(List.of(0L, 64L, 512L));
        for (int percent = 5; percent <= 100; percent += 5) {
            capacities.add(peak * percent / 100);
        }
        List<Future<String>> runs = new ArrayList<>();
        ExecutorService pool = pool();
        for (long capacity : capacities) {
            for (Restart restart : Restart.values()) {
                runs.add(pool.submit(() -> faultyRun("disk full at " + capacity + " bytes, then " + restart, restart,
                        fs -> fs.diskCapacityBytes(capacity))));
            }
        }
        Outcome outcome = collect(pool, runs);
        String summary = "IoErrorTest: peak disk use " + peak + " bytes; " + runs.size() + " runs with a full disk: "
                + outcome;
        System.out.println(summary);
        assertTrue(outcome.failures.isEmpty(), summary + "\n" + outcome.firstFailures());
    }

    @Test
    void failedWalSyncStopsAllWritesUntilReopen() {
        FaultyFileSystem fs = new FaultyFileSystem();
        KvModel model = new KvModel();
        Random rnd = new Random(3);
        Engine engine = Engine.open(fs, DIR, OPTIONS);
        for (int i = 0; i < 5; i++) {
            Batch b = model.randomBatch(rnd, KEYS, 4, 40);
            model.begin(b);
            model.acknowledge(b, engine.write(b.toWriteBatch()));
        }
        fs.failAfter(Op.SYNC, 1);
        Batch failed = model.randomBatch(rnd, KEYS, 4, 40);
        model.begin(failed);
        assertThrows(StorageException.class, () -> engine.write(failed.toWriteBatch()), "the WAL sync failed");
        model.fail(failed);
        fs.clearFaults();
        for (int i = 0; i < 3; i++) {
            Batch later = model.randomBatch(rnd, KEYS, 4, 40);
            model.begin(later);
            assertThrows(StorageException.class, () -> engine.write(later.toWriteBatch()),
                    "a write after a failed WAL sync must fail until reopen, even on a healthy disk");
            model.fail(later);
        }
        ReadResult read = EngineReads.readAll(engine, KEY_SPACE, true);
        List<String> violations = new ArrayList<>(read.violations());
        violations.addAll(model.check(read.state(), KEY_SPACE));
        assertTrue(violations.isEmpty(), "reads after the failed sync: " + violations);
        try {
            engine.close();
        } catch (StorageException allowed) {
            // The engine already reported its failure; close may repeat it.
        }

        Engine reopened = Engine.open(fs, DIR, OPTIONS);
        try {
            Batch after = model.randomBatch(rnd, KEYS, 4, 40);
            model.begin(after);
            model.acknowledge(after, reopened.write(after.toWriteBatch()));
            ReadResult again = EngineReads.readAll(reopened, KEY_SPACE, true);
            List<String> afterReopen = new ArrayList<>(again.violations());
            afterReopen.addAll(model.check(again.state(), KEY_SPACE));
            assertTrue(afterReopen.isEmpty(), "after reopen: " + afterReopen);
        } finally {
            reopened.close();
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // One run

    /** Runs the workload with a fault, then the healthy reopen; returns null when every rule held. */
    private static String faultyRun(String label, Restart restart, Consumer<FaultyFileSystem> fault) {
        FaultyFileSystem fs = new FaultyFileSystem();
        fault.accept(fs);
        Run run = new Run(fs);
        try {
            run.workload();
            run.healthyReopen(restart);
        } catch (Throwable t) {
            run.violations.add("run threw " + PowerLossTest.stackTrace(t));
        }
        if (run.violations.isEmpty()) {
            return null;
        }
        return label + " (" + run.storageErrors + " storage errors: " + run.errorMessages.stream().limit(2).toList()
                + "):\n    " + String.join("\n    ", run.violations.subList(0, Math.min(5, run.violations.size())));
    }

    /** The fixed workload over one file system, with its model and what went wrong. */
    private static final class Run {
        final FaultyFileSystem fs;
        final KvModel model = new KvModel();
        final Random rnd = new Random(42);
        final List<String> violations = new ArrayList<>();
        final List<String> errorMessages = new ArrayList<>();
        int storageErrors;
        long peakBytes;
        Engine engine;
        String step = "";

        Run(FaultyFileSystem fs) {
            this.fs = fs;
        }

        void workload() {
            step("open", e -> { });
            writes(40);
            step("read all", this::readAndCheck);
            step("flush", Engine::flush);
            writes(25);
            step("compact", Engine::compact);
            step("read all", this::readAndCheck);
            closeEngine();
            step("reopen", e -> { });
            writes(12);
            step("read all", this::readAndCheck);
            closeEngine();
        }

        private void writes(int count) {
            for (int i = 0; i < count; i++) {
                Batch batch = model.randomBatch(rnd, KEYS, 5, 60); // drawn even if the engine is down
                step("write", e -> {
                    model.begin(batch);
                    try {
                        model.acknowledge(batch, e.write(batch.toWriteBatch()));
                    } catch (RuntimeException ex) {
                        model.fail(batch);
                        throw ex;
                    }
                });
                if (i % 10 == 9) {
                    String k = KvModel.key(rnd.nextInt(KEYS));
                    step("get", e -> checkGet(e, k));
                }
            }
        }

        private void checkGet(Engine e, String k) {
            String problem = model.checkKey(k, new KvModel.Observed(e.get(KvModel.bytes(k)), -1));
            if (problem != null) {
                violations.add(step + ": " + problem);
            }
        }

        private void readAndCheck(Engine e) {
            ReadResult read = EngineReads.readAll(e, KEY_SPACE, true);
            for (String v : read.violations()) {
                violations.add(step + ": " + v);
            }
            for (String v : model.check(read.state(), KEY_SPACE)) {
                violations.add(step + ": " + v);
            }
        }

        /** Runs one step on the engine, opening it first if needed; only StorageException may come out. */
        private void step(String name, Consumer<Engine> body) {
            step = name;
            try {
                if (engine == null) {
                    engine = TimeLimit.call("open", () -> Engine.open(fs, DIR, OPTIONS));
                }
                Engine e = engine;
                TimeLimit.run(name, () -> body.accept(e));
            } catch (StorageException e) {
                storageErrors++;
                if (errorMessages.size() < 4) {
                    errorMessages.add(name + ": " + e.getMessage());
                }
            } catch (RuntimeException | Error e) {
                violations.add(name + " threw " + e.getClass().getName() + ", not a StorageException: "
                        + PowerLossTest.stackTrace(e));
            }
            peakBytes = Math.max(peakBytes, fs.totalBytes());
        }

        private void closeEngine() {
            step = "close";
            if (engine == null) {
                return;
            }
            Engine e = engine;
            engine = null;
            try {
                TimeLimit.run("close", e::close);
            } catch (StorageException ex) {
                storageErrors++;
            } catch (RuntimeException | Error ex) {
                violations.add("close threw " + ex.getClass().getName() + ", not a StorageException: "
                        + PowerLossTest.stackTrace(ex));
            }
        }

        /** Faults cleared, same bytes (after a power loss or not): must open with every acknowledged write. */
        void healthyReopen(Restart restart) {
            closeEngine();
            fs.clearFaults();
            if (restart == Restart.POWER_LOSS) {
                fs.crash(new Random(fs.count(Op.ANY)));
            }
            step = "healthy reopen after " + restart;
            Engine e;
            try {
                e = TimeLimit.call("healthy reopen", () -> Engine.open(fs, DIR, OPTIONS));
            } catch (RuntimeException | Error ex) {
                violations.add(step + " failed: " + PowerLossTest.stackTrace(ex)
                        + (restart == Restart.POWER_LOSS ? "\n    what the crash did: " + fs.lastCrashLog() : ""));
                return;
            }
            try {
                ReadResult read = TimeLimit.call("read after healthy reopen", () -> EngineReads.readAll(e, KEY_SPACE, true));
                for (String v : read.violations()) {
                    violations.add(step + ": " + v);
                }
                for (String v : model.check(read.state(), KEY_SPACE)) {
                    violations.add(step + ": " + v);
                }
                Batch fresh = model.putBatch(rnd, KvModel.key(0), 10);
                model.begin(fresh);
                model.acknowledge(fresh, TimeLimit.call("write after healthy reopen", () -> e.write(fresh.toWriteBatch())));
                byte[] got = e.get(KvModel.bytes(KvModel.key(0)));
                if (!Arrays.equals(got, fresh.ops.get(KvModel.key(0)))) {
                    violations.add(step + ": a new write reads back as " + KvModel.describe(got));
                }
                TimeLimit.run("close after healthy reopen", e::close);
            } catch (RuntimeException | Error ex) {
                violations.add(step + ": the healthy engine failed: " + PowerLossTest.stackTrace(ex));
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // Plumbing

    private record Outcome(int runs, List<String> failures) {
        String firstFailures() {
            return failures.size() + " runs failed; first ones:\n" + String.join("\n", failures.subList(0,
                    Math.min(FAILED_RUNS_SHOWN, failures.size())));
        }

        @Override
        public String toString() {
            return (runs - failures.size()) + " passed, " + failures.size() + " failed";
        }
    }

    private static ExecutorService pool() {
        // Runs are independent; most of a run's time is the engine's close waiting for its commit thread.
        return Executors.newFixedThreadPool(PARALLEL_RUNS, r -> {
            Thread t = new Thread(r, "ioerror-run");
            t.setDaemon(true);
            return t;
        });
    }

    private static Outcome collect(ExecutorService pool, List<Future<String>> runs) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Future<String> run : runs) {
            String failure = run.get();
            if (failure != null) {
                failures.add(failure);
            }
        }
        pool.shutdown();
        return new Outcome(runs.size(), failures);
    }

    private static String callsPerOp(FaultyFileSystem fs) {
        StringBuilder s = new StringBuilder();
        for (Op op : Op.values()) {
            if (op != Op.ANY && fs.count(op) > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(op).append(' ').append(fs.count(op));
            }
        }
        return s.toString();
    }
}
