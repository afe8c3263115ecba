package io.phantomdb.storage.wal;

import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.key.ValueKind;
import io.phantomdb.storage.log.LogFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The WAL payload of one commit group: the batches written together before one fsync (see
 * docs/formats/wal.md, "Record"):
 *
 * <pre>
 * record    := durableOffset:varint  batchCount:varint  batch{batchCount}
 * batch     := timestamp:u64be  opCount:varint  operation{opCount}
 * operation := kind:u8  keyLength:varint  key  [valueLength:varint  value]   value only for PUT
 * </pre>
 *
 * <p>{@code durableOffset} is how many bytes of this WAL file were known to be fsynced when the record
 * was written. Recovery uses it to tell a torn, never-synced tail from damage to synced bytes: a bad
 * record is corruption only if a valid record after it says the bad bytes had been synced.
 *
 * <p>One record holds whole batches, so a batch (and a group) is replayed entirely or not at all.
 * Decoding checks every field and throws {@link IllegalArgumentException} on anything malformed, which
 * the engine turns into a corruption error naming the WAL file and the record's offset. Stateless and
 * thread-safe.
 */
public final class WalRecord {

    /** One batch of a record: its commit timestamp and operations, in batch order. */
    public record Batch(long timestamp, List<WriteBatch.Operation> operations) {}

    /** A decoded record. */
    public record Decoded(long durableOffset, List<Batch> batches) {}

    private static final byte[] EMPTY = new byte[0];

    private WalRecord() {}

    /**
     * The payload for {@code batches}, committed at {@code timestamps} (the batches' own timestamps are
     * ignored), written when the first {@code durableOffset} bytes of the file were synced.
     */
    public static byte[] encode(List<WriteBatch> batches, long[] timestamps, long durableOffset) {
        if (batches.size() != timestamps.length) {
            throw new IllegalArgumentException(batches.size() + " batches but " + timestamps.length + " timestamps");
        }
        if (durableOffset < 0) {
            throw new IllegalArgumentException("durable offset " + durableOffset);
        }
        byte[] payload = new byte[encodedSize(batches, durableOffset)];
        int offset = ByteCoding.putVarLong(payload, 0, durableOffset);
        offset = ByteCoding.putVarLong(payload, offset, batches.size());
        for (int i = 0; i < batches.size(); i++) {
            checkTimestamp(timestamps[i]);
            ByteCoding.putLong(payload, offset, timestamps[i]);
            offset = ByteCoding.putVarLong(payload, offset + WalFormat.TIMESTAMP_BYTES, batches.get(i).size());
            for (WriteBatch.Operation op : batches.get(i).operations()) {
                offset = encodeOperation(payload, offset, op);
            }
        }
        assert offset == payload.length : "encoded " + offset + " of " + payload.length + " bytes";
        return payload;
    }

    /** A record of one batch. */
    public static byte[] encode(WriteBatch batch, long timestamp, long durableOffset) {
        return encode(List.of(batch), new long[] {timestamp}, durableOffset);
    }

    /**
     * Bytes {@link #encode} produces.
     *
     * @throws IllegalArgumentException if the batches do not fit in one log record
     */
    public static int encodedSize(List<WriteBatch> batches, long durableOffset) {
        long size = ByteCoding.varLongSize(durableOffset) + ByteCoding.varLongSize(batches.size());
        for (WriteBatch batch : batches) {
            size += batchSize(batch);
        }
        if (size > LogFormat.PAYLOAD_BYTES_MAX) {
            throw new IllegalArgumentException(batches.size() + " batches need " + size
                    + " bytes, more than one WAL record holds (" + LogFormat.PAYLOAD_BYTES_MAX + ")");
        }
        return (int) size;
    }

    /** Bytes one batch takes inside a record (an upper bound check for callers that group batches). */
    public static long batchSize(WriteBatch batch) {
        long size = WalFormat.TIMESTAMP_BYTES + ByteCoding.varLongSize(batch.size());
        for (WriteBatch.Operation op : batch.operations()) {
            size += 1 + lengthPrefixedSize(op.key());
            if (op.kind() == ValueKind.PUT) {
                size += lengthPrefixedSize(op.value());
            }
        }
        return size;
    }

    /** Decodes and validates a payload written by {@link #encode}. */
    public static Decoded decode(byte[] payload) {
        ByteCoding.Reader in = new ByteCoding.Reader(payload);
        long durableOffset = in.varLong();
        if (durableOffset < 0) {
            throw new IllegalArgumentException("durable offset " + durableOffset);
        }
        // Bounding counts by the bytes left keeps a garbled count from allocating a huge list.
        int batchCount = in.varInt(in.remaining() / WalFormat.BATCH_BYTES_MIN);
        List<Batch> batches = new ArrayList<>(batchCount);
        for (int b = 0; b < batchCount; b++) {
            long timestamp = in.int64();
            checkTimestamp(timestamp);
            int opCount = in.varInt(in.remaining() / WalFormat.OPERATION_BYTES_MIN);
            List<WriteBatch.Operation> operations = new ArrayList<>(opCount);
            for (int i = 0; i < opCount; i++) {
                operations.add(decodeOperation(in));
            }
            batches.add(new Batch(timestamp, List.copyOf(operations)));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after " + batchCount + " batches");
        }
        return new Decoded(durableOffset, List.copyOf(batches));
    }

    /**
     * The durable offset a payload claims, read without decoding the rest; -1 if even that field is
     * malformed. Used by recovery while it judges a bad record.
     */
    public static long durableOffsetOf(byte[] payload) {
        try {
            return new ByteCoding.Reader(payload).varLong();
        } catch (IllegalArgumentException e) {
            return -1;
        }
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
