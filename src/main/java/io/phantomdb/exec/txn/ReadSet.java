package io.phantomdb.exec.txn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What a SERIALIZABLE transaction read in one partition: point keys and scanned key ranges. Bounded: past
 * {@code keysMax} entries it degrades to "the whole partition", which is still correct (validation may then
 * report a conflict that a finer record would not).
 */
final class ReadSet {
    private final int keysMax;
    private final TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
    /** Pairs [low, high) with null = open. */
    private final List<byte[][]> ranges = new ArrayList<>();
    private boolean whole;

    ReadSet(int keysMax) {
        this.keysMax = keysMax;
    }

    synchronized void key(byte[] key) {
        if (!whole && keys.add(key) && size() > keysMax) {
            degrade();
        }
    }

    synchronized void range(byte[] low, byte[] high) {
        if (!whole) {
            ranges.add(new byte[][] {low, high});
            if (size() > keysMax) {
                degrade();
            }
        }
    }

    private int size() {
        return keys.size() + ranges.size();
    }

    private void degrade() {
        whole = true;
        keys.clear();
        ranges.clear();
    }

    /** The ranges to validate: every point key as [key, key+0x00), then the scanned ranges. */
    synchronized List<byte[][]> toRanges() {
        if (whole) {
            return List.<byte[][]>of(new byte[][] {null, null});
        }
        List<byte[][]> out = new ArrayList<>(keys.size() + ranges.size());
        for (byte[] key : keys) {
            out.add(new byte[][] {key, successor(key)});
        }
        out.addAll(ranges);
        return out;
    }

    /** The smallest key greater than {@code key}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
