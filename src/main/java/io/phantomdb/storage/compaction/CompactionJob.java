package io.phantomdb.storage.compaction;

import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.manifest.SegmentMeta;
import io.phantomdb.storage.manifest.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link Compaction}: merges its inputs in engine-key order, drops what no reader can see, and
 * writes sorted output files of about {@code targetSegmentBytes}, never splitting one user key across
 * two files (so a deeper level never holds a newer version than a shallower one).
 *
 * <p>Garbage collection, per user key, versions newest first, with {@code horizon} the oldest timestamp a
 * reader may still use:
 * <ul>
 *   <li>every version newer than the horizon is kept (some snapshot may need it);
 *   <li>the newest version at or below the horizon is kept, since readers at the horizon see it, unless it
 *       is a tombstone and no deeper level holds the key (then nothing older can show through);
 *   <li>every older version is dropped.
 * </ul>
 * This relies on the engine's contract that a key's versions are written in timestamp order, so no
 * version older than the one kept can reappear from a newer source.
 */
public final class CompactionJob {

    /** How the job reaches files; implemented by the engine. */
    public interface Io {
        /** An iterator over the merged inputs, newest source first on duplicates. */
        InternalIterator mergedInputs(Compaction compaction);

        /** Starts an output file. */
        OutputFile newOutput();
    }

    /** A segment under construction. */
    public interface OutputFile {
        void add(byte[] internalKey, ValueKind kind, byte[] value);

        long estimatedBytes();

        SegmentMeta finish();

        void abandon();
    }

    /** Result: the new files and what was dropped. */
    public record Result(List<SegmentMeta> outputs, long entriesRead, long entriesDropped) {}

    private static final long RATE_CHARGE_BYTES = 256 * 1024;

    private final Compaction compaction;
    private final Version version;
    private final long horizon;
    private final long targetFileBytes;
    private final RateLimiter rateLimiter;
    private final BooleanSupplier stopping;

    public CompactionJob(Compaction compaction, Version version, long horizon, long targetFileBytes,
            RateLimiter rateLimiter, BooleanSupplier stopping) {
        this.compaction = compaction;
        this.version = version;
        this.horizon = horizon;
        this.targetFileBytes = targetFileBytes;
        this.rateLimiter = rateLimiter;
        this.stopping = stopping;
    }

    public Result run(Io io) throws InterruptedException {
        List<SegmentMeta> outputs = new ArrayList<>();
        OutputFile output = null;
        long read = 0;
        long dropped = 0;
        long uncharged = 0;
        byte[] lastUserKeyAdded = null;
        byte[] groupKey = null;
        boolean horizonVersionSeen = false;
        try (InternalIterator input = io.mergedInputs(compaction)) {
            for (input.seekToFirst(); input.valid(); input.next()) {
                if ((read++ & 1023) == 0 && stopping.getAsBoolean()) {
                    throw new InterruptedException("engine is closing");
                }
                byte[] key = input.key();
                if (groupKey == null || !InternalKey.sameUserKey(key, groupKey)) {
                    groupKey = key;
                    horizonVersionSeen = false;
                }
                long timestamp = InternalKey.timestamp(key);
                if (horizonVersionSeen) {
                    dropped++;
                    continue;
                }
                if (timestamp <= horizon) {
                    horizonVersionSeen = true;
                    if (input.kind() == ValueKind.DELETE && isBottommostFor(key)) {
                        dropped++;
                        continue;
                    }
                }
                boolean newUserKey = lastUserKeyAdded == null || !InternalKey.sameUserKey(key, lastUserKeyAdded);
                if (output != null && newUserKey && output.estimatedBytes() >= targetFileBytes) {
                    outputs.add(output.finish());
                    output = null;
                }
                if (output == null) {
                    output = io.newOutput();
                }
                byte[] value = input.value();
                output.add(key, input.kind(), value);
                lastUserKeyAdded = key;
                uncharged += key.length + value.length;
                if (uncharged >= RATE_CHARGE_BYTES) {
                    rateLimiter.acquire(uncharged);
                    uncharged = 0;
                }
            }
            if (output != null) {
                outputs.add(output.finish());
                output = null;
            }
        } catch (InterruptedException | RuntimeException e) {
            abandon(output);
            throw e;
        }
        return new Result(outputs, read, dropped);
    }

    private static void abandon(OutputFile output) {
        if (output != null) {
            try {
                output.abandon();
            } catch (StorageException ignored) {
                // The partial file is an orphan; open() deletes it.
            }
        }
    }

    /** No level below the output holds this user key, so a tombstone there hides nothing. */
    private boolean isBottommostFor(byte[] internalKey) {
        byte[] userKey = InternalKey.userKey(internalKey);
        for (int level = compaction.outputLevel() + 1; level < version.levelCount(); level++) {
            if (version.fileFor(level, userKey) != null) {
                return false;
            }
        }
        return true;
    }
}
