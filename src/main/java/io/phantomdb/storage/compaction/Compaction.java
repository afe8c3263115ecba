package io.phantomdb.storage.compaction;

import io.phantomdb.storage.manifest.SegmentMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of compaction work: merge {@code inputs} (from {@code inputLevel}) with the overlapping
 * {@code outputLevelInputs} into new files at {@code outputLevel}.
 *
 * @param trivialMove a single input file that overlaps nothing below: it moves down in the manifest
 *     without being rewritten
 */
public record Compaction(int inputLevel, int outputLevel, List<SegmentMeta> inputs, List<SegmentMeta> outputLevelInputs,
        boolean trivialMove) {

    public List<SegmentMeta> allInputs() {
        List<SegmentMeta> all = new ArrayList<>(inputs);
        all.addAll(outputLevelInputs);
        return all;
    }

    public long inputBytes() {
        return allInputs().stream().mapToLong(SegmentMeta::fileBytes).sum();
    }
}
