package io.phantomdb.exec.scan;

import java.util.List;

/**
 * How a scan reaches a table's rows, chosen by the planner (EXPLAIN prints it):
 * <ul>
 *   <li>{@link FullScan}: every row of the chosen partitions, in primary-key order within each partition;</li>
 *   <li>{@link KeyLookup}: rows by complete primary keys (each key names its one partition);</li>
 *   <li>{@link IndexRange}: a byte range of the primary index (id 0) or a secondary index, read in every
 *       chosen partition; a secondary index entry is followed to its row in the same partition.</li>
 * </ul>
 * Keys and bounds are already encoded (catalog.TableKeys); a null bound is open.
 */
public sealed interface AccessPath {
    record FullScan() implements AccessPath {}

    record KeyLookup(List<byte[]> rowKeys) implements AccessPath {}

    record IndexRange(int indexId, byte[] low, byte[] high) implements AccessPath {}
}
