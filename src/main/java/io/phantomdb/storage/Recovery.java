package io.phantomdb.storage;

import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.log.LogReader;
import io.phantomdb.storage.log.LogWriter;
import io.phantomdb.storage.manifest.ManifestFile;
import io.phantomdb.storage.manifest.ManifestState;
import io.phantomdb.storage.manifest.SegmentMeta;
import io.phantomdb.storage.manifest.Version;
import io.phantomdb.storage.memtable.Memtable;
import io.phantomdb.storage.segment.BlockCache;
import io.phantomdb.storage.segment.SegmentFormat;
import io.phantomdb.storage.segment.SegmentWriter;
import io.phantomdb.storage.segment.TableCache;
import io.phantomdb.storage.wal.WalFormat;
import io.phantomdb.storage.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a directory back to a consistent state at open:
 *
 * <ol>
 *   <li>read the manifest (or create an empty one in an empty directory);
 *   <li>check that every segment it lists exists;
 *   <li>replay every WAL file from the manifest's {@code logNumber} on, oldest first, into a memtable:
 *       older files must be intact, the newest may end in a torn tail, which is truncated and reported;
 *       zeros after the last record (preallocated space never written) are a clean end in any file;
 *   <li>flush what was replayed to an L0 segment and install a manifest that no longer needs those WAL
 *       files, then delete them, half-written segments, a stale {@code MANIFEST.tmp} and a spare WAL file
 *       prepared ahead (D26), which never holds a record;
 *   <li>start a new WAL file for new writes.
 * </ol>
 *
 * Every step can be interrupted by a crash and simply runs again at the next open.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    /** What the engine starts from. */
    record Recovered(ManifestState state, LogWriter wal, long walNumber, long lastTimestamp, RecoveryReport report,
            BlockCache blockCache, TableCache tableCache) {}

    private final FileSystem fs;
    private final Path dir;
    private final EngineOptions options;
    private final List<RecoveryReport.Truncation> truncations = new ArrayList<>();
    private final List<String> orphansDeleted = new ArrayList<>();
    private long recordsReplayed;

    Recovery(FileSystem fs, Path dir, EngineOptions options) {
        this.fs = fs;
        this.dir = dir;
        this.options = options;
    }

    Recovered run() {
        BlockCache blockCache = new BlockCache(options.blockCacheBytes());
        TableCache tableCache = new TableCache(fs, dir, options.openFilesMax(), blockCache);
        try {
            List<String> names = fs.list(dir);
            ManifestState state = readOrCreateManifest(names);
            checkSegmentsExist(state.version(), names);
            long nextFileNumber = Math.max(state.nextFileNumber(), highestFileNumber(names) + 1);
            Memtable replayed = new Memtable(0);
            replayWal(names, state.logNumber(), replayed);
            long lastTimestamp = Math.max(state.lastTimestamp(), replayed.maxTimestamp());
            for (SegmentMeta meta : state.version().allFiles()) {
                lastTimestamp = Math.max(lastTimestamp, meta.maxTimestamp());
            }
            Version version = state.version();
            if (!replayed.isEmpty()) {
                version = withLevelZero(version, flush(replayed, nextFileNumber++));
            }
            long walNumber = nextFileNumber++;
            ManifestState recovered = new ManifestState(version, nextFileNumber, walNumber,
                    Math.max(state.lastTimestamp(), replayed.maxTimestamp()));
            ManifestFile.install(fs, dir, recovered);
            deleteObsolete(recovered);
            LogWriter wal = new LogWriter(Engine.createWalFile(fs, dir.resolve(WalFormat.fileName(walNumber)), options));
            fs.syncDirectory(dir);
            RecoveryReport report = new RecoveryReport(recordsReplayed, List.copyOf(truncations),
                    List.copyOf(orphansDeleted));
            return new Recovered(recovered, wal, walNumber, Math.max(lastTimestamp, 0), report, blockCache, tableCache);
        } catch (IOException e) {
            tableCache.close();
            throw new StorageException("recovery of " + dir + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            tableCache.close();
            throw e;
        }
    }

    private ManifestState readOrCreateManifest(List<String> names) throws IOException {
        if (names.contains(ManifestFile.FILE_NAME)) {
            return ManifestFile.read(fs, dir);
        }
        for (String name : names) {
            if (WalFormat.parseFileNumber(name).isPresent() || SegmentFormat.parseFileNumber(name).isPresent()) {
                throw new CorruptionException(dir.resolve(ManifestFile.FILE_NAME), 0,
                        "manifest is missing but the directory holds engine files such as " + name);
            }
        }
        ManifestState empty = new ManifestState(Version.empty(options.levelsMax()), 1, 0, 0);
        ManifestFile.install(fs, dir, empty);
        return empty;
    }

    private void checkSegmentsExist(Version version, List<String> names) {
        Set<String> present = new HashSet<>(names);
        for (SegmentMeta meta : version.allFiles()) {
            String name = SegmentFormat.fileName(meta.fileNumber());
            if (!present.contains(name)) {
                throw new CorruptionException(dir.resolve(name), 0, "segment listed in the manifest is missing");
            }
        }
        if (version.levelCount() != options.levelsMax()) {
            throw new StorageException("manifest has " + version.levelCount() + " levels but levelsMax is "
                    + options.levelsMax() + "; open with the same levelsMax");
        }
    }

    private static long highestFileNumber(List<String> names) {
        long highest = 0;
        for (String name : names) {
            highest = Math.max(highest, WalFormat.parseFileNumber(name).orElse(0));
            highest = Math.max(highest, SegmentFormat.parseFileNumber(name).orElse(0));
        }
        return highest;
    }

    private void replayWal(List<String> names, long logNumber, Memtable into) throws IOException {
        List<Long> walNumbers = new ArrayList<>();
        for (String name : names) {
            WalFormat.parseFileNumber(name).ifPresent(n -> {
                if (n >= logNumber) {
                    walNumbers.add(n);
                }
            });
        }
        walNumbers.sort(null);
        for (int i = 0; i < walNumbers.size(); i++) {
            boolean newest = i == walNumbers.size() - 1;
            replayFile(dir.resolve(WalFormat.fileName(walNumbers.get(i))), newest, into);
        }
    }

    private void replayFile(Path path, boolean newest, Memtable into) throws IOException {
        LogReader.TailMode mode = newest ? LogReader.TailMode.TOLERATE_TORN_TAIL : LogReader.TailMode.STRICT;
        // Whatever walPreallocateBytes is now, any WAL file may have been preallocated when it was written.
        try (LogReader reader = LogReader.open(fs, path, mode, LogReader.Padding.ZEROS, WalRecord::durableOffsetOf)) {
            byte[] payload;
            while ((payload = reader.next()) != null) {
                WalRecord.Decoded record;
                try {
                    record = WalRecord.decode(payload);
                } catch (IllegalArgumentException e) {
                    throw new CorruptionException(path, reader.recordOffset(), "bad WAL record: " + e.getMessage(), e);
                }
                for (WalRecord.Batch batch : record.batches()) {
                    for (WriteBatch.Operation op : batch.operations()) {
                        byte[] value = op.kind() == ValueKind.PUT ? op.value() : WriteBatch.EMPTY;
                        into.add(op.key(), batch.timestamp(), op.kind(), value);
                    }
                    recordsReplayed++;
                }
            }
            if (reader.tornTail().isPresent()) {
                RecoveryReport.Truncation torn = reader.tornTail().get();
                LOG.log(System.Logger.Level.WARNING, "truncating torn WAL tail: " + torn);
                fs.truncate(path, reader.validEnd());
                truncations.add(torn);
            }
        }
    }

    private SegmentMeta flush(Memtable replayed, long fileNumber) {
        SegmentWriter writer = new SegmentWriter(fs, dir.resolve(SegmentFormat.fileName(fileNumber)),
                options.blockBytes(), options.compression(), options.bloomBitsPerKey());
        try (var entries = replayed.newIterator()) {
            for (entries.seekToFirst(); entries.valid(); entries.next()) {
                writer.add(entries.key(), entries.kind(), entries.value());
            }
            return Engine.toMeta(fileNumber, writer.finish());
        } catch (RuntimeException e) {
            writer.abandon();
            throw e;
        }
    }

    private static Version withLevelZero(Version version, SegmentMeta meta) {
        List<List<SegmentMeta>> levels = new ArrayList<>();
        for (List<SegmentMeta> files : version.levels()) {
            levels.add(new ArrayList<>(files));
        }
        levels.get(0).add(meta);
        return new Version(levels);
    }

    /** Deletes WAL files the manifest no longer needs, unreferenced segments and a stale temp manifest. */
    private void deleteObsolete(ManifestState state) throws IOException {
        Set<Long> live = new HashSet<>();
        state.version().allFiles().forEach(meta -> live.add(meta.fileNumber()));
        for (String name : fs.list(dir)) {
            // A spare WAL file (D26) never holds a record, whatever a crash left in it.
            boolean spare = name.equals(WalFormat.SPARE_FILE_NAME);
            boolean obsolete = spare || name.equals(ManifestFile.TEMP_FILE_NAME)
                    || WalFormat.parseFileNumber(name).stream().anyMatch(n -> n < state.logNumber())
                    || SegmentFormat.parseFileNumber(name).stream().anyMatch(n -> !live.contains(n));
            if (obsolete) {
                fs.delete(dir.resolve(name));
                if (WalFormat.parseFileNumber(name).isEmpty() && !spare) {
                    orphansDeleted.add(name); // replayed WAL files and the spare are not orphans, just done with
                }
            }
        }
        fs.syncDirectory(dir);
    }
}
