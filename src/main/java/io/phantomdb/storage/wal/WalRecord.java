package io.phantomdb.storage.wal;

import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.log.LogFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The WAL payload of one committed {@link WriteBatch} (docs/formats/wal.md, "Record"):
 *
 * <pre>
 * record    := timestamp:u64be  opCount:varint  operation{opCount}
 * operation := kind:u8  keyLength:varint  key  [valueLength:varint  value]   value only for PUT
 * </pre>
 *
 * <p>One record holds one whole batch, so a batch is replayed entirely or not at all. Decoding checks
 * every field and throws {@link IllegalArgumentException} on anything malformed, which the engine turns
 * into a corruption error naming the WAL file and the record's offset. Stateless and thread-safe.
 */
public final class WalRecord {

    /** A decoded record: the batch's commit timestamp and its operations, in batch order. */
    public record Decoded(long timestamp, List<WriteBatch.Operation> operations) {}

    private static final byte[] EMPTY = new byte[0];

    private WalRecord() {}

    /** The payload for {@code batch} committed at {@code timestamp} (the batch's own timestamp is ignored). */
    public static byte[] encode(WriteBatch batch, long timestamp) {
        checkTimestamp(timestamp);
        byte[] payload = new byte[encodedSize(batch)];
        ByteCoding.putLong(payload, 0, timestamp);
        int offset = ByteCoding.putVarLong(payload, WalFormat.TIMESTAMP_BYTES, batch.size());
        for (WriteBatch.Operation op : batch.operations()) {
            offset = encodeOperation(payload, offset, op);
        }
        assert offset == payload.length : "encoded " + offset + " of " + payload.length + " bytes";
        return payload;
    }

    /**
     * Bytes {@link #encode} produces for {@code batch}.
     *
     * @throws IllegalArgumentException if the batch does not fit in one log record
     */
    public static int encodedSize(WriteBatch batch) {
        long size = WalFormat.TIMESTAMP_BYTES + ByteCoding.varLongSize(batch.size());
        for (WriteBatch.Operation op : batch.operations()) {
            size += 1 + lengthPrefixedSize(op.key());
            if (op.kind() == ValueKind.PUT) {
                size += lengthPrefixedSize(op.value());
            }
        }
        if (size > LogFormat.PAYLOAD_BYTES_MAX) {
            throw new IllegalArgumentException("batch of " + batch.size() + " operations needs " + size
                    + " bytes, more than one WAL record holds (" + LogFormat.PAYLOAD_BYTES_MAX + ")");
        }
        return (int) size;
    }

    /** Decodes and validates a payload written by {@link #encode}. */
    public static Decoded decode(byte[] payload) {
        ByteCoding.Reader in = new ByteCoding.Reader(payload);
        long timestamp = in.int64();
        checkTimestamp(timestamp);
        // Bounding the count by the bytes left keeps a garbled count from allocating a huge list.
        int opCount = in.varInt(in.remaining() / WalFormat.OPERATION_BYTES_MIN);
        List<WriteBatch.Operation> operations = new ArrayList<>(opCount);
        for (int i = 0; i < opCount; i++) {
            operations.add(decodeOperation(in));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after " + opCount + " operations");
        }
        return new Decoded(timestamp, List.copyOf(operations));
    }

    private static int encodeOperation(byte[] payload, int offset, WriteBatch.Operation op) {
        payload[offset++] = (byte) op.kind().code();
        offset = putLengthPrefixed(payload, offset, op.key());
        if (op.kind() == ValueKind.PUT) {
            offset = putLengthPrefixed(payload, offset, op.value());
        } else if (op.value().length != 0) {
            // A DELETE stores no value; encoding one would silently drop it.
            throw new IllegalArgumentException("DELETE operation carries a " + op.value().length + "-byte value");
        }
        return offset;
    }

    private static WriteBatch.Operation decodeOperation(ByteCoding.Reader in) {
        int code = in.u8();
        ValueKind kind = ValueKind.fromCode(code);
        byte[] key = in.bytes(in.varInt(in.remaining()));
        byte[] value = kind == ValueKind.PUT ? in.bytes(in.varInt(in.remaining())) : EMPTY;
        return new WriteBatch.Operation(kind, key, value);
    }

    private static int putLengthPrefixed(byte[] payload, int offset, byte[] bytes) {
        offset = ByteCoding.putVarLong(payload, offset, bytes.length);
        System.arraycopy(bytes, 0, payload, offset, bytes.length);
        return offset + bytes.length;
    }

    private static long lengthPrefixedSize(byte[] bytes) {
        return ByteCoding.varLongSize(bytes.length) + (long) bytes.length;
    }

    /** The range {@link WriteBatch#timestamp(long)} accepts; anything else was never written by us. */
    private static void checkTimestamp(long timestamp) {
        if (timestamp < 0 || timestamp == Long.MAX_VALUE) {
            throw new IllegalArgumentException("timestamp out of range: " + timestamp);
        }
    }
}
