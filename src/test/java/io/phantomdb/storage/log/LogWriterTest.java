package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.fs.WritableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the writer frames records exactly as docs/formats/wal.md says, issues one write per group, and
 * stops for good after an I/O failure so that no record can land behind a half-written one.
 *
 * <p>Method: a real file in {@code @TempDir}, wrapped where needed in a {@link WritableFile} that counts
 * calls or fails on demand; the bytes are checked against the frame grammar directly.
 */
class LogWriterTest {

    @TempDir
    Path dir;

    @Test
    void appendAllIssuesOneWriteForAGroupOfRecords() throws IOException {
        ScriptedFile file = new ScriptedFile(RealFileSystem.INSTANCE.create(dir.resolve("a.log")));
        List<byte[]> payloads = LogFixtures.randomPayloads(new Random(1), 50, 100);
        try (LogWriter writer = new LogWriter(file)) {
            writer.appendAll(payloads);
            assertEquals(1, file.appendCalls);
        }
        assertTrue(LogFixtures.samePayloads(payloads,
                LogFixtures.readAll(dir.resolve("a.log"), LogReader.TailMode.STRICT).payloads()));
    }

    @Test
    void appendAllOfNoRecordsWritesNothing() throws IOException {
        ScriptedFile file = new ScriptedFile(RealFileSystem.INSTANCE.create(dir.resolve("a.log")));
        try (LogWriter writer = new LogWriter(file)) {
            writer.appendAll(List.of());
            assertEquals(0, file.appendCalls);
            assertEquals(0, writer.size());
        }
    }

    @Test
    void frameIsLengthThenMaskedChecksumOfLengthAndPayloadThenPayload() throws IOException {
        Path path = dir.resolve("a.log");
        byte[] payload = {10, 20, 30};
        try (LogWriter writer = new LogWriter(RealFileSystem.INSTANCE.create(path))) {
            assertEquals(0, writer.append(payload));
            assertEquals(LogFormat.HEADER_BYTES + payload.length, writer.append(payload));
        }
        byte[] bytes = Files.readAllBytes(path);
        byte[] lengthAndPayload = {0, 0, 0, 3, 10, 20, 30};
        int checksum = io.phantomdb.storage.codec.Checksums.masked(lengthAndPayload, 0, lengthAndPayload.length);
        assertEquals(2 * 11, bytes.length);
        assertEquals(3, io.phantomdb.storage.codec.ByteCoding.getInt(bytes, 0));
        assertEquals(checksum, io.phantomdb.storage.codec.ByteCoding.getInt(bytes, 4));
        assertEquals(30, bytes[10]);
    }

    /** The example frame in docs/formats/wal.md, section "Record": the doc and the code must agree. */
    @Test
    void documentedExampleFrameMatchesTheWrittenBytes() throws IOException {
        Path path = dir.resolve("a.log");
        byte[] payload = hex("80 01 01 00 00 00 00 00 00 00 05 02 01 01 6b 01 76 00 01 78");
        try (LogWriter writer = new LogWriter(RealFileSystem.INSTANCE.create(path))) {
            writer.append(payload);
        }
        byte[] frame = hex("00 00 00 14 df 73 d0 5e 80 01 01 00 00 00 00 00 00 00 05 02 01 01 6b 01 76 00 01 78");
        assertArrayEquals(frame, Files.readAllBytes(path));
    }

    @Test
    void rejectsEmptyPayloadWithoutWriting() throws IOException {
        try (LogWriter writer = new LogWriter(RealFileSystem.INSTANCE.create(dir.resolve("a.log")))) {
            assertThrows(IllegalArgumentException.class, () -> writer.append(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> writer.appendAll(List.of(new byte[1], new byte[0])));
            assertEquals(0, writer.size());
        }
    }

    @Test
    void refusesEveryWriteAfterAFailedAppend() throws IOException {
        ScriptedFile file = new ScriptedFile(RealFileSystem.INSTANCE.create(dir.resolve("a.log")));
        try (LogWriter writer = new LogWriter(file)) {
            writer.append(new byte[] {1});
            file.failNextAppend = true;
            assertThrows(IOException.class, () -> writer.append(new byte[] {2}));
            assertThrows(IOException.class, () -> writer.append(new byte[] {3}));
            assertThrows(IOException.class, () -> writer.appendAll(List.of(new byte[] {4})));
            assertThrows(IOException.class, writer::sync);
            assertEquals(2, file.appendCalls, "no write reaches the file after the failure");
        }
    }

    @Test
    void refusesEveryWriteAfterAFailedSync() throws IOException {
        ScriptedFile file = new ScriptedFile(RealFileSystem.INSTANCE.create(dir.resolve("a.log")));
        try (LogWriter writer = new LogWriter(file)) {
            writer.append(new byte[] {1});
            file.failNextSync = true;
            assertThrows(IOException.class, writer::sync);
            assertThrows(IOException.class, () -> writer.append(new byte[] {2}));
            assertThrows(IOException.class, writer::sync);
            assertEquals(1, file.appendCalls);
        }
    }

    @Test
    void closeClosesTheFileOnce() throws IOException {
        ScriptedFile file = new ScriptedFile(RealFileSystem.INSTANCE.create(dir.resolve("a.log")));
        LogWriter writer = new LogWriter(file);
        writer.close();
        writer.close();
        assertEquals(1, file.closeCalls);
        assertThrows(IllegalStateException.class, () -> writer.append(new byte[] {1}));
    }

    private static byte[] hex(String spaced) {
        String[] parts = spaced.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    /** Passes calls through to a real file, counting them, and fails the next one when told to. */
    private static final class ScriptedFile implements WritableFile {
        private final WritableFile delegate;
        int appendCalls;
        int closeCalls;
        boolean failNextAppend;
        boolean failNextSync;

        ScriptedFile(WritableFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            appendCalls++;
            if (failNextAppend) {
                failNextAppend = false;
                // Half the bytes reach the file, as a real short write would leave them.
                delegate.append(bytes, offset, length / 2);
                throw new IOException("injected append failure");
            }
            delegate.append(bytes, offset, length);
        }

        @Override
        public void sync() throws IOException {
            if (failNextSync) {
                failNextSync = false;
                throw new IOException("injected sync failure");
            }
            delegate.sync();
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void close() throws IOException {
            closeCalls++;
            delegate.close();
        }
    }
}
