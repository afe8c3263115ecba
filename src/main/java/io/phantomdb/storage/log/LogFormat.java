package io.phantomdb.storage.log;

import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.codec.Checksums;
import java.util.zip.CRC32C;

/**
 * The frame of one record in a CRC-framed log (the WAL and the manifest). The grammar, and why it looks
 * the way it does, is in docs/formats/wal.md, section "Frame"; this class only names its numbers.
 *
 * <pre>
 * frame := payloadLength:u32be  checksum:u32be  payload:byte[payloadLength]
 * checksum = masked CRC32C over (the 4 payloadLength bytes ++ payload)
 * </pre>
 *
 * <p>Every number here reaches disk: never change one. A new framing needs a new file kind.
 */
public final class LogFormat {

    /** The payload length field: a big-endian u32. */
    public static final int LENGTH_BYTES = 4;
    /** The checksum field: a masked CRC32C, big-endian u32. */
    public static final int CHECKSUM_BYTES = 4;
    /** Bytes in front of every payload: length then checksum. */
    public static final int HEADER_BYTES = LENGTH_BYTES + CHECKSUM_BYTES;

    /**
     * The smallest legal payload. Zero is invalid on purpose: the writer never writes empty records, so
     * a zero-filled region (a file extended but never written, a hole left by a crash) cannot parse as
     * a run of valid records.
     */
    public static final int PAYLOAD_BYTES_MIN = 1;
    /**
     * The largest legal payload, 256 MiB. Far above any WAL record or manifest edit the engine writes
     * (a write batch is bounded well below it); it keeps a garbled length field from making a reader
     * allocate gigabytes, and bounds the bytes the torn-tail scan checksums per candidate.
     */
    public static final int PAYLOAD_BYTES_MAX = 256 << 20;

    static {
        // The length field is read as a signed int; the maximum must stay positive in that reading.
        if (PAYLOAD_BYTES_MAX <= 0 || PAYLOAD_BYTES_MAX > Integer.MAX_VALUE - HEADER_BYTES) {
            throw new ExceptionInInitializerError("PAYLOAD_BYTES_MAX out of range");
        }
        if (HEADER_BYTES != 8) {
            throw new ExceptionInInitializerError("frame header is frozen at 8 bytes");
        }
    }

    private LogFormat() {}

    /** Bytes one frame of {@code payloadLength} occupies on disk. */
    public static int frameBytes(int payloadLength) {
        return HEADER_BYTES + payloadLength;
    }

    static boolean isLegalPayloadLength(long payloadLength) {
        return payloadLength >= PAYLOAD_BYTES_MIN && payloadLength <= PAYLOAD_BYTES_MAX;
    }

    /**
     * The masked checksum a frame stores for {@code payload[offset, offset + length)}. Covers the length
     * field, so that a flipped length bit is caught by the checksum and not only by luck.
     */
    static int checksum(byte[] payload, int offset, int length) {
        CRC32C crc = checksumStart(length);
        crc.update(payload, offset, length);
        return checksumEnd(crc);
    }

    /** A checksum that has consumed the length field; feed it the payload, then {@link #checksumEnd}. */
    static CRC32C checksumStart(int payloadLength) {
        CRC32C crc = new CRC32C();
        // Byte by byte rather than through a scratch array: the torn-tail scan calls this per offset.
        crc.update(payloadLength >>> 24);
        crc.update(payloadLength >>> 16);
        crc.update(payloadLength >>> 8);
        crc.update(payloadLength);
        return crc;
    }

    static int checksumEnd(CRC32C crc) {
        return Checksums.mask((int) crc.getValue());
    }

    /** Writes the frame of {@code payload} at {@code frameOffset}; returns the offset after it. */
    static int writeFrame(byte[] buffer, int frameOffset, byte[] payload) {
        ByteCoding.putInt(buffer, frameOffset, payload.length);
        ByteCoding.putInt(buffer, frameOffset + LENGTH_BYTES, checksum(payload, 0, payload.length));
        System.arraycopy(payload, 0, buffer, frameOffset + HEADER_BYTES, payload.length);
        return frameOffset + frameBytes(payload.length);
    }
}
