package io.phantomdb.storage.codec;

import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli; hardware-accelerated in the JDK) for every checksum Phantom-DB writes. Stored
 * checksums are masked as in LevelDB, so that a checksum of data that itself contains checksums is not
 * trivially related to them.
 */
public final class Checksums {

    private static final int MASK_DELTA = 0xa282ead8;

    private Checksums() {}

    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Masked CRC32C of {@code bytes[offset, offset+length)}: what is stored on disk. */
    public static int masked(byte[] bytes, int offset, int length) {
        return mask(crc32c(bytes, offset, length));
    }

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
