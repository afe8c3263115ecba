package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: whatever a crash leaves at the end of the newest log (a cut anywhere, zeros, garbage, a header
 * whose payload never arrived), {@code TOLERATE_TORN_TAIL} returns exactly the complete records before
 * it and reports the tail's offset and size exactly, while {@code STRICT} refuses it naming file and
 * offset. Truncating at the reported offset gives a clean log again.
 *
 * <p>Method: real files in {@code @TempDir}; a log of random records is cut at every possible length, or
 * extended with zeros or seeded random garbage, and read in both modes.
 */
class LogTornTailTest {

    @TempDir
    Path dir;

    @Test
    void everyTruncationKeepsTheCompletePrefixAndReportsTheRestAsTornTail() throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(7), 25, 120);
        Path full = dir.resolve("full.log");
        long[] offsets = LogFixtures.writeLog(full, payloads);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.log");
        for (int length = 0; length <= bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            int complete = completeRecords(offsets, payloads, length);
            long boundary = complete == payloads.size() ? bytes.length : offsets[complete];
            assertTolerantRead(cut, payloads.subList(0, complete), boundary, length);
            assertStrictRead(cut, boundary, length);
        }
    }

    @Test
    void zeroFilledTailIsATornTail() throws IOException {
        int[] zeroCounts = {1, 7, 8, 9, 4096, LogReader.CHUNK_BYTES + 100};
        for (int zeros : zeroCounts) {
            assertTailIsTorn(new byte[zeros], "zeros " + zeros);
        }
    }

    @Test
    void garbledTailIsATornTail() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            byte[] garbage = new byte[1 + random.nextInt(round < 40 ? 300 : 200_000)];
            random.nextBytes(garbage);
            assertTailIsTorn(garbage, "garbage round " + round);
        }
    }

    @Test
    void headerWhoseChecksumDoesNotMatchAtTheEndIsATornTail() throws IOException {
        byte[] tail = new byte[LogFormat.HEADER_BYTES + 100];
        ByteCoding.putInt(tail, 0, 100);
        ByteCoding.putInt(tail, 4, 0x12345678);
        Arrays.fill(tail, LogFormat.HEADER_BYTES, tail.length, (byte) 0x5A);
        assertTailIsTorn(tail, "header with a bad checksum");
    }

    @Test
    void headerWhosePayloadRunsPastTheEndIsATornTail() throws IOException {
        byte[] tail = new byte[LogFormat.HEADER_BYTES + 10];
        ByteCoding.putInt(tail, 0, 1000);
        assertTailIsTorn(tail, "header promising 1000 bytes");
    }

    @Test
    void tornRecordLargerThanAReadChunkIsATornTail() throws IOException {
        byte[] big = new byte[3 * LogReader.CHUNK_BYTES];
        new Random(3).nextBytes(big);
        Path full = dir.resolve("big.log");
        LogFixtures.writeLog(full, List.of(new byte[] {1, 2, 3}, big));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("big-cut.log");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - LogReader.CHUNK_BYTES));
        long boundary = LogFormat.frameBytes(3);
        LogFixtures.ReadResult result = LogFixtures.readAll(cut, LogReader.TailMode.TOLERATE_TORN_TAIL);
        assertEquals(1, result.payloads().size());
        assertTruncation(result.tornTail(), cut, boundary, Files.size(cut) - boundary);
    }

    @Test
    void truncatingAtTheReportedOffsetLeavesACleanLogThatAcceptsAppends() throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(5), 10, 50);
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, payloads);
        LogFixtures.appendBytes(path, new byte[] {0, 0, 0, 9, 1, 2});
        LogFixtures.ReadResult torn = LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
        RealFileSystem.INSTANCE.truncate(path, torn.tornTail().orElseThrow().offset());
        LogFixtures.ReadResult clean = LogFixtures.readAll(path, LogReader.TailMode.STRICT);
        assertTrue(LogFixtures.samePayloads(payloads, clean.payloads()));
        assertEquals(torn.validEnd(), clean.validEnd());
    }

    @Test
    void tornTailIsOnlyAnsweredAtTheEnd() throws IOException {
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, List.of(new byte[] {1}));
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, LogReader.TailMode.TOLERATE_TORN_TAIL)) {
            assertThrows(IllegalStateException.class, reader::tornTail);
            reader.next();
            assertEquals(null, reader.next());
            assertTrue(reader.tornTail().isEmpty());
        }
    }

    /** Writes a log of random records, appends {@code tail}, and checks both modes see it as torn. */
    private void assertTailIsTorn(byte[] tail, String label) throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(tail.length), 12, 200);
        Path path = dir.resolve("tail.log");
        LogFixtures.writeLog(path, payloads);
        long boundary = Files.size(path);
        LogFixtures.appendBytes(path, tail);
        LogFixtures.ReadResult result = LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
        assertTrue(LogFixtures.samePayloads(payloads, result.payloads()), label);
        assertEquals(boundary, result.validEnd(), label);
        assertTruncation(result.tornTail(), path, boundary, tail.length);
        assertStrictRead(path, boundary, boundary + tail.length);
    }

    private static void assertTolerantRead(Path path, List<byte[]> complete, long boundary, long length)
            throws IOException {
        LogFixtures.ReadResult result = LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
        assertTrue(LogFixtures.samePayloads(complete, result.payloads()), "records of a " + length + "-byte cut");
        assertEquals(boundary, result.validEnd(), "valid end of a " + length + "-byte cut");
        if (boundary == length) {
            assertTrue(result.tornTail().isEmpty(), "a cut on a record boundary is clean: " + length);
        } else {
            assertTruncation(result.tornTail(), path, boundary, length - boundary);
        }
    }

    /** STRICT reads a cut on a boundary cleanly and refuses any other, naming the file and the offset. */
    private static void assertStrictRead(Path path, long boundary, long length) throws IOException {
        if (boundary == length) {
            LogFixtures.readAll(path, LogReader.TailMode.STRICT);
            return;
        }
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> LogFixtures.readAll(path, LogReader.TailMode.STRICT), "strict read of " + length + " bytes");
        assertEquals(path, e.file());
        assertEquals(boundary, e.offset(), "offset of the bad frame in a " + length + "-byte file");
    }

    private static void assertTruncation(java.util.Optional<RecoveryReport.Truncation> torn, Path path, long offset,
            long bytesDropped) {
        RecoveryReport.Truncation truncation = torn.orElseThrow(() -> new AssertionError("no torn tail reported"));
        assertEquals(path, truncation.file());
        assertEquals(offset, truncation.offset(), "truncation offset");
        assertEquals(bytesDropped, truncation.bytesDropped(), "bytes dropped");
        assertTrue(!truncation.reason().isEmpty());
    }

    /** How many records end at or before {@code length}. */
    private static int completeRecords(long[] offsets, List<byte[]> payloads, long length) {
        int complete = 0;
        while (complete < payloads.size()
                && offsets[complete] + LogFormat.frameBytes(payloads.get(complete).length) <= length) {
            complete++;
        }
        return complete;
    }
}
