package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.storage.codec.ByteCoding;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Goal: file names and frozen format constants never drift from {@code docs/formats/segment.md}.
 *
 * <p>Method: round-trip names, reject every non-canonical spelling, and pin the constants that reach
 * disk to the values the document gives.
 */
class SegmentFormatTest {

    @Test
    void fileNamesRoundTripInCanonicalFormOnly() {
        assertEquals("000042.seg", SegmentFormat.fileName(42));
        assertEquals("1234567.seg", SegmentFormat.fileName(1_234_567));
        assertEquals(OptionalLong.of(42), SegmentFormat.parseFileNumber("000042.seg"));
        assertEquals(OptionalLong.of(0), SegmentFormat.parseFileNumber("000000.seg"));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), SegmentFormat.parseFileNumber(SegmentFormat.fileName(Long.MAX_VALUE)));
        for (String bad : new String[] {"42.seg", "0000042.seg", "000042.seg.tmp", "00004x.seg", "000042.log",
                "-00042.seg", ".seg", "99999999999999999999.seg", "MANIFEST-000001"}) {
            assertEquals(OptionalLong.empty(), SegmentFormat.parseFileNumber(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentFormat.fileName(-1));
    }

    @Test
    void frozenConstantsMatchTheFormatDocument() {
        assertEquals("PHDBSEG1", new String(longBytes(SegmentFormat.MAGIC), StandardCharsets.US_ASCII));
        assertEquals(1, SegmentFormat.FORMAT_VERSION);
        assertEquals(76, SegmentFormat.FOOTER_BYTES);
        assertEquals(5, SegmentFormat.BLOCK_TRAILER_BYTES);
        assertEquals(64, SegmentFormat.FOOTER_CRC_OFFSET);
        assertEquals(68, SegmentFormat.FOOTER_MAGIC_OFFSET);
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        ByteCoding.putLong(bytes, 0, value);
        return bytes;
    }
}
