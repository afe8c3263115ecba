package io.phantomdb.storage.manifest;

import io.phantomdb.storage.key.InternalKey;

/**
 * What the manifest records about one segment file. Keys are engine keys (user key + timestamp).
 *
 * @param fileNumber names the file ({@code %06d.seg})
 * @param fileBytes size of the file
 * @param entryCount entries (versions and tombstones) in the file
 * @param smallestKey first engine key in the file
 * @param largestKey last engine key in the file
 * @param minTimestamp lowest version timestamp in the file
 * @param maxTimestamp highest version timestamp in the file
 */
public record SegmentMeta(long fileNumber, long fileBytes, long entryCount, byte[] smallestKey, byte[] largestKey,
        long minTimestamp, long maxTimestamp) {

    /** True when the user-key range of this file intersects {@code [lowUserKey, highUserKey]} (inclusive). */
    public boolean overlapsUserKeys(byte[] lowUserKey, byte[] highUserKey) {
        return InternalKey.compareUserKey(largestKey, lowUserKey) >= 0
                && InternalKey.compareUserKey(smallestKey, highUserKey) <= 0;
    }

    public byte[] smallestUserKey() {
        return InternalKey.userKey(smallestKey);
    }

    public byte[] largestUserKey() {
        return InternalKey.userKey(largestKey);
    }

    @Override
    public String toString() {
        return "#" + fileNumber + "[" + InternalKey.describe(smallestKey) + " .. " + InternalKey.describe(largestKey)
                + ", " + fileBytes + " B]";
    }
}
