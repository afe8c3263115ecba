package io.phantomdb.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the writer enforces its contract (strict key order, no empty segments, clean abandon), reports
 * what it wrote, estimates its size well enough to split compaction output, and applies the compression
 * rule (LZ4 only when it saves at least 12.5%).
 *
 * <p>Method: drive {@link SegmentWriter} directly and inspect the resulting file through the reader's
 * package-private view of block handles and trailers.
 */
class SegmentWriterTest {

    @TempDir
    Path dir;

    private Path path() {
        return dir.resolve(SegmentFormat.fileName(9));
    }

    private SegmentWriter writer(int blockBytes, Compression compression) {
        return new SegmentWriter(RealFileSystem.INSTANCE, path(), blockBytes, compression, 10);
    }

    @Test
    void rejectsKeysThatAreNotStrictlyIncreasing() {
        SegmentWriter writer = writer(1024, Compression.NONE);
        byte[] newer = InternalKey.encode(new byte[] {'k'}, 20);
        byte[] older = InternalKey.encode(new byte[] {'k'}, 10);
        writer.add(newer, ValueKind.PUT, new byte[0]);
        writer.add(older, ValueKind.PUT, new byte[0]);
        assertThrows(IllegalStateException.class, () -> writer.add(older, ValueKind.PUT, new byte[0]), "equal key");
        assertThrows(IllegalStateException.class, () -> writer.add(newer, ValueKind.PUT, new byte[0]), "newer after older");
        assertThrows(IllegalStateException.class,
                () -> writer.add(InternalKey.encode(new byte[0], 5), ValueKind.PUT, new byte[0]), "smaller user key");
        assertEquals(2, writer.entryCount());
        writer.abandon();
    }

    @Test
    void refusesToFinishAnEmptySegmentAndAbandonDeletesTheFile() {
        SegmentWriter writer = writer(1024, Compression.NONE);
        assertTrue(Files.exists(path()));
        assertThrows(IllegalStateException.class, writer::finish);
        writer.abandon();
        assertFalse(Files.exists(path()));
        writer.abandon(); // idempotent
        assertThrows(IllegalStateException.class, () -> writer.add(InternalKey.encode(new byte[0], 1), ValueKind.PUT,
                new byte[0]));
    }

    @Test
    void finishReportsWhatWasWritten() throws IOException {
        SegmentWriter writer = writer(64, Compression.NONE);
        writer.add(InternalKey.encode(new byte[] {'a'}, 7), ValueKind.PUT, new byte[] {1});
        writer.add(InternalKey.encode(new byte[] {'b'}, 300), ValueKind.DELETE, new byte[0]);
        writer.add(InternalKey.encode(new byte[] {'c'}, 3), ValueKind.PUT, new byte[] {2});
        SegmentInfo info = writer.finish();
        assertEquals(3, info.entryCount());
        assertEquals(Files.size(path()), info.fileBytes());
        assertArrayEquals(InternalKey.encode(new byte[] {'a'}, 7), info.smallestKey());
        assertArrayEquals(InternalKey.encode(new byte[] {'c'}, 3), info.largestKey());
        assertEquals(3, info.minTimestamp());
        assertEquals(300, info.maxTimestamp());
        writer.abandon(); // a no-op after finish: the file stays
        assertTrue(Files.exists(path()));
        assertThrows(IllegalStateException.class, writer::finish);
    }

    @Test
    void estimatedFileBytesTracksTheFinalSize() {
        SegmentWriter writer = writer(4096, Compression.NONE);
        Random random = new Random(5);
        for (int i = 0; i < 5000; i++) {
            byte[] value = new byte[random.nextInt(100)];
            random.nextBytes(value);
            writer.add(InternalKey.encode(SegmentTestData.userKey(i), 1), ValueKind.PUT, value);
        }
        long estimate = writer.estimatedFileBytes();
        long actual = writer.finish().fileBytes();
        assertTrue(Math.abs(estimate - actual) < actual / 50, "estimate " + estimate + " vs actual " + actual);
    }

    @Test
    void storesBlocksUncompressedWhenLz4SavesLessThanAnEighth() {
        SegmentWriter writer = writer(4096, Compression.LZ4);
        Random random = new Random(6);
        for (int i = 0; i < 400; i++) {
            byte[] value = new byte[512];
            if (i < 200) {
                random.nextBytes(value); // incompressible half: keys alone cannot save an eighth
            }
            writer.add(InternalKey.encode(SegmentTestData.userKey(i), 1), ValueKind.PUT, value);
        }
        writer.finish();
        int[] codes = trailerCodes();
        assertEquals(Compression.NONE.code(), codes[0], "random values: stored raw");
        assertEquals(Compression.LZ4.code(), codes[codes.length - 1], "zero values: compressed");
    }

    @Test
    void noCompressionNeverCompresses() {
        SegmentWriter writer = writer(2048, Compression.NONE);
        for (int i = 0; i < 2000; i++) {
            writer.add(InternalKey.encode(SegmentTestData.userKey(i), 1), ValueKind.PUT, new byte[64]);
        }
        writer.finish();
        for (int code : trailerCodes()) {
            assertEquals(Compression.NONE.code(), code);
        }
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentWriter(RealFileSystem.INSTANCE, path(), 0, Compression.NONE, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentWriter(RealFileSystem.INSTANCE, path(), 1024, Compression.NONE, 33));
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentWriter(RealFileSystem.INSTANCE, path(), 1024, Compression.NONE, -1));
    }

    private int[] trailerCodes() {
        try (SegmentReader reader = SegmentReader.open(RealFileSystem.INSTANCE, path(), 9, new BlockCache(0))) {
            byte[] file = Files.readAllBytes(path());
            int[] codes = new int[reader.dataBlockCount()];
            for (int i = 0; i < codes.length; i++) {
                BlockHandle handle = reader.dataBlockHandle(i);
                codes[i] = file[(int) (handle.offset() + handle.size())];
            }
            assertTrue(codes.length > 2);
            return codes;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
