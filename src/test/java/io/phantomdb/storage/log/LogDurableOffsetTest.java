package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with a durable-offset claim in every record (as the WAL writes), a bad frame that a crash could
 * have produced (it lies past every synced offset a later record reports) is cut off as a torn tail even
 * when valid unsynced records follow it, while damage to bytes a later record proves synced is reported
 * as corruption naming the file and offset.
 *
 * <p>Method: payloads start with a varint "synced up to" claim; files are written with {@link LogWriter}
 * and damaged by overwriting bytes, as a power loss reordering page writes would.
 */
class LogDurableOffsetTest {

    @TempDir
    Path dir;

    private static byte[] payload(long durableOffset, String body) {
        return new ByteCoding.Writer(16).varLong(durableOffset).bytes(body.getBytes()).toByteArray();
    }

    private static long claim(byte[] payload) {
        return new ByteCoding.Reader(payload).varLong();
    }

    /** Writes records; returns their start offsets. */
    private long[] write(Path path, List<byte[]> payloads) throws IOException {
        long[] offsets = new long[payloads.size()];
        try (WritableFile file = RealFileSystem.INSTANCE.create(path); LogWriter writer = new LogWriter(file)) {
            for (int i = 0; i < payloads.size(); i++) {
                offsets[i] = writer.append(payloads.get(i));
            }
        }
        return offsets;
    }

    private static void damage(Path path, long offset, int length, byte fill) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        for (int i = 0; i < length; i++) {
            bytes[(int) offset + i] = fill;
        }
        Files.write(path, bytes);
    }

    private List<byte[]> readAll(Path path, List<RecoveryReport.Truncation> torn) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, LogReader.TailMode.TOLERATE_TORN_TAIL,
                LogDurableOffsetTest::claim)) {
            for (byte[] p = reader.next(); p != null; p = reader.next()) {
                out.add(p);
            }
            reader.tornTail().ifPresent(torn::add);
        }
        return out;
    }

    @Test
    void garbledUnsyncedRecordFollowedByValidUnsyncedRecordsIsATornTail() throws IOException {
        Path path = dir.resolve("a.log");
        // Nothing was synced after record 0: every later record claims 0.
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(0, "one"), payload(0, "two"), payload(0, "three"));
        long[] offsets = write(path, payloads);
        damage(path, offsets[1] + LogFormat.HEADER_BYTES + 1, 1, (byte) 0x55);
        List<RecoveryReport.Truncation> torn = new ArrayList<>();
        List<byte[]> read = readAll(path, torn);
        assertEquals(1, read.size());
        assertArrayEquals(payloads.get(0), read.get(0));
        assertEquals(1, torn.size());
        assertEquals(offsets[1], torn.get(0).offset());
    }

    @Test
    void holeOfZerosInsideTheUnsyncedTailIsATornTail() throws IOException {
        Path path = dir.resolve("b.log");
        List<byte[]> payloads = List.of(payload(0, "zero"), payload(0, "one-one-one"), payload(0, "two"));
        long[] offsets = write(path, payloads);
        damage(path, offsets[1], (int) (offsets[2] - offsets[1]), (byte) 0);
        List<RecoveryReport.Truncation> torn = new ArrayList<>();
        assertEquals(1, readAll(path, torn).size());
        assertEquals(offsets[1], torn.get(0).offset());
    }

    @Test
    void damageToBytesALaterRecordProvesSyncedIsCorruption() throws IOException {
        Path path = dir.resolve("c.log");
        List<byte[]> first = List.of(payload(0, "zero"), payload(0, "one"));
        long syncedEnd = LogFormat.frameBytes(first.get(0).length) + LogFormat.frameBytes(first.get(1).length);
        List<byte[]> payloads = new ArrayList<>(first);
        payloads.add(payload(syncedEnd, "two, written after a sync"));
        long[] offsets = write(path, payloads);
        damage(path, offsets[1] + LogFormat.HEADER_BYTES, 1, (byte) 0x7E);
        CorruptionException e = assertThrows(CorruptionException.class, () -> readAll(path, new ArrayList<>()));
        assertEquals(offsets[1], e.offset());
        assertEquals(path, e.file());
        assertTrue(e.getMessage().contains("synced up to offset " + syncedEnd), e.getMessage());
    }

    @Test
    void withoutClaimsAnyValidLaterRecordMeansCorruption() throws IOException {
        Path path = dir.resolve("d.log");
        long[] offsets = write(path, List.of(payload(0, "zero"), payload(0, "one"), payload(0, "two")));
        damage(path, offsets[1] + LogFormat.HEADER_BYTES, 1, (byte) 0x7E);
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, LogReader.TailMode.TOLERATE_TORN_TAIL)) {
            reader.next();
            assertThrows(CorruptionException.class, reader::next);
        }
    }
}
