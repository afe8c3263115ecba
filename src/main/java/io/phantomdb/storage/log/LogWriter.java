package io.phantomdb.storage.log;

import io.phantomdb.storage.fs.WritableFile;
import java.io.IOException;
import java.util.List;

/**
 * Appends CRC-framed records (see {@link LogFormat}, docs/formats/wal.md) to a file. Used for the WAL and
 * the manifest.
 *
 * <p>Ownership: the writer owns {@code file} from construction on and closes it in {@link #close()}.
 * Not thread-safe: the engine's single syncer thread is the only caller of a WAL writer.
 *
 * <p>Fail-stop: after any failed append or sync the writer refuses all later calls. A failed append may
 * have left part of a frame in the file, and a failed sync leaves the durable state unknown; a record
 * appended after either would sit behind a bad frame, which recovery must then call mid-log corruption.
 * The caller has to roll to a new file (or stop accepting writes) instead.
 */
public final class LogWriter implements AutoCloseable {

    /**
     * Most bytes one {@link #appendAll} may frame: 1 GiB, because the group is built in one Java array.
     * The engine's group commit stays far below it; a larger group is a caller bug.
     */
    public static final int GROUP_BYTES_MAX = 1 << 30;

    private final WritableFile file;
    private IOException failure;
    private boolean closed;

    public LogWriter(WritableFile file) {
        this.file = file;
    }

    /** Appends one record; returns the offset its frame starts at. Does not sync. */
    public long append(byte[] payload) throws IOException {
        checkPayload(payload);
        byte[] frame = new byte[LogFormat.frameBytes(payload.length)];
        LogFormat.writeFrame(frame, 0, payload);
        long start = file.size();
        write(frame);
        return start;
    }

    /**
     * Appends all records with one write call, so a group commit of many batches costs one write (and
     * later one sync). A crash may still tear the group anywhere; recovery keeps the complete prefix.
     * Does not sync. An empty list writes nothing.
     */
    public void appendAll(List<byte[]> payloads) throws IOException {
        long totalBytes = 0;
        for (byte[] payload : payloads) {
            checkPayload(payload);
            totalBytes += LogFormat.frameBytes(payload.length);
        }
        if (totalBytes > GROUP_BYTES_MAX) {
            throw new IllegalArgumentException("group of " + payloads.size() + " records is " + totalBytes
                    + " bytes, more than " + GROUP_BYTES_MAX);
        }
        if (payloads.isEmpty()) {
            return;
        }
        byte[] group = new byte[(int) totalBytes];
        int end = 0;
        for (byte[] payload : payloads) {
            end = LogFormat.writeFrame(group, end, payload);
        }
        assert end == group.length : "framed " + end + " of " + group.length + " bytes";
        write(group);
    }

    /** Makes every record appended so far durable. */
    public void sync() throws IOException {
        checkUsable();
        try {
            file.sync();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Bytes in the file so far, synced or not: the offset the next record will start at. */
    public long size() {
        return file.size();
    }

    /** Closes the file without syncing it. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            file.close();
        }
    }

    private void write(byte[] frames) throws IOException {
        checkUsable();
        long start = file.size();
        try {
            file.append(frames, 0, frames.length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        // The returned offsets are only right if the file grew by exactly what we wrote.
        assert file.size() == start + frames.length : "file grew to " + file.size() + ", expected "
                + (start + frames.length);
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("log writer is closed");
        }
        if (failure != null) {
            throw new IOException("log writer stopped after an earlier failure: " + failure.getMessage(), failure);
        }
    }

    private static void checkPayload(byte[] payload) {
        if (!LogFormat.isLegalPayloadLength(payload.length)) {
            throw new IllegalArgumentException("record payload of " + payload.length + " bytes outside ["
                    + LogFormat.PAYLOAD_BYTES_MIN + ", " + LogFormat.PAYLOAD_BYTES_MAX + "]");
        }
    }
}
