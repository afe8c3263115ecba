package io.phantomdb.storage.segment;

import io.phantomdb.storage.CorruptionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A segment's bloom filter over user keys (engine keys minus their timestamp suffix), so a point read of
 * a key the segment lacks skips the index and data block entirely.
 *
 * <p>Block layout: {@code [bit array][u8 probe count]}. Probes use double hashing (Kirsch and
 * Mitzenmacher) from one 64-bit hash, {@link #hash64}: {@code h1} = low 32 bits, {@code h2} = high 32
 * bits, probe {@code i} in {@code 1..k} sets bit {@code nonNegative(h1 + i*h2) % bitCount}. The hash and
 * this rule are frozen by the format (see {@code docs/formats/segment.md}). Immutable and thread-safe
 * once built.
 */
final class BloomFilter {

    private static final long PRIME1 = 0x9E3779B185EBCA87L;
    private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME3 = 0x165667B19E3779F9L;
    private static final long PRIME4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONG_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    private final byte[] bits;
    private final int bitCount;
    private final int probes;

    private BloomFilter(byte[] bits, int bitCount, int probes) {
        this.bits = bits;
        this.bitCount = bitCount;
        this.probes = probes;
    }

    /**
     * 64-bit hash of {@code bytes[offset, offset+length)}: XXH64's short-input path (8-byte lanes, then a
     * 4-byte lane, then single bytes, then its avalanche) applied to every length, with big-endian lanes.
     * It is therefore not the published XXH64 for inputs of 32 bytes or more; it does not need to be, but
     * it must never change (filters on disk depend on it; a golden-value test pins it).
     */
    static long hash64(byte[] bytes, int offset, int length) {
        long h = SegmentFormat.BLOOM_HASH_SEED + PRIME5 + length;
        int p = offset;
        int end = offset + length;
        for (; p + 8 <= end; p += 8) {
            long lane = (long) LONG_BIG_ENDIAN.get(bytes, p);
            lane *= PRIME2;
            lane = Long.rotateLeft(lane, 31);
            lane *= PRIME1;
            h ^= lane;
            h = Long.rotateLeft(h, 27) * PRIME1 + PRIME4;
        }
        if (p + 4 <= end) {
            h ^= (((int) INT_BIG_ENDIAN.get(bytes, p)) & 0xFFFFFFFFL) * PRIME1;
            h = Long.rotateLeft(h, 23) * PRIME2 + PRIME3;
            p += 4;
        }
        for (; p < end; p++) {
            h ^= (bytes[p] & 0xFFL) * PRIME5;
            h = Long.rotateLeft(h, 11) * PRIME1;
        }
        h ^= h >>> 33;
        h *= PRIME2;
        h ^= h >>> 29;
        h *= PRIME3;
        h ^= h >>> 32;
        return h;
    }

    /** Probes that minimise the false-positive rate for {@code bitsPerKey}: bits * ln 2, in [1, max]. */
    static int probesFor(int bitsPerKey) {
        int probes = (int) Math.round(bitsPerKey * 0.69);
        return Math.max(1, Math.min(SegmentFormat.BLOOM_PROBES_MAX, probes));
    }

    /** Parses and checks a filter block (already checksum-verified). */
    static BloomFilter decode(byte[] block, Path path, long blockOffset) {
        if (block.length < 2) {
            throw new CorruptionException(path, blockOffset, "bloom filter block of " + block.length + " bytes");
        }
        int probes = block[block.length - 1] & 0xFF;
        if (probes < 1 || probes > SegmentFormat.BLOOM_PROBES_MAX) {
            throw new CorruptionException(path, blockOffset, "bloom filter probe count " + probes + " out of range");
        }
        long bitCount = (block.length - 1) * 8L;
        if (bitCount > SegmentFormat.BLOOM_BITS_MAX) {
            throw new CorruptionException(path, blockOffset, "bloom filter of " + bitCount + " bits is too large");
        }
        return new BloomFilter(block, (int) bitCount, probes);
    }

    boolean mayContain(byte[] userKey) {
        return mayContainHash(hash64(userKey, 0, userKey.length));
    }

    boolean mayContainHash(long hash) {
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        for (int i = 1; i <= probes; i++) {
            int combined = h1 + i * h2;
            int bit = (combined < 0 ? ~combined : combined) % bitCount;
            if ((bits[bit >>> 3] & (1 << (bit & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    int sizeBytes() {
        return bits.length;
    }

    /**
     * Collects the hashes of distinct user keys while a segment is written (8 bytes per key, instead of
     * keeping the keys), then sizes and fills the bit array once the key count is known. Not thread-safe.
     */
    static final class Builder {
        private final int bitsPerKey;
        private long[] hashes = new long[1024];
        private int count;

        Builder(int bitsPerKey) {
            if (bitsPerKey < 1 || bitsPerKey > SegmentFormat.BLOOM_BITS_PER_KEY_MAX) {
                throw new IllegalArgumentException("bloom bits per key must be in [1, "
                        + SegmentFormat.BLOOM_BITS_PER_KEY_MAX + "]: " + bitsPerKey);
            }
            this.bitsPerKey = bitsPerKey;
        }

        void addUserKey(byte[] bytes, int offset, int length) {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = hash64(bytes, offset, length);
        }

        /** Bytes {@link #finish()} would produce now. */
        long estimatedBytes() {
            return bitCountFor(count) / 8 + 1;
        }

        private long bitCountFor(int keys) {
            long wanted = Math.max(SegmentFormat.BLOOM_BITS_MIN, (long) keys * bitsPerKey);
            return Math.min(SegmentFormat.BLOOM_BITS_MAX, (wanted + 7) & ~7L);
        }

        /** The filter block: bit array, then the probe count byte. */
        byte[] finish() {
            int bitCount = (int) bitCountFor(count);
            int probes = probesFor(bitsPerKey);
            byte[] block = new byte[bitCount / 8 + 1];
            for (int k = 0; k < count; k++) {
                int h1 = (int) hashes[k];
                int h2 = (int) (hashes[k] >>> 32);
                for (int i = 1; i <= probes; i++) {
                    int combined = h1 + i * h2;
                    int bit = (combined < 0 ? ~combined : combined) % bitCount;
                    block[bit >>> 3] |= (byte) (1 << (bit & 7));
                }
            }
            block[block.length - 1] = (byte) probes;
            return block;
        }
    }
}
