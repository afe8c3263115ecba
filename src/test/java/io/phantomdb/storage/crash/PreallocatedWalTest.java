package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.crash.EngineReads.ReadResult;
import io.phantomdb.storage.crash.KvModel.Batch;
import io.phantomdb.storage.fs.FaultyFileSystem;
import io.phantomdb.storage.fs.FaultyFileSystem.CrashMode;
import io.phantomdb.storage.fs.FaultyFileSystem.Op;
import io.phantomdb.storage.log.LogReader;
import io.phantomdb.storage.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: preallocated WAL files (docs/decisions.md D12) keep every recovery rule of the WAL: the zeros after
 * the last record are a clean end (nothing reported), a record torn by a crash in front of those zeros is
 * cut off and reported, a full file rolls over to a new preallocated one without freezing the memtable and
 * recovery replays all of them, damage to a file that is no longer the newest is corruption, and each
 * record's durable offset counts the bytes written, not the size of the file.
 *
 * <p>Method: one engine over a {@link FaultyFileSystem}, inline background work, a {@link KvModel} of what
 * was acknowledged; crashes with a fixed mode or a seed searched for the outcome a test needs.
 */
class PreallocatedWalTest {

    private static final Path DIR = Path.of("/prealloc/db");
    private static final int KEYS = 40;
    private static final List<String> KEY_SPACE = KvModel.keySpace(KEYS);

    private final FaultyFileSystem fs = new FaultyFileSystem();
    private final KvModel model = new KvModel();
    private final Random rnd = new Random(17);

    private static EngineOptions options(long walPreallocateBytes) {
        return EngineOptions.builder()
                .durability(Durability.COMMIT)
                .backgroundWork(false)
                .memtableBytes(1 << 20) // large: only a full WAL file, never the memtable, switches files
                .walPreallocateBytes(walPreallocateBytes)
                .build();
    }

    @Test
    void zerosAfterTheLastRecordAreACleanEndAndNotReported() throws IOException {
        EngineOptions options = options(64 * 1024);
        Engine engine = Engine.open(fs, DIR, options);
        writeBatches(engine, 30, 100);
        fs.powerOffAt(Op.SYNC, 1);
        Batch lost = model.putBatch(rnd, KvModel.key(1), 100);
        model.begin(lost);
        assertThrows(StorageException.class, () -> engine.write(lost.toWriteBatch()));
        model.fail(lost);
        closeIgnoringStorageException(engine);
        Path wal = onlyWal();
        assertEquals(64 * 1024, fs.fileBytes(wal).length, "the WAL file is preallocated");
        fs.crash(new Random(1), CrashMode.DROP_UNSYNCED); // the unsynced record reverts to zeros

        Engine recovered = Engine.open(fs, DIR, options);
        try {
            assertEquals(List.of(), recovered.recoveryReport().truncations(), "zero padding is no torn tail");
            assertEquals(30, recovered.recoveryReport().walRecordsReplayed());
            checkModel(recovered);
        } finally {
            recovered.close();
        }
    }

    @Test
    void recordTornInFrontOfTheZerosIsCutOffAndReported() throws IOException {
        EngineOptions options = options(64 * 1024);
        Engine engine = Engine.open(fs, DIR, options);
        writeBatches(engine, 10, 60);
        fs.powerOffAt(Op.SYNC, 1);
        Batch torn = model.putBatch(rnd, KvModel.key(2), 600);
        model.begin(torn);
        assertThrows(StorageException.class, () -> engine.write(torn.toWriteBatch()));
        model.fail(torn);
        closeIgnoringStorageException(engine);
        Path wal = onlyWal();
        int[] unsynced = fs.unsyncedRanges(wal).get(0);
        fs.crash(seedKeepingPartOf(wal, unsynced), CrashMode.KEEP_PREFIX);

        Engine recovered = Engine.open(fs, DIR, options);
        try {
            List<RecoveryReport.Truncation> truncations = recovered.recoveryReport().truncations();
            assertEquals(1, truncations.size(), "the torn record must be reported: " + truncations);
            assertEquals(wal, truncations.get(0).file());
            assertEquals(unsynced[0], truncations.get(0).offset());
            assertEquals(64 * 1024 - unsynced[0], truncations.get(0).bytesDropped(), "the rest of the file goes");
            checkModel(recovered);
            byte[] value = recovered.get(KvModel.bytes(KvModel.key(2)));
            assertFalse(Arrays.equals(torn.ops.get(KvModel.key(2)), value), "a torn record is never replayed");
        } finally {
            recovered.close();
        }
    }

    @Test
    void fullFileRollsOverToANewPreallocatedFileAndRecoveryReplaysThemAll() throws IOException {
        EngineOptions options = options(4096);
        Engine engine = Engine.open(fs, DIR, options);
        int batches = writeUntilWalFiles(engine, 3);
        List<String> names = fs.fileNames(DIR);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".seg")), "a rollover must not freeze the memtable: " + names);
        for (String name : walNames()) {
            assertEquals(4096, fs.fileBytes(DIR.resolve(name)).length, name + " is preallocated");
        }
        List<String> wals = walNames();
        for (String older : wals.subList(0, wals.size() - 1)) {
            assertEquals(List.of(), fs.unsyncedRanges(DIR.resolve(older)), older + " was synced before the next file");
        }
        assertTrue(fs.preallocations() >= 3, "preallocated files: " + fs.preallocations());
        fs.powerOff();
        closeIgnoringStorageException(engine);
        fs.crash(new Random(5));

        Engine recovered = Engine.open(fs, DIR, options);
        try {
            assertEquals(List.of(), recovered.recoveryReport().truncations());
            assertEquals(batches, recovered.recoveryReport().walRecordsReplayed(), "every file replayed");
            checkModel(recovered);
        } finally {
            recovered.close();
        }
    }

    @Test
    void damageToAnOlderWalFileIsCorruptionEvenInItsPadding() throws IOException {
        EngineOptions options = options(4096);
        Engine engine = Engine.open(fs, DIR, options);
        writeUntilWalFiles(engine, 2);
        engine.close();
        Path older = DIR.resolve(walNames().get(0));
        int dataEnd = dataEnd(fs.fileBytes(older));
        assertTrue(dataEnd < 4096, "a record that did not fit left padding at the end of " + older.getFileName());
        for (int byteIndex : new int[] {20, dataEnd, 4095}) {
            FaultyFileSystem damaged = fs.copy();
            damaged.flipBit(older, byteIndex * 8L + 1);
            CorruptionException e = assertThrows(CorruptionException.class, () -> Engine.open(damaged, DIR, options),
                    "bit flipped at byte " + byteIndex + " of " + older.getFileName());
            assertEquals(older.getFileName(), e.file().getFileName());
        }
    }

    @Test
    void recordLargerThanAFileGoesAloneIntoAFreshFileThatGrows() throws IOException {
        EngineOptions options = options(4096);
        Engine engine = Engine.open(fs, DIR, options);
        writeBatches(engine, 3, 50);
        Batch big = model.putBatch(rnd, KvModel.key(3), 10_000);
        model.begin(big);
        model.acknowledge(big, engine.write(big.toWriteBatch()));
        writeBatches(engine, 3, 50);
        engine.close();
        List<String> wals = walNames();
        assertEquals(3, wals.size(), "small records, the big one alone, small records: " + wals);
        assertTrue(fs.fileBytes(DIR.resolve(wals.get(1))).length > 10_000, "the big record's file grew");

        Engine recovered = Engine.open(fs, DIR, options);
        try {
            assertEquals(7, recovered.recoveryReport().walRecordsReplayed());
            checkModel(recovered);
        } finally {
            recovered.close();
        }
    }

    /** D9: a record's durable offset is the bytes synced so far, never the preallocated size of the file. */
    @Test
    void durableOffsetOfEachRecordIsTheBytesSyncedBeforeIt() throws IOException {
        EngineOptions options = options(64 * 1024);
        Engine engine = Engine.open(fs, DIR, options);
        writeBatches(engine, 12, 80);
        engine.close();
        int records = 0;
        try (LogReader reader = LogReader.open(fs, onlyWal(), LogReader.TailMode.STRICT, LogReader.Padding.ZEROS,
                WalRecord::durableOffsetOf)) {
            for (byte[] payload = reader.next(); payload != null; payload = reader.next()) {
                // One writer in commit mode: each record is written right after the previous one was synced.
                assertEquals(reader.recordOffset(), WalRecord.decode(payload).durableOffset(), "record " + records);
                records++;
            }
        }
        assertEquals(12, records);
    }

    @Test
    void withoutPreallocationWalFilesEndAtTheirLastRecord() throws IOException {
        EngineOptions options = options(0);
        Engine engine = Engine.open(fs, DIR, options);
        writeBatches(engine, 10, 40);
        engine.close();
        byte[] wal = fs.fileBytes(onlyWal());
        assertEquals(wal.length, dataEnd(wal), "no padding");
        assertEquals(0, fs.preallocations());
        Engine recovered = Engine.open(fs, DIR, options);
        try {
            checkModel(recovered);
        } finally {
            recovered.close();
        }
    }

    // ----------------------------------------------------------------------------------------------------

    private void writeBatches(Engine engine, int count, int paddingMax) {
        for (int i = 0; i < count; i++) {
            Batch batch = model.randomBatch(rnd, KEYS, 3, paddingMax);
            model.begin(batch);
            model.acknowledge(batch, engine.write(batch.toWriteBatch()));
        }
    }

    /** Writes until the directory holds {@code files} WAL files; returns the batches written. */
    private int writeUntilWalFiles(Engine engine, int files) {
        int batches = 0;
        while (walNames().size() < files) {
            writeBatches(engine, 1, 200);
            batches++;
            assertTrue(batches < 1000, "no rollover after " + batches + " batches: " + fs.fileNames(DIR));
        }
        return batches;
    }

    /** A seed whose {@link CrashMode#KEEP_PREFIX} keeps the header of the unsynced record but not all of it. */
    private Random seedKeepingPartOf(Path wal, int[] unsynced) throws IOException {
        byte[] before = fs.fileBytes(wal);
        for (int seed = 0; seed < 1000; seed++) {
            FaultyFileSystem probe = fs.copy();
            probe.crash(new Random(seed), CrashMode.KEEP_PREFIX);
            byte[] after = probe.fileBytes(wal);
            boolean headerKept = Arrays.equals(Arrays.copyOfRange(before, unsynced[0], unsynced[0] + 8),
                    Arrays.copyOfRange(after, unsynced[0], unsynced[0] + 8));
            boolean recordCut = !Arrays.equals(Arrays.copyOfRange(before, unsynced[0], unsynced[1]),
                    Arrays.copyOfRange(after, unsynced[0], unsynced[1]));
            if (headerKept && recordCut) {
                return new Random(seed);
            }
        }
        throw new AssertionError("no seed tears the unsynced record of " + wal);
    }

    private void checkModel(Engine engine) {
        ReadResult read = EngineReads.readAll(engine, KEY_SPACE, true);
        List<String> violations = new ArrayList<>(read.violations());
        violations.addAll(model.check(read.state(), KEY_SPACE));
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    private List<String> walNames() {
        return fs.fileNames(DIR).stream().filter(n -> n.endsWith(".wal")).sorted().toList();
    }

    private Path onlyWal() {
        List<String> wals = walNames();
        assertEquals(1, wals.size(), "WAL files: " + wals);
        return DIR.resolve(wals.get(0));
    }

    private static int dataEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void closeIgnoringStorageException(Engine engine) {
        try {
            engine.close();
        } catch (StorageException ignored) {
            // The device is gone; close may say so.
        }
    }
}
