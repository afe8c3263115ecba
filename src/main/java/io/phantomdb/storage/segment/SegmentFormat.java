package io.phantomdb.storage.segment;

import java.util.OptionalLong;

/**
 * Constants of the segment file format (Phantom-DB's SSTable). The byte layout, with a file map, is in
 * {@code docs/formats/segment.md}; this class and that document must agree.
 *
 * <p>Every value here that reaches disk is frozen: a file written today must stay readable. A change to
 * the layout bumps {@link #FORMAT_VERSION}; retired numbers stay retired (comment them, never reuse).
 */
public final class SegmentFormat {

    /** Last 8 bytes of every segment: ASCII "PHDBSEG1". Tells a segment apart from a stray or torn file. */
    public static final long MAGIC = 0x5048_4442_5345_4731L;

    /** Layout version in the footer. 1 = this document's layout. A reader rejects versions it does not know. */
    public static final int FORMAT_VERSION = 1;

    /** File name suffix: {@code 000042.seg}. */
    public static final String FILE_SUFFIX = ".seg";

    /** Zero-padded width of the number in a file name, so that names sort like numbers in a listing. */
    public static final int FILE_NUMBER_DIGITS_MIN = 6;

    /** A block handle on disk: u64 offset + u32 stored size (size excludes the trailer). */
    public static final int BLOCK_HANDLE_BYTES = 8 + 4;

    /** After every stored block: u8 compression code + u32 masked CRC32C over stored bytes and that code. */
    public static final int BLOCK_TRAILER_BYTES = 1 + 4;

    /** Block suffix: u32 entry offsets (one per entry), then a u32 entry count. */
    public static final int ENTRY_OFFSET_BYTES = 4;
    public static final int ENTRY_COUNT_BYTES = 4;

    /** Default target size of a data block before compression (EngineOptions.blockBytes). */
    public static final int BLOCK_BYTES_DEFAULT = 16 * 1024;

    /**
     * Largest key plus value of one entry. A block holds at least one whole entry, so this bounds a block
     * and keeps every in-block offset inside a u32 and every block inside one Java array.
     */
    public static final int ENTRY_BYTES_MAX = 1 << 30;

    /**
     * LZ4 output is kept only when it saves at least 1/8 (12.5%) of the block: below that the CPU spent
     * decompressing every cache miss buys too little disk and page-cache space (LevelDB uses the same rule).
     */
    public static final int COMPRESSION_SAVINGS_DIVISOR = 8;

    /**
     * LZ4 cannot expand data more than 255:1 (a match length byte covers at most 255 bytes). A stored
     * decoded length beyond that is corrupt, and the bound stops a flipped length from allocating GiBs.
     */
    public static final int LZ4_EXPANSION_RATIO_MAX = 255;

    /** Bloom filter bits per key accepted by the writer (EngineOptions allows [0, 32]; 0 = no filter). */
    public static final int BLOOM_BITS_PER_KEY_MAX = 32;

    /** Bloom probes: more than 30 never pays at up to 32 bits/key (optimum is bits * ln 2 = 22). */
    public static final int BLOOM_PROBES_MAX = 30;

    /** Bloom bit arrays are at least this long, so that a tiny segment does not get a useless 1-byte filter. */
    public static final int BLOOM_BITS_MIN = 64;

    /** Bloom bit arrays are addressed with a non-negative int. */
    public static final int BLOOM_BITS_MAX = Integer.MAX_VALUE - 7;

    /** Seed of the bloom filter's 64-bit hash. Frozen: changing it invalidates every filter on disk. */
    public static final long BLOOM_HASH_SEED = 0x7068_616e_746f_6d31L;

    // Footer fields, in order. The footer is the last FOOTER_BYTES of the file.
    static final int FOOTER_INDEX_HANDLE_OFFSET = 0;
    static final int FOOTER_BLOOM_HANDLE_OFFSET = FOOTER_INDEX_HANDLE_OFFSET + BLOCK_HANDLE_BYTES;
    static final int FOOTER_PROPERTIES_HANDLE_OFFSET = FOOTER_BLOOM_HANDLE_OFFSET + BLOCK_HANDLE_BYTES;
    static final int FOOTER_ENTRY_COUNT_OFFSET = FOOTER_PROPERTIES_HANDLE_OFFSET + BLOCK_HANDLE_BYTES;
    static final int FOOTER_MIN_TIMESTAMP_OFFSET = FOOTER_ENTRY_COUNT_OFFSET + 8;
    static final int FOOTER_MAX_TIMESTAMP_OFFSET = FOOTER_MIN_TIMESTAMP_OFFSET + 8;
    static final int FOOTER_VERSION_OFFSET = FOOTER_MAX_TIMESTAMP_OFFSET + 8;
    static final int FOOTER_CRC_OFFSET = FOOTER_VERSION_OFFSET + 4;
    static final int FOOTER_MAGIC_OFFSET = FOOTER_CRC_OFFSET + 4;

    /**
     * Fixed footer size: three block handles (index, bloom, properties), u64 entry count, u64 min and
     * u64 max timestamp, u32 format version, u32 masked CRC32C of the bytes before it, u64 magic.
     */
    public static final int FOOTER_BYTES = 3 * BLOCK_HANDLE_BYTES + 8 + 8 + 8 + 4 + 4 + 8;

    static {
        // Relationships between constants, checked once at class load (TigerBeetle's comptime checks).
        check(FOOTER_MAGIC_OFFSET + 8 == FOOTER_BYTES, "footer fields must tile the footer exactly");
        check(FOOTER_BYTES == 76, "footer size is frozen at 76 bytes by format version 1");
        check(BLOCK_TRAILER_BYTES == 5, "block trailer is frozen at 5 bytes by format version 1");
        check(BLOCK_BYTES_DEFAULT <= ENTRY_BYTES_MAX, "a default block must fit the entry bound");
        check(BLOOM_PROBES_MAX < 256, "probe count is stored in one byte");
        check(BLOOM_BITS_MIN % 8 == 0, "bloom minimum must be whole bytes");
        check(BLOOM_BITS_MAX % 8 == 0, "bloom maximum must be whole bytes");
    }

    private SegmentFormat() {}

    private static void check(boolean condition, String rule) {
        if (!condition) {
            throw new IllegalStateException("SegmentFormat constants broken: " + rule);
        }
    }

    /** The file name of segment {@code fileNumber}: {@code String.format("%06d.seg", n)}. */
    public static String fileName(long fileNumber) {
        if (fileNumber < 0) {
            throw new IllegalArgumentException("file number must be >= 0: " + fileNumber);
        }
        return String.format("%06d%s", fileNumber, FILE_SUFFIX);
    }

    /**
     * The number of a segment file name, or empty if {@code name} is not exactly what {@link #fileName}
     * would produce (so "1.seg", "0000001.seg" and "000001.seg.tmp" are all rejected).
     */
    public static OptionalLong parseFileNumber(String name) {
        if (name == null || !name.endsWith(FILE_SUFFIX)) {
            return OptionalLong.empty();
        }
        String digits = name.substring(0, name.length() - FILE_SUFFIX.length());
        if (digits.length() < FILE_NUMBER_DIGITS_MIN || digits.length() > 19) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
        // Canonical form only: one file number has exactly one name.
        return fileName(number).equals(name) ? OptionalLong.of(number) : OptionalLong.empty();
    }
}
