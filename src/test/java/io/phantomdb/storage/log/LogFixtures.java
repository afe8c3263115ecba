package io.phantomdb.storage.log;

import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Shared helpers of the log tests: random payloads, writing a log, reading one back whole. */
final class LogFixtures {

    /** What a reader returned before it reached the end. */
    record ReadResult(List<byte[]> payloads, List<Long> offsets, long validEnd,
            Optional<RecoveryReport.Truncation> tornTail) {}

    private LogFixtures() {}

    static List<byte[]> randomPayloads(Random random, int count, int bytesMax) {
        List<byte[]> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[1 + random.nextInt(bytesMax)];
            random.nextBytes(payload);
            payloads.add(payload);
        }
        return payloads;
    }

    /** Writes {@code payloads} one append at a time; returns each record's start offset. */
    static long[] writeLog(Path path, List<byte[]> payloads) throws IOException {
        long[] offsets = new long[payloads.size()];
        try (LogWriter writer = new LogWriter(RealFileSystem.INSTANCE.create(path))) {
            for (int i = 0; i < payloads.size(); i++) {
                offsets[i] = writer.append(payloads.get(i));
            }
            writer.sync();
        }
        return offsets;
    }

    /** Appends framed {@code payloads} to the end of an existing file. */
    static void writeLogTail(Path path, List<byte[]> payloads) throws IOException {
        Path scratch = path.resolveSibling(path.getFileName() + ".tail");
        writeLog(scratch, payloads);
        appendBytes(path, Files.readAllBytes(scratch));
        Files.delete(scratch);
    }

    /** Reads the whole log; a {@link io.phantomdb.storage.CorruptionException} propagates. */
    static ReadResult readAll(Path path, LogReader.TailMode mode) throws IOException {
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, mode)) {
            List<byte[]> payloads = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            for (byte[] payload = reader.next(); payload != null; payload = reader.next()) {
                payloads.add(payload);
                offsets.add(reader.recordOffset());
            }
            return new ReadResult(payloads, offsets, reader.validEnd(), reader.tornTail());
        }
    }

    /** Reads records until the reader throws or ends, collecting what it returned before that. */
    static List<byte[]> readUntilFailure(Path path, LogReader.TailMode mode, List<RuntimeException> failure)
            throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        try (LogReader reader = LogReader.open(RealFileSystem.INSTANCE, path, mode)) {
            for (byte[] payload = reader.next(); payload != null; payload = reader.next()) {
                payloads.add(payload);
            }
        } catch (RuntimeException e) {
            failure.add(e);
        }
        return payloads;
    }

    static boolean samePayloads(List<byte[]> expected, List<byte[]> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(expected.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    static void appendBytes(Path path, byte[] bytes) throws IOException {
        Files.write(path, bytes, java.nio.file.StandardOpenOption.APPEND);
    }
}
