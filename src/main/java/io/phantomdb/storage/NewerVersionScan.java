package io.phantomdb.storage;

import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;

/**
 * The loop behind {@link Engine#changedAfter}: walks every version (tombstones included) of a merged
 * stream over {@code [low, high)} and stops at the first one committed after a timestamp.
 */
final class NewerVersionScan {

    private NewerVersionScan() {}

    /** True when {@code input} holds a version in {@code [low, high)} (null = unbounded) newer than {@code timestamp}. */
    static boolean anyNewer(InternalIterator input, byte[] low, byte[] high, long timestamp) {
        if (low == null) {
            input.seekToFirst();
        } else {
            input.seek(InternalKey.seekKey(low));
        }
        while (input.valid()) {
            byte[] key = input.key();
            if (high != null && InternalKey.compareUserKey(key, high) >= 0) {
                return false;
            }
            if (InternalKey.timestamp(key) > timestamp) {
                return true;
            }
            // Versions of a user key arrive newest first, so once the first (newest) one is not newer
            // than timestamp none of the rest is either: testing each entry gives the same answer as
            // skipping the rest of the key, and costs the same next() calls as stepping over them.
            input.next();
        }
        return false;
    }
}
