package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: damage is never returned as data. A bad record with a valid record after it is corruption in
 * both modes (a crash cannot cause it), every single bit flip is caught, illegal lengths are refused,
 * and a torn-tail scan that cannot finish within its bound refuses rather than drops unchecked bytes.
 *
 * <p>Method: real files in {@code @TempDir}; logs of seeded random records are damaged at chosen offsets
 * (every bit of a small log, in the bit-flip test) and read in both tail modes.
 */
class LogCorruptionTest {

    @TempDir
    Path dir;

    @Test
    void corruptRecordFollowedByValidRecordsIsCorruptionEvenWhenTolerant() throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(1), 10, 100);
        Path path = dir.resolve("a.log");
        long[] offsets = LogFixtures.writeLog(path, payloads);
        byte[] bytes = Files.readAllBytes(path);
        bytes[(int) offsets[3] + LogFormat.HEADER_BYTES] ^= 0x40;
        Files.write(path, bytes);
        for (LogReader.TailMode mode : LogReader.TailMode.values()) {
            assertCorruptAfter(path, mode, payloads.subList(0, 3), offsets[3]);
        }
    }

    @Test
    void zeroedRecordInTheMiddleIsCorruptionEvenWhenTolerant() throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(2), 10, 100);
        Path path = dir.resolve("a.log");
        long[] offsets = LogFixtures.writeLog(path, payloads);
        byte[] bytes = Files.readAllBytes(path);
        Arrays.fill(bytes, (int) offsets[4], (int) offsets[5], (byte) 0);
        Files.write(path, bytes);
        assertCorruptAfter(path, LogReader.TailMode.TOLERATE_TORN_TAIL, payloads.subList(0, 4), offsets[4]);
    }

    @Test
    void everySingleBitFlipIsDetectedAndNeverReturnedAsData() throws IOException {
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(3), 8, 40);
        Path original = dir.resolve("original.log");
        long[] offsets = LogFixtures.writeLog(original, payloads);
        byte[] bytes = Files.readAllBytes(original);
        Path path = dir.resolve("flipped.log");
        int last = payloads.size() - 1;
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(path, flipped);
            int record = recordHolding(offsets, bit / 8);
            assertCorruptAfter(path, LogReader.TailMode.STRICT, payloads.subList(0, record), offsets[record]);
            if (record < last) {
                assertCorruptAfter(path, LogReader.TailMode.TOLERATE_TORN_TAIL, payloads.subList(0, record),
                        offsets[record]);
            } else {
                LogFixtures.ReadResult result = LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL);
                assertTrue(LogFixtures.samePayloads(payloads.subList(0, last), result.payloads()), "bit " + bit);
                assertEquals(offsets[last], result.tornTail().orElseThrow().offset(), "bit " + bit);
                assertEquals(bytes.length - offsets[last], result.tornTail().orElseThrow().bytesDropped());
            }
        }
    }

    @Test
    void zeroLengthRecordIsCorruption() throws IOException {
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, List.of(new byte[] {1}));
        // A zero length is refused even when the checksum over it matches.
        byte[] header = new byte[LogFormat.HEADER_BYTES];
        ByteCoding.putInt(header, LogFormat.LENGTH_BYTES, LogFormat.checksum(new byte[0], 0, 0));
        LogFixtures.appendBytes(path, header);
        LogFixtures.writeLogTail(path, List.of(new byte[] {2}));
        CorruptionException e = assertCorruptAfter(path, LogReader.TailMode.TOLERATE_TORN_TAIL,
                List.of(new byte[] {1}), LogFormat.frameBytes(1));
        assertTrue(e.getMessage().contains("payload length 0"), e.getMessage());
    }

    @Test
    void lengthAboveTheMaximumIsCorruptionInStrictMode() throws IOException {
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, List.of(new byte[] {1}));
        byte[] header = new byte[LogFormat.HEADER_BYTES + 16];
        ByteCoding.putInt(header, 0, LogFormat.PAYLOAD_BYTES_MAX + 1);
        LogFixtures.appendBytes(path, header);
        CorruptionException e = assertCorruptAfter(path, LogReader.TailMode.STRICT, List.of(new byte[] {1}),
                LogFormat.frameBytes(1));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void corruptionIsThrownAgainOnEveryLaterCall() throws IOException {
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, List.of(new byte[] {1}));
        LogFixtures.appendBytes(path, new byte[] {0, 0});
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, LogReader.TailMode.STRICT)) {
            reader.next();
            CorruptionException first = assertThrows(CorruptionException.class, reader::next);
            assertSame(first, assertThrows(CorruptionException.class, reader::next));
        }
    }

    @Test
    void tornTailScanThatRunsOutOfBudgetIsCorruptionNotATornTail() throws IOException {
        Path path = dir.resolve("a.log");
        LogFixtures.writeLog(path, List.of(new byte[] {1}));
        // Every 4th offset holds a plausible 256-byte length with a wrong checksum: each costs a checksum.
        byte[] tail = new byte[64 * 1024];
        for (int i = 0; i + 4 <= tail.length; i += 4) {
            ByteCoding.putInt(tail, i, 256);
        }
        LogFixtures.appendBytes(path, tail);
        assertTrue(LogFixtures.readAll(path, LogReader.TailMode.TOLERATE_TORN_TAIL).tornTail().isPresent(),
                "the default bound covers this tail");
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, LogReader.TailMode.TOLERATE_TORN_TAIL,
                10_000)) {
            reader.next();
            CorruptionException e = assertThrows(CorruptionException.class, reader::next);
            assertEquals(LogFormat.frameBytes(1), e.offset());
            assertTrue(e.getMessage().contains("without ruling out"), e.getMessage());
        }
    }

    /** Reads in {@code mode}: the records before {@code badOffset} come back, then corruption there. */
    private static CorruptionException assertCorruptAfter(Path path, LogReader.TailMode mode, List<byte[]> before,
            long badOffset) throws IOException {
        List<RuntimeException> failure = new ArrayList<>();
        List<byte[]> read = LogFixtures.readUntilFailure(path, mode, failure);
        assertTrue(LogFixtures.samePayloads(before, read), mode + ": only the records before " + badOffset);
        if (failure.isEmpty() || !(failure.get(0) instanceof CorruptionException)) {
            fail(mode + ": expected corruption at " + badOffset + ", got " + failure);
        }
        CorruptionException e = (CorruptionException) failure.get(0);
        assertEquals(path, e.file());
        assertEquals(badOffset, e.offset(), mode + ": " + e.getMessage());
        return e;
    }

    private static int recordHolding(long[] offsets, long byteOffset) {
        int record = 0;
        while (record + 1 < offsets.length && offsets[record + 1] <= byteOffset) {
            record++;
        }
        return record;
    }
}
