package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.segment.SegmentTestData.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: damaged segment bytes are always reported as {@link CorruptionException} naming the file and an
 * offset inside it, and never come back as data.
 *
 * <p>Method: write a small segment, then damage one region at a time (a data block, its trailer, the
 * index, the bloom filter, the properties, the footer), including an exhaustive pass that flips one bit
 * in every byte of the file and reads everything back. A second group rewrites a block with a valid CRC
 * around bad contents (unknown compression code, wrong LZ4 length, malformed entry), which only the
 * structural checks can catch.
 */
class SegmentCorruptionTest {

    private static final long FILE_NUMBER = 3;

    @TempDir
    Path dir;

    private Path path;
    private TreeMap<byte[], Entry> model;

    @BeforeEach
    void setUp() {
        path = dir.resolve(SegmentFormat.fileName(FILE_NUMBER));
        model = SegmentTestData.sequentialModel(60, 20);
    }

    private SegmentReader open() {
        return SegmentReader.open(RealFileSystem.INSTANCE, path, FILE_NUMBER, new BlockCache(0));
    }

    /** Opens the file and reads every entry, by scan and by point read. */
    private void readEverything() {
        try (SegmentReader reader = open(); InternalIterator it = reader.newIterator()) {
            it.seekToFirst();
            for (Map.Entry<byte[], Entry> expected : model.entrySet()) {
                assertTrue(it.valid());
                assertArrayEquals(expected.getKey(), it.key(), "wrong key returned from damaged file");
                assertArrayEquals(expected.getValue().value(), it.value(), "wrong value returned from damaged file");
                it.next();
            }
            for (Map.Entry<byte[], Entry> expected : model.entrySet()) {
                SegmentReader.Lookup found = reader.get(InternalKey.userKey(expected.getKey()), InternalKey.MAX_TIMESTAMP);
                assertArrayEquals(expected.getValue().value(), found.value(), "wrong value returned from damaged file");
            }
        }
    }

    private CorruptionException assertCorruption(Executable action) {
        CorruptionException e = assertThrows(CorruptionException.class, action);
        assertEquals(path, e.file());
        assertTrue(e.offset() >= 0 && e.offset() < path.toFile().length(), "offset inside the file: " + e.offset());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        return e;
    }

    private void flipBit(long offset, int bit) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        bytes[(int) offset] ^= (byte) (1 << bit);
        Files.write(path, bytes);
    }

    private Footer footer() {
        try (SegmentReader reader = open()) {
            return reader.footer();
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void flippedBitInEveryByteIsDetected(Compression compression) throws IOException {
        model = SegmentTestData.sequentialModel(30, 20); // several blocks, yet few bytes to flip
        SegmentTestData.write(path, model, 256, compression, 10);
        byte[] pristine = Files.readAllBytes(path);
        readEverything();
        for (int offset = 0; offset < pristine.length; offset++) {
            byte[] damaged = pristine.clone();
            damaged[offset] ^= (byte) (1 << (offset % 8));
            Files.write(path, damaged);
            int at = offset;
            try {
                readEverything();
                fail("flipped bit at " + at + " of " + pristine.length + " went unnoticed");
            } catch (CorruptionException e) {
                assertEquals(path, e.file());
                assertTrue(e.offset() >= 0 && e.offset() < pristine.length, "offset " + e.offset());
            }
        }
    }

    @Test
    void flippedBitInDataBlockFailsReadsOfThatBlockAtItsOffset() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        BlockHandle second;
        try (SegmentReader reader = open()) {
            assertTrue(reader.dataBlockCount() > 2);
            second = reader.dataBlockHandle(1);
        }
        flipBit(second.offset() + 5, 3);
        try (SegmentReader reader = open()) { // the footer, index and bloom are intact: open succeeds
            byte[] firstUserKey = InternalKey.userKey(model.firstKey());
            assertArrayEquals(model.firstEntry().getValue().value(), reader.get(firstUserKey, 1000).value());
            byte[] lastKeyOfSecond;
            try (SegmentReader pristineIndex = open()) {
                lastKeyOfSecond = pristineIndex.indexBlock().key(1);
            }
            CorruptionException e = assertCorruption(() -> reader.get(InternalKey.userKey(lastKeyOfSecond), 1000));
            assertEquals(second.offset(), e.offset());
            InternalIterator it = reader.newIterator();
            it.seekToFirst();
            CorruptionException scan = assertCorruption(() -> {
                while (it.valid()) {
                    it.next();
                }
            });
            assertEquals(second.offset(), scan.offset());
        }
    }

    @Test
    void flippedBitInBlockTrailerIsDetected() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        BlockHandle first;
        try (SegmentReader reader = open()) {
            first = reader.dataBlockHandle(0);
        }
        flipBit(first.offset() + first.size(), 1); // the compression code byte
        assertEquals(first.offset(), assertCorruption(this::readEverything).offset());
    }

    @Test
    void flippedBitInIndexFailsOpenAtTheIndexOffset() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.LZ4, 10);
        BlockHandle index = footer().index();
        flipBit(index.offset() + index.size() / 2, 6);
        assertEquals(index.offset(), assertCorruption(this::open).offset());
    }

    @Test
    void flippedBitInBloomFilterFailsOpenAtTheBloomOffset() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.LZ4, 10);
        BlockHandle bloom = footer().bloom();
        flipBit(bloom.offset() + 1, 0);
        assertEquals(bloom.offset(), assertCorruption(this::open).offset());
    }

    @Test
    void flippedBitInPropertiesFailsOpenAtThePropertiesOffset() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.LZ4, 10);
        BlockHandle properties = footer().properties();
        flipBit(properties.offset() + 2, 2);
        assertEquals(properties.offset(), assertCorruption(this::open).offset());
    }

    @Test
    void flippedBitInFooterFailsOpenInsideTheFooter() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.LZ4, 10);
        long footerOffset = path.toFile().length() - SegmentFormat.FOOTER_BYTES;
        byte[] pristine = Files.readAllBytes(path);
        for (int i = 0; i < SegmentFormat.FOOTER_BYTES; i++) {
            Files.write(path, pristine);
            flipBit(footerOffset + i, i % 8);
            CorruptionException e = assertCorruption(this::open);
            assertTrue(e.offset() >= footerOffset, "footer damage reported at " + e.offset());
        }
    }

    @Test
    void truncatedFileFailsOpen() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        byte[] pristine = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(pristine, pristine.length - 1));
        assertCorruption(this::open);
        Files.write(path, java.util.Arrays.copyOf(pristine, SegmentFormat.FOOTER_BYTES - 1));
        assertEquals(0, assertCorruption(this::open).offset());
    }

    @Test
    void unknownCompressionCodeWithValidChecksumIsCorruption() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        rewriteFirstDataBlock((stored, trailer) -> trailer[0] = 7);
        CorruptionException e = assertCorruption(this::readEverything);
        assertTrue(e.getMessage().contains("compression"), e.getMessage());
    }

    @Test
    void wrongDecompressedLengthWithValidChecksumIsCorruption() throws IOException {
        model = SegmentTestData.sequentialModel(200, 40);
        SegmentTestData.write(path, model, 4096, Compression.LZ4, 10);
        rewriteFirstDataBlock((stored, trailer) -> {
            assertEquals(Compression.LZ4.code(), trailer[0], "test needs a compressed first block");
            long rawLength = new ByteCoding.Reader(stored).varLong();
            assertEquals(ByteCoding.varLongSize(rawLength), ByteCoding.varLongSize(rawLength + 1));
            ByteCoding.putVarLong(stored, 0, rawLength + 1);
        });
        CorruptionException e = assertCorruption(this::readEverything);
        assertTrue(e.getMessage().contains("LZ4"), e.getMessage());
    }

    @Test
    void malformedEntryWithValidChecksumIsCorruption() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        rewriteFirstDataBlock((stored, trailer) -> {
            ByteCoding.Reader reader = new ByteCoding.Reader(stored);
            reader.varLong();
            reader.varLong();
            stored[reader.position()] = 9; // the first entry's kind: no such ValueKind
        });
        CorruptionException e = assertCorruption(this::readEverything);
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("malformed entry"), e.getMessage());
    }

    @Test
    void outOfOrderEntriesWithValidChecksumAreCorruption() throws IOException {
        SegmentTestData.write(path, model, 256, Compression.NONE, 10);
        rewriteFirstDataBlock((stored, trailer) -> {
            // Each key is "key-%08d" + suffix; raise the first key's last digit so it sorts after the second.
            ByteCoding.Reader reader = new ByteCoding.Reader(stored);
            reader.varLong();
            reader.varLong();
            stored[reader.position() + 1 + 11] = '9';
        });
        CorruptionException e = assertCorruption(this::readEverything);
        assertTrue(e.getMessage().contains("not after"), e.getMessage());
    }

    private interface BlockEdit {
        void apply(byte[] stored, byte[] trailer);
    }

    /** Edits the first data block in place, same size, and writes a CRC that matches the edited bytes. */
    private void rewriteFirstDataBlock(BlockEdit edit) throws IOException {
        BlockHandle first;
        try (SegmentReader reader = open()) {
            first = reader.dataBlockHandle(0);
        }
        byte[] bytes = Files.readAllBytes(path);
        int start = (int) first.offset();
        byte[] stored = java.util.Arrays.copyOfRange(bytes, start, start + first.size());
        byte[] trailer = java.util.Arrays.copyOfRange(bytes, start + first.size(), (int) first.end());
        edit.apply(stored, trailer);
        ByteCoding.putInt(trailer, 1, SegmentWriter.blockChecksum(stored, stored.length, trailer[0]));
        System.arraycopy(stored, 0, bytes, start, stored.length);
        System.arraycopy(trailer, 0, bytes, start + stored.length, trailer.length);
        Files.write(path, bytes);
    }
}
