package io.phantomdb.storage.compaction;

import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.manifest.SegmentMeta;
import io.phantomdb.storage.manifest.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the next compaction, LevelDB style. Level 0 goes first once it holds {@code
 * l0CompactionTrigger} files: all of L0 merges with the overlapping part of L1 (taking every L0 file
 * keeps the rule that a shallower level holds newer versions). Otherwise the level most over its target
 * size ({@code levelBaseBytes * levelMultiplier^(level-1)}) gives one file, chosen round-robin through
 * its key space, which merges with the overlapping files one level down.
 *
 * <p>Pure function of the version and options, plus the round-robin pointers the caller keeps.
 */
public final class CompactionPicker {

    private final EngineOptions options;
    /** Per level: the largest user key of the last file compacted, so the next pick starts after it. */
    private final byte[][] compactPointers;

    public CompactionPicker(EngineOptions options) {
        this.options = options;
        this.compactPointers = new byte[options.levelsMax()][];
    }

    /** Target size of {@code level} (>= 1). */
    public long targetBytes(int level) {
        long target = options.levelBaseBytes();
        for (int i = 1; i < level; i++) {
            target = target > Long.MAX_VALUE / options.levelMultiplier() ? Long.MAX_VALUE
                    : target * options.levelMultiplier();
        }
        return target;
    }

    /** How far over its trigger a level is; >= 1 means it needs compaction. */
    public double score(Version version, int level) {
        if (level == 0) {
            return version.files(0).size() / (double) options.l0CompactionTrigger();
        }
        return version.levelBytes(level) / (double) targetBytes(level);
    }

    /** Whether some level is over its limit; unlike {@link #pick}, moves no round-robin pointer. */
    public boolean needsCompaction(Version version) {
        for (int level = 0; level < version.levelCount() - 1; level++) {
            if (score(version, level) >= 1.0) {
                return true;
            }
        }
        return false;
    }

    /** The next compaction, or null when every level is within its limits. */
    public Compaction pick(Version version) {
        int lastLevel = version.levelCount() - 1;
        int bestLevel = -1;
        double bestScore = 1.0;
        for (int level = 0; level < lastLevel; level++) {
            double score = score(version, level);
            if (score >= bestScore) {
                bestScore = score;
                bestLevel = level;
            }
        }
        if (bestLevel < 0) {
            return null;
        }
        if (bestLevel == 0) {
            return levelZero(version);
        }
        SegmentMeta file = roundRobinFile(version, bestLevel);
        compactPointers[bestLevel] = file.largestUserKey();
        return plan(version, bestLevel, List.of(file));
    }

    private Compaction levelZero(Version version) {
        return plan(version, 0, version.files(0));
    }

    private SegmentMeta roundRobinFile(Version version, int level) {
        byte[] pointer = compactPointers[level];
        for (SegmentMeta meta : version.files(level)) {
            if (pointer == null || InternalKey.compareUserKey(meta.smallestKey(), pointer) > 0) {
                return meta;
            }
        }
        return version.files(level).get(0);
    }

    /** Inputs from {@code level} plus everything they overlap one level down. */
    public static Compaction plan(Version version, int level, List<SegmentMeta> inputs) {
        byte[] low = null;
        byte[] high = null;
        for (SegmentMeta meta : inputs) {
            if (low == null || InternalKey.compareUserKey(meta.smallestKey(), low) < 0) {
                low = meta.smallestUserKey();
            }
            if (high == null || InternalKey.compareUserKey(meta.largestKey(), high) > 0) {
                high = meta.largestUserKey();
            }
        }
        List<SegmentMeta> below = version.overlapping(level + 1, low, high);
        boolean trivial = level > 0 && inputs.size() == 1 && below.isEmpty();
        return new Compaction(level, level + 1, new ArrayList<>(inputs), below, trivial);
    }

    /** A manual compaction of every file of every level into the last level. */
    public static Compaction everything(Version version) {
        int lastLevel = version.levelCount() - 1;
        List<SegmentMeta> inputs = new ArrayList<>();
        for (int level = 0; level < lastLevel; level++) {
            inputs.addAll(version.files(level));
        }
        return new Compaction(0, lastLevel, inputs, version.files(lastLevel), false);
    }
}
