package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.fs.WritableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: in a log read with {@link LogReader.Padding#ZEROS} (a preallocated WAL), zeros from the end of the
 * last record to the end of the file are the clean end of the log in both modes, never a torn tail or
 * corruption; while anything a crash or damage leaves in front of or inside those zeros (a torn record, a
 * record whose header was lost, a hole before valid records, a flipped bit in the padding) is judged
 * exactly as in a file without padding: a reported torn tail, or corruption.
 *
 * <p>Method: logs written through {@link RealFileSystem#createPreallocated} and {@link LogWriter}, or
 * built byte by byte, then damaged the way a crash leaves a preallocated file: bytes past the last sync
 * revert to zeros, whole or in part.
 */
class LogZeroPaddingTest {

    @TempDir
    Path dir;

    /** Payloads start with a varint "synced up to" claim, as WAL records do. */
    private static byte[] payload(long durableOffset, String body) {
        return new ByteCoding.Writer(16).varLong(durableOffset).bytes(body.getBytes()).toByteArray();
    }

    private static long claim(byte[] payload) {
        return new ByteCoding.Reader(payload).varLong();
    }

    private record Read(List<byte[]> payloads, long validEnd, Optional<RecoveryReport.Truncation> tornTail) {}

    private static Read read(Path path, LogReader.TailMode mode) throws IOException {
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, mode, LogReader.Padding.ZEROS,
                LogZeroPaddingTest::claim)) {
            List<byte[]> payloads = new ArrayList<>();
            for (byte[] p = reader.next(); p != null; p = reader.next()) {
                payloads.add(p);
            }
            return new Read(payloads, reader.validEnd(), reader.tornTail());
        }
    }

    /** Writes {@code payloads} into a file preallocated to {@code fileBytes}; returns each record's offset. */
    private long[] writePreallocated(Path path, long fileBytes, List<byte[]> payloads) throws IOException {
        long[] offsets = new long[payloads.size()];
        try (WritableFile file = RealFileSystem.INSTANCE.createPreallocated(path, fileBytes);
                LogWriter writer = new LogWriter(file)) {
            for (int i = 0; i < payloads.size(); i++) {
                offsets[i] = writer.append(payloads.get(i));
            }
            writer.sync();
        }
        return offsets;
    }

    private static long end(long[] offsets, List<byte[]> payloads) {
        int last = payloads.size() - 1;
        return offsets[last] + LogFormat.frameBytes(payloads.get(last).length);
    }

    private static void fill(Path path, long from, long to, byte value) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        Arrays.fill(bytes, (int) from, (int) to, value);
        Files.write(path, bytes);
    }

    @Test
    void zerosAfterTheLastRecordAreACleanEndInBothModes() throws IOException {
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(13, "one"), payload(25, "two"));
        int[] paddings = {1, 7, 8, 9, 4096, LogReader.CHUNK_BYTES + 100, 3 * LogReader.CHUNK_BYTES};
        for (int padding : paddings) {
            Path path = dir.resolve("p" + padding + ".log");
            long recordBytes = 0;
            for (byte[] p : payloads) {
                recordBytes += LogFormat.frameBytes(p.length);
            }
            long[] offsets = writePreallocated(path, recordBytes + padding, payloads);
            assertEquals(recordBytes + padding, Files.size(path), "appends overwrite, the size stays");
            for (LogReader.TailMode mode : LogReader.TailMode.values()) {
                Read read = read(path, mode);
                assertTrue(LogFixtures.samePayloads(payloads, read.payloads()), mode + ", padding " + padding);
                assertEquals(end(offsets, payloads), read.validEnd(), mode + ", padding " + padding);
                assertTrue(read.tornTail().isEmpty(), "zero padding is no torn tail: " + read.tornTail());
            }
        }
    }

    @Test
    void aPreallocatedFileWithNoRecordIsAnEmptyLog() throws IOException {
        Path path = dir.resolve("fresh.log");
        RealFileSystem.INSTANCE.createPreallocated(path, 10_000).close();
        for (LogReader.TailMode mode : LogReader.TailMode.values()) {
            Read read = read(path, mode);
            assertEquals(0, read.payloads().size());
            assertTrue(read.tornTail().isEmpty());
        }
    }

    @Test
    void tornRecordFollowedByZerosIsATornTail() throws IOException {
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(13, "one"), payload(25, "two-two-two-two"));
        Path path = dir.resolve("torn.log");
        long[] offsets = writePreallocated(path, 64 * 1024, payloads);
        // The last record was never synced; the crash kept its first 12 bytes, the rest reverted to zeros.
        fill(path, offsets[2] + 12, end(offsets, payloads), (byte) 0);
        assertTornAt(path, offsets[2], payloads.subList(0, 2));
    }

    @Test
    void recordWhoseHeaderRevertedToZerosIsATornTail() throws IOException {
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(13, "one"), payload(25, "two-two-two-two"));
        Path path = dir.resolve("header.log");
        long[] offsets = writePreallocated(path, 64 * 1024, payloads);
        // Out-of-order write-back: the sector with the header stayed zero, the payload's reached the disk.
        fill(path, offsets[2], offsets[2] + LogFormat.HEADER_BYTES, (byte) 0);
        assertTornAt(path, offsets[2], payloads.subList(0, 2));
    }

    @Test
    void holeOfZerosBeforeValidUnsyncedRecordsIsATornTail() throws IOException {
        // Nothing synced after record 0: each later record claims 13, the end of record 0.
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(13, "one-one-one"), payload(13, "two"),
                payload(13, "three"));
        Path path = dir.resolve("hole.log");
        long[] offsets = writePreallocated(path, 64 * 1024, payloads);
        fill(path, offsets[1], offsets[2], (byte) 0);
        assertTornAt(path, offsets[1], payloads.subList(0, 1));
    }

    @Test
    void holeOfZerosInBytesALaterRecordProvesSyncedIsCorruption() throws IOException {
        List<byte[]> first = List.of(payload(0, "zero"), payload(0, "one"));
        long synced = LogFormat.frameBytes(first.get(0).length) + LogFormat.frameBytes(first.get(1).length);
        List<byte[]> payloads = new ArrayList<>(first);
        payloads.add(payload(synced, "two, written after a sync"));
        Path path = dir.resolve("synced-hole.log");
        long[] offsets = writePreallocated(path, 64 * 1024, payloads);
        fill(path, offsets[1], offsets[2], (byte) 0);
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> read(path, LogReader.TailMode.TOLERATE_TORN_TAIL));
        assertEquals(offsets[1], e.offset());
        assertTrue(e.getMessage().contains("synced up to offset " + synced), e.getMessage());
    }

    @Test
    void nonZeroByteInThePaddingIsNotTakenForTheEnd() throws IOException {
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(13, "one"));
        Random random = new Random(5);
        for (int round = 0; round < 20; round++) {
            Path path = dir.resolve("flip" + round + ".log");
            long[] offsets = writePreallocated(path, 3 * LogReader.CHUNK_BYTES, payloads);
            long boundary = end(offsets, payloads);
            long at = round == 0 ? boundary : boundary + random.nextInt(3 * LogReader.CHUNK_BYTES - (int) boundary);
            fill(path, at, at + 1, (byte) (1 << random.nextInt(8)));
            assertTornAt(path, boundary, payloads);
        }
    }

    @Test
    void withoutPaddingZerosStayATornTail() throws IOException {
        List<byte[]> payloads = List.of(payload(0, "zero"));
        Path path = dir.resolve("none.log");
        long[] offsets = writePreallocated(path, 4096, payloads);
        LogFixtures.ReadResult read = LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
        assertEquals(1, read.payloads().size());
        assertEquals(end(offsets, payloads), read.tornTail().orElseThrow().offset(), "the manifest has no padding");
    }

    /** TOLERATE keeps {@code complete} and reports the rest of the file from {@code offset}; STRICT refuses. */
    private static void assertTornAt(Path path, long offset, List<byte[]> complete) throws IOException {
        Read read = read(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
        assertTrue(LogFixtures.samePayloads(complete, read.payloads()), "records before the torn tail");
        RecoveryReport.Truncation torn = read.tornTail().orElseThrow(() -> new AssertionError("no torn tail reported"));
        assertEquals(offset, torn.offset());
        assertEquals(Files.size(path) - offset, torn.bytesDropped());
        assertEquals(offset, read.validEnd());
        CorruptionException e = assertThrows(CorruptionException.class, () -> read(path, LogReader.TailMode.STRICT));
        assertEquals(offset, e.offset());
        assertEquals(path, e.file());
    }
}
