package io.phantomdb.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link RowCodec} writes exactly the bytes docs/formats/rows.md specifies, reads rows written with fewer
 * columns (before an ADD COLUMN) with NULLs in the new columns, rejects values that break the DataType
 * invariant when writing, and reports every kind of malformed value as DATA_CORRUPTED (XX001) when reading.
 *
 * <p>Method: golden byte strings (the examples of rows.md) and one hand-made malformed input per rule of the
 * decoder. Random rows, truncation and bit flips are covered by {@link RowCodecPropertiesTest}.
 */
class RowCodecTest {

    private static final DataType[] EXAMPLE_TYPES = {DataType.INTEGER, DataType.VARCHAR, DataType.BOOLEAN,
        DataType.DECIMAL, DataType.DATE};
    private static final Object[] EXAMPLE_ROW = {1, "hé", null, new BigDecimal("12.50"), LocalDate.of(2024, 1, 15)};
    /** The example of rows.md, field by field. */
    private static final String EXAMPLE_HEX = "01" + "05" + "04" + "00000001" + "0368c3a9" + "04" + "0204e2"
            + "00004d19";

    @Test
    void decodingOnlyWantedColumnsSkipsTheOthersAndKeepsPositions() {
        DataType[] types = {DataType.INTEGER, DataType.VARCHAR, DataType.DECIMAL, DataType.BYTEA, DataType.DOUBLE};
        Object[] row = {7, "text", new BigDecimal("-12.50"), new byte[] {1, 2}, 2.5};
        byte[] bytes = RowCodec.encode(row, types);
        Object[] narrow = RowCodec.decode(bytes, types, new boolean[] {false, false, true, false, true});
        assertArrayEquals(new Object[] {null, null, new BigDecimal("-12.50"), null, 2.5}, narrow);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 9);
        assertEquals(SqlState.DATA_CORRUPTED, assertThrows(PhantomSqlException.class,
                () -> RowCodec.decode(truncated, types, new boolean[] {true, false, false, false, false})).state(),
                "skipped columns are still length-checked");
    }

    @Test
    void encodesTheDocumentedExample() {
        assertEquals(EXAMPLE_HEX, hex(RowCodec.encode(EXAMPLE_ROW, EXAMPLE_TYPES)));
        assertArrayEquals(EXAMPLE_ROW, RowCodec.decode(bytes(EXAMPLE_HEX), EXAMPLE_TYPES));
    }

    @Test
    void encodesEachFixedWidthTypeBigEndian() {
        DataType[] types = {DataType.SMALLINT, DataType.BIGINT, DataType.REAL, DataType.DOUBLE, DataType.BOOLEAN,
            DataType.TIMESTAMP, DataType.TIMESTAMP, DataType.BYTEA, DataType.VARCHAR};
        Object[] row = {(short) -2, Long.MIN_VALUE, -0.0f, 1.0, true,
            LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
            new byte[0], ""};
        String expected = "01" + "09" + "0000" /* bitmap: 9 columns -> 2 bytes */ + "fffe" + "8000000000000000"
                + "80000000" + "3ff0000000000000" + "01" + "0000000000000001" + "ffffffffffffffff" + "00" + "00";
        assertEquals(expected, hex(RowCodec.encode(row, types)));
    }

    @Test
    void nullBitmapIsLeastSignificantBitFirst() {
        DataType[] types = new DataType[10];
        java.util.Arrays.fill(types, DataType.BOOLEAN);
        Object[] row = {null, false, false, false, false, false, false, false, false, null};
        // column 0 -> bit 0 of byte 0; column 9 -> bit 1 of byte 1
        assertEquals("010a" + "01" + "02" + "0000000000000000", hex(RowCodec.encode(row, types)));
    }

    @Test
    void decimalKeepsItsScaleAndNegativeScales() {
        DataType[] types = {DataType.DECIMAL, DataType.DECIMAL, DataType.DECIMAL};
        Object[] row = {new BigDecimal("1.50"), new BigDecimal("1.5"), new BigDecimal("1E+3")};
        Object[] decoded = RowCodec.decode(RowCodec.encode(row, types), types);
        assertArrayEquals(row, decoded, "BigDecimal.equals compares the scale too");
        assertEquals("01" + "03" + "00" + "04" + "020096" + "02" + "010f" + "05" + "0101",
                hex(RowCodec.encode(row, types)));
    }

    @Test
    void rowsWrittenWithFewerColumnsGetNullsForTheNewOnes() {
        byte[] old = RowCodec.encode(new Object[] {7, "x"}, new DataType[] {DataType.INTEGER, DataType.VARCHAR});
        Object[] row = RowCodec.decode(old, new DataType[] {DataType.INTEGER, DataType.VARCHAR, DataType.BIGINT,
            DataType.BOOLEAN});
        assertArrayEquals(new Object[] {7, "x", null, null}, row);
    }

    @Test
    void rowsWithMoreColumnsThanTheTypesAreCorrupt() {
        byte[] bytes = RowCodec.encode(new Object[] {7, 8}, new DataType[] {DataType.INTEGER, DataType.INTEGER});
        corrupt(bytes, new DataType[] {DataType.INTEGER});
    }

    @Test
    void aRowWithoutColumnsIsTwoBytes() {
        assertEquals("0100", hex(RowCodec.encode(new Object[0], new DataType[0])));
        assertArrayEquals(new Object[] {null}, RowCodec.decode(bytes("0100"), new DataType[] {DataType.INTEGER}));
    }

    // ---------------------------------------------------------------- encode rejects invariant violations

    @Test
    void encodeRejectsValuesOfTheWrongClass() {
        assertRejected(new Object[] {1L}, DataType.INTEGER);
        assertRejected(new Object[] {1}, DataType.BIGINT);
        assertRejected(new Object[] {1}, DataType.SMALLINT);
        assertRejected(new Object[] {1.0}, DataType.REAL);
        assertRejected(new Object[] {1.0f}, DataType.DOUBLE);
        assertRejected(new Object[] {1}, DataType.DECIMAL);
        assertRejected(new Object[] {new StringBuilder("x")}, DataType.VARCHAR);
        assertRejected(new Object[] {"true"}, DataType.BOOLEAN);
        assertRejected(new Object[] {LocalDateTime.of(2020, 1, 1, 0, 0)}, DataType.DATE);
        assertRejected(new Object[] {LocalDate.of(2020, 1, 1)}, DataType.TIMESTAMP);
        assertRejected(new Object[] {new Byte[0]}, DataType.BYTEA);
    }

    @Test
    void encodeRejectsValuesWithoutAnEncoding() {
        assertRejected(new Object[] {"a\uD800b"}, DataType.VARCHAR);
        assertRejected(new Object[] {LocalDateTime.of(2020, 1, 1, 0, 0, 0, 1)}, DataType.TIMESTAMP);
        assertRejected(new Object[] {LocalDateTime.MAX}, DataType.TIMESTAMP);
        assertRejected(new Object[] {LocalDate.MAX}, DataType.DATE);
        assertThrows(IllegalArgumentException.class,
                () -> RowCodec.encode(new Object[] {1, 2}, new DataType[] {DataType.INTEGER}));
    }

    // ---------------------------------------------------------------- decode reports corruption

    @Test
    void decodeRejectsMalformedHeaders() {
        DataType[] types = {DataType.INTEGER};
        corrupt("", types);
        corrupt("00", types); // zero-filled
        corrupt("02" + "01" + "00" + "00000001", types); // unknown version
        corrupt("01" + "8100" + "00" + "00000001", types); // non-minimal column count
        corrupt("01" + "01" + "02" + "00000001", types); // bitmap bit past the last column
        corrupt("01" + "01" + "00" + "00000001" + "00", types); // trailing byte
        corrupt("01" + "ffffffffffffffffff7f", types); // varint beyond 64 bits
    }

    @Test
    void decodeRejectsMalformedValues() {
        corrupt("01" + "01" + "00" + "02", new DataType[] {DataType.BOOLEAN});
        corrupt("01" + "01" + "00" + "02c080", new DataType[] {DataType.VARCHAR}); // overlong NUL
        corrupt("01" + "01" + "00" + "03eda080", new DataType[] {DataType.VARCHAR}); // encoded surrogate
        corrupt("01" + "01" + "00" + "00" + "020001", new DataType[] {DataType.DECIMAL}); // redundant 0x00
        corrupt("01" + "01" + "00" + "00" + "02ff80", new DataType[] {DataType.DECIMAL}); // redundant 0xff
        corrupt("01" + "01" + "00" + "00" + "00", new DataType[] {DataType.DECIMAL}); // no digits
        corrupt("01" + "01" + "00" + "8080808010" + "0101", new DataType[] {DataType.DECIMAL}); // scale > int
        corrupt("01" + "01" + "00" + "ffffffff0f" + "00", new DataType[] {DataType.BYTEA}); // length past the end
    }

    @Test
    void stringsEncodeAsTheirExactUtf8WhateverTheirCharacters() {
        // ASCII and surrogate-free strings take the getBytes / one-byte-per-char paths, strings with surrogate
        // pairs the strict encoder: every one must write exactly its UTF-8 and read back equal.
        for (String s : new String[] {"", "plain ascii 0123", "x".repeat(300), "caf\u00e9", "\u00ff\u0080",
            "\u4e2d\u6587", "emoji \uD83D\uDE00 pair", "\u007f\u0000"}) {
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] row = RowCodec.encode(new Object[] {s}, new DataType[] {DataType.VARCHAR});
            assertArrayEquals(utf8, java.util.Arrays.copyOfRange(row, row.length - utf8.length, row.length), s);
            assertEquals(s, RowCodec.decode(row, new DataType[] {DataType.VARCHAR})[0]);
        }
        assertRejected(new Object[] {"ends with a lone high surrogate \uD800"}, DataType.VARCHAR);
        assertRejected(new Object[] {"\uDC00 lone low surrogate first"}, DataType.VARCHAR);
        corrupt("01" + "01" + "00" + "03" + "61ff62", new DataType[] {DataType.VARCHAR}); // 0xff is never UTF-8
        corrupt("01" + "01" + "00" + "02" + "61c3", new DataType[] {DataType.VARCHAR}); // truncated sequence
    }

    @Test
    void corruptionErrorsNameTheOffset() {
        PhantomSqlException e = assertThrows(PhantomSqlException.class,
                () -> RowCodec.decode(bytes("01" + "01" + "00" + "05"), new DataType[] {DataType.BOOLEAN}));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains("at byte 3"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRejected(Object[] row, DataType type) {
        assertThrows(IllegalArgumentException.class, () -> RowCodec.encode(row, new DataType[] {type}),
                () -> type + " " + row[0]);
    }

    private static void corrupt(String hex, DataType[] types) {
        corrupt(bytes(hex), types);
    }

    private static void corrupt(byte[] bytes, DataType[] types) {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> RowCodec.decode(bytes, types),
                () -> "decoded " + hex(bytes));
        assertEquals(SqlState.DATA_CORRUPTED, e.state(), e.getMessage());
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
