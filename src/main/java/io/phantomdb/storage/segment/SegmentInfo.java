package io.phantomdb.storage.segment;

/**
 * What {@link SegmentWriter#finish()} wrote: the summary the manifest records for the new segment.
 *
 * @param fileBytes size of the finished file
 * @param entryCount entries (versions and tombstones) in the file, at least 1
 * @param smallestKey first engine key in the file
 * @param largestKey last engine key in the file
 * @param minTimestamp oldest entry timestamp in the file
 * @param maxTimestamp newest entry timestamp in the file
 */
public record SegmentInfo(long fileBytes, long entryCount, byte[] smallestKey, byte[] largestKey, long minTimestamp,
        long maxTimestamp) {}
