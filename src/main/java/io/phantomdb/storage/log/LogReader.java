package io.phantomdb.storage.log;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.RecoveryReport;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.fs.ReadableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.zip.CRC32C;

/**
 * Reads the records of a CRC-framed log (see {@link LogFormat}, docs/formats/wal.md) front to back.
 *
 * <pre>
 *   LogReader reader = LogReader.open(fs, path, TailMode.TOLERATE_TORN_TAIL);
 *   for (byte[] p = reader.next(); p != null; p = reader.next()) { replay(p); }
 *   reader.tornTail().ifPresent(t -> { report(t); fs.truncate(path, t.offset()); });
 * </pre>
 *
 * <p>The file size is read once at open: the log must not grow while it is read (recovery reads only
 * closed logs). It reads through one buffer of {@link #CHUNK_BYTES}; a record larger than that is read
 * straight into its own payload array, and the scan checksums large candidates chunk by chunk.
 *
 * <p>What a bad frame means depends on {@link TailMode}. In {@code STRICT} it is always corruption. In
 * {@code TOLERATE_TORN_TAIL} it is a torn tail unless a valid frame after it proves otherwise. A crash
 * can garble any bytes written since the last fsync, in any order (pages reach the disk out of order),
 * so good unsynced records may follow a bad unsynced one; but it cannot touch synced bytes. The reader
 * therefore scans every later offset for complete frames with a legal length and a matching checksum,
 * and asks each one, through the caller's {@code durableOffsetOf}, how many bytes of the file were
 * synced when it was written. If any says the bad frame lay in synced bytes, it is corruption;
 * otherwise everything from the bad frame on was never synced, and is cut off as a torn tail. Without
 * {@code durableOffsetOf}, any valid later frame counts as proof. The scan is bounded by {@link
 * #TAIL_SCAN_CHECKSUM_BYTES_MAX}; if the bound runs out first the reader cannot prove a torn tail and
 * reports corruption rather than drop records it never checked.
 *
 * <p>With {@link Padding#ZEROS} (WAL files, which are preallocated) a file may end in zeros after its last
 * frame: when everything from a frame boundary to the end of the file is zero, that is the clean end of
 * the log, in either mode. A zero header with anything non-zero after it is a bad frame as above. No
 * frame starts with a zero header ({@link LogFormat#PAYLOAD_BYTES_MIN} is 1), so padding and records
 * cannot be mistaken for each other.
 *
 * <p>Owns the file it opens; not thread-safe.
 */
public final class LogReader implements AutoCloseable {

    /** How a bad or short frame is treated. */
    public enum TailMode {
        /** Any bad or short frame is corruption: for files that are never torn (the manifest, older WALs). */
        STRICT,
        /** A bad frame with no valid frame after it is a torn tail: for the newest WAL file only. */
        TOLERATE_TORN_TAIL
    }

    /** Whether zeros may follow the last frame. */
    public enum Padding {
        /** The file ends right after its last frame (the manifest). */
        NONE,
        /** The file may end in zeros after its last frame: preallocated space not yet written (the WAL). */
        ZEROS
    }

    /** Bytes read from disk at once: large enough to amortize a read call, small next to a WAL file. */
    public static final int CHUNK_BYTES = 1 << 20;
    /**
     * Most payload bytes the torn-tail scan may checksum, 1 GiB (about a second of CRC32C). Candidates
     * with an illegal length or one running past the end cost nothing, so zeros, text and real torn
     * writes stay far below it; only a long tail of adversarial bytes can reach it.
     */
    public static final long TAIL_SCAN_CHECKSUM_BYTES_MAX = 1L << 30;

    // Why no frame starts at an offset; negative so that a frame check can return a length or a reason.
    private static final long HEADER_SHORT = -1;
    private static final long LENGTH_ILLEGAL = -2;
    private static final long LENGTH_PAST_END = -3;
    private static final long CHECKSUM_MISMATCH = -4;

    private final Path path;
    private final ReadableFile file;
    private final TailMode mode;
    private final Padding padding;
    private final long fileBytes;
    private final long scanChecksumBytesMax;
    private final ToLongFunction<byte[]> durableOffsetOf;
    private long scanChecksumBytes;

    private final byte[] buffer;
    private long bufferStart;
    private int bufferLength;

    private long position;
    private long recordOffset = -1;
    private boolean atEnd;
    private RecoveryReport.Truncation tornTail;
    private CorruptionException failure;

    private LogReader(Path path, ReadableFile file, TailMode mode, Padding padding, long scanChecksumBytesMax,
            ToLongFunction<byte[]> durableOffsetOf) throws IOException {
        this.path = path;
        this.file = file;
        this.mode = mode;
        this.padding = padding;
        this.fileBytes = file.size();
        this.scanChecksumBytesMax = scanChecksumBytesMax;
        this.durableOffsetOf = durableOffsetOf;
        this.buffer = new byte[(int) Math.min(CHUNK_BYTES, Math.max(fileBytes, LogFormat.HEADER_BYTES))];
    }

    public static LogReader open(FileSystem fs, Path path, TailMode mode) throws IOException {
        return open(fs, path, mode, Padding.NONE, TAIL_SCAN_CHECKSUM_BYTES_MAX, null);
    }

    /**
     * A reader whose torn-tail judgement uses {@code durableOffsetOf}: given a valid payload, the number
     * of file bytes that were synced when it was written (negative if unknown).
     */
    public static LogReader open(FileSystem fs, Path path, TailMode mode, ToLongFunction<byte[]> durableOffsetOf)
            throws IOException {
        return open(fs, path, mode, Padding.NONE, TAIL_SCAN_CHECKSUM_BYTES_MAX, durableOffsetOf);
    }

    /** As {@link #open(FileSystem, Path, TailMode, ToLongFunction)}, for a file that may end in {@code padding}. */
    public static LogReader open(FileSystem fs, Path path, TailMode mode, Padding padding,
            ToLongFunction<byte[]> durableOffsetOf) throws IOException {
        return open(fs, path, mode, padding, TAIL_SCAN_CHECKSUM_BYTES_MAX, durableOffsetOf);
    }

    /** As {@link #open(FileSystem, Path, TailMode)} with another scan bound; for tests. */
    static LogReader open(FileSystem fs, Path path, TailMode mode, long scanChecksumBytesMax) throws IOException {
        return open(fs, path, mode, Padding.NONE, scanChecksumBytesMax, null);
    }

    private static LogReader open(FileSystem fs, Path path, TailMode mode, Padding padding, long scanChecksumBytesMax,
            ToLongFunction<byte[]> durableOffsetOf) throws IOException {
        ReadableFile file = fs.openRead(path);
        try {
            return new LogReader(path, file, mode, padding, scanChecksumBytesMax, durableOffsetOf);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * The next payload, or null at the end of the log (clean, or a torn tail in {@code
     * TOLERATE_TORN_TAIL} mode; see {@link #tornTail()}).
     *
     * @throws CorruptionException naming the file and the offset of the bad frame; thrown again by every
     *     later call
     */
    public byte[] next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (atEnd) {
            return null;
        }
        if (position == fileBytes) {
            atEnd = true;
            return null;
        }
        long length = lengthAt(position);
        if (length < 0) {
            if (padding == Padding.ZEROS && firstNonZeroFrom(position) == fileBytes) {
                atEnd = true; // preallocated space never written: the clean end
                return null;
            }
            onBadFrame(position, length);
            return null;
        }
        byte[] payload = readPayload(position + LogFormat.HEADER_BYTES, (int) length);
        if (LogFormat.checksum(payload, 0, payload.length) != storedChecksumAt(position)) {
            onBadFrame(position, CHECKSUM_MISMATCH);
            return null;
        }
        recordOffset = position;
        position += LogFormat.frameBytes((int) length);
        assert position <= fileBytes : "read past the end: " + position + " > " + fileBytes;
        return payload;
    }

    /** Offset of the frame of the payload {@link #next()} returned last; -1 before the first. */
    public long recordOffset() {
        return recordOffset;
    }

    /** Offset just past the last valid frame read so far: where a torn tail is cut off. */
    public long validEnd() {
        return position;
    }

    /**
     * The torn tail found at the end, if any: the caller truncates the file at its offset and reports
     * it. Only valid once {@link #next()} has returned null.
     */
    public Optional<RecoveryReport.Truncation> tornTail() {
        if (!atEnd) {
            throw new IllegalStateException("torn tail asked before the end of " + path + " was reached");
        }
        return Optional.ofNullable(tornTail);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void onBadFrame(long offset, long reason) throws IOException {
        String what = describe(offset, reason);
        if (mode == TailMode.STRICT) {
            throw fail(new CorruptionException(path, offset, what));
        }
        long searchFrom = offset + 1;
        while (true) {
            long validOffset = findValidFrameFrom(searchFrom, offset, what);
            if (validOffset < 0) {
                break;
            }
            int length = (int) lengthAt(validOffset);
            if (durableOffsetOf == null) {
                throw fail(new CorruptionException(path, offset, what + "; a valid record follows at offset "
                        + validOffset + ", so this is not a torn tail"));
            }
            long durable = durableOffsetOf.applyAsLong(readPayload(validOffset + LogFormat.HEADER_BYTES, length));
            if (durable > offset) {
                throw fail(new CorruptionException(path, offset, what + "; the valid record at offset " + validOffset
                        + " shows the file was synced up to offset " + durable + ", so these bytes were durable"));
            }
            searchFrom = validOffset + LogFormat.frameBytes(length);
        }
        tornTail = new RecoveryReport.Truncation(path, offset, fileBytes - offset, what);
        atEnd = true;
    }

    /**
     * The first offset at or after {@code from} where a valid frame starts, or -1. Offsets whose length
     * is illegal or runs past the end are rejected without a checksum, which keeps the scan linear for
     * zeros and for most garbage. The checksum budget is shared by every scan of this reader.
     */
    private long findValidFrameFrom(long from, long badOffset, String what) throws IOException {
        for (long offset = from; offset + LogFormat.frameBytes(1) <= fileBytes; offset++) {
            // A frame's length field is never all zeros: jump over runs of zeros (preallocated space) to
            // where the next non-zero byte could be the last byte of a length field.
            offset = Math.max(offset, firstNonZeroFrom(offset) - (LogFormat.LENGTH_BYTES - 1));
            if (offset + LogFormat.frameBytes(1) > fileBytes) {
                break;
            }
            long length = lengthAt(offset);
            if (length < 0) {
                continue;
            }
            scanChecksumBytes += length;
            if (scanChecksumBytes > scanChecksumBytesMax) {
                throw fail(new CorruptionException(path, badOffset, what + "; scanned up to offset " + offset
                        + " without ruling out a valid record after it, so it is not treated as a torn tail"));
            }
            if (checksumMatches(offset, (int) length)) {
                return offset;
            }
        }
        return -1;
    }

    /** The offset of the first non-zero byte at or after {@code offset}, or the file size if there is none. */
    private long firstNonZeroFrom(long offset) throws IOException {
        while (offset < fileBytes) {
            // Scan what the buffer holds from offset on; load reads a new chunk only when offset is outside it.
            int index = load(offset, 1);
            int end = bufferLength;
            int i = index;
            while (i < end && buffer[i] == 0) {
                i++;
            }
            if (i < end) {
                return offset + (i - index);
            }
            offset += end - index;
        }
        return fileBytes;
    }

    /** The length field at {@code offset} if it is legal and the payload fits in the file. */
    private long lengthAt(long offset) throws IOException {
        long remaining = fileBytes - offset;
        if (remaining < LogFormat.HEADER_BYTES) {
            return HEADER_SHORT;
        }
        long length = ByteCoding.getInt(buffer, load(offset, LogFormat.HEADER_BYTES)) & 0xFFFFFFFFL;
        if (!LogFormat.isLegalPayloadLength(length)) {
            return LENGTH_ILLEGAL;
        }
        return length <= remaining - LogFormat.HEADER_BYTES ? length : LENGTH_PAST_END;
    }

    private int storedChecksumAt(long offset) throws IOException {
        return ByteCoding.getInt(buffer, load(offset, LogFormat.HEADER_BYTES) + LogFormat.LENGTH_BYTES);
    }

    /** Checksums the frame at {@code offset} chunk by chunk, so a candidate never needs its own array. */
    private boolean checksumMatches(long offset, int length) throws IOException {
        int stored = storedChecksumAt(offset);
        CRC32C crc = LogFormat.checksumStart(length);
        long chunkOffset = offset + LogFormat.HEADER_BYTES;
        long end = chunkOffset + length;
        while (chunkOffset < end) {
            int chunkBytes = (int) Math.min(end - chunkOffset, CHUNK_BYTES);
            crc.update(buffer, load(chunkOffset, chunkBytes), chunkBytes);
            chunkOffset += chunkBytes;
        }
        return stored == LogFormat.checksumEnd(crc);
    }

    /** A copy of {@code [offset, offset + length)}; large payloads bypass the buffer. */
    private byte[] readPayload(long offset, int length) throws IOException {
        if (length > CHUNK_BYTES) {
            return file.readFully(offset, length);
        }
        int index = load(offset, length);
        return Arrays.copyOfRange(buffer, index, index + length);
    }

    /**
     * Makes file bytes {@code [offset, offset + length)} available in {@link #buffer}; returns their
     * index there. The caller has checked they lie inside the file.
     */
    private int load(long offset, int length) throws IOException {
        assert length > 0 && length <= CHUNK_BYTES : "load of " + length + " bytes";
        assert offset >= 0 && offset + length <= fileBytes : "load outside the file";
        if (offset >= bufferStart && offset + length <= bufferStart + bufferLength) {
            return (int) (offset - bufferStart);
        }
        int want = (int) Math.min(CHUNK_BYTES, fileBytes - offset);
        assert want >= length && want <= buffer.length : "chunk of " + want + " bytes";
        bufferLength = 0; // Keep the window empty if the read fails half-way.
        file.readFully(offset, buffer, 0, want);
        bufferStart = offset;
        bufferLength = want;
        return 0;
    }

    private String describe(long offset, long reason) throws IOException {
        long remaining = fileBytes - offset;
        if (reason == HEADER_SHORT) {
            return "short header: " + remaining + " bytes left, a header needs " + LogFormat.HEADER_BYTES;
        }
        long length = ByteCoding.getInt(buffer, load(offset, LogFormat.HEADER_BYTES)) & 0xFFFFFFFFL;
        if (reason == LENGTH_ILLEGAL) {
            return "payload length " + length + " outside [" + LogFormat.PAYLOAD_BYTES_MIN + ", "
                    + LogFormat.PAYLOAD_BYTES_MAX + "]";
        }
        if (reason == LENGTH_PAST_END) {
            return "payload length " + length + " runs past the end of the file ("
                    + (remaining - LogFormat.HEADER_BYTES) + " bytes left)";
        }
        assert reason == CHECKSUM_MISMATCH : "unknown reason " + reason;
        return "checksum mismatch over a payload of " + length + " bytes";
    }

    private CorruptionException fail(CorruptionException e) {
        failure = e;
        return e;
    }
}
