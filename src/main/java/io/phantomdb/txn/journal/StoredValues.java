package io.phantomdb.txn.journal;

import io.phantomdb.storage.codec.ByteCoding;
import java.nio.charset.StandardCharsets;

/**
 * Values of the journal and snapshot engines (docs/formats/journal.md). Every value starts with a format
 * byte, so that a later layout can be told apart from this one; integers are big-endian, lengths varints.
 *
 * <pre>
 *   event value    := 0x01 serialized                                   (the whole PersistentRepr)
 *   highest value  := int64 sequenceNr
 *   snapshot value := 0x01 int64 timestamp serialized u8 hasMetadata [serialized]
 *   serialized     := int32 serializerId varint(len) manifest-utf8 varint(len) bytes
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class StoredValues {

    /** Format byte of every event and snapshot value written today. Written to disk: never reuse a number. */
    static final int FORMAT_V1 = 1;

    /** Longest manifest accepted when reading: a longer length can only come from damaged bytes. */
    static final int MANIFEST_BYTES_MAX = 64 * 1024;

    /** What a serializer produced for one object: enough to find the same serializer when reading. */
    record Serialized(int serializerId, String manifest, byte[] bytes) {}

    /** A decoded snapshot value; {@code metadata} is null when none was stored. */
    record SnapshotValue(long timestamp, Serialized snapshot, Serialized metadata) {}

    private StoredValues() {}

    static byte[] encodeEvent(Serialized repr) {
        ByteCoding.Writer out = new ByteCoding.Writer(repr.bytes().length + 32);
        out.u8(FORMAT_V1);
        write(out, repr);
        return out.toByteArray();
    }

    static Serialized decodeEvent(byte[] value) {
        ByteCoding.Reader in = new ByteCoding.Reader(value);
        checkFormat(in.u8(), "event");
        Serialized repr = read(in);
        checkConsumed(in, "event");
        return repr;
    }

    static byte[] encodeHighest(long sequenceNr) {
        return new ByteCoding.Writer(8).int64(sequenceNr).toByteArray();
    }

    static long decodeHighest(byte[] value) {
        ByteCoding.Reader in = new ByteCoding.Reader(value);
        long sequenceNr = in.int64();
        checkConsumed(in, "highest sequence number");
        return sequenceNr;
    }

    static byte[] encodeSnapshot(SnapshotValue value) {
        ByteCoding.Writer out = new ByteCoding.Writer(value.snapshot().bytes().length + 64);
        out.u8(FORMAT_V1).int64(value.timestamp());
        write(out, value.snapshot());
        out.u8(value.metadata() == null ? 0 : 1);
        if (value.metadata() != null) {
            write(out, value.metadata());
        }
        return out.toByteArray();
    }

    static SnapshotValue decodeSnapshot(byte[] value) {
        ByteCoding.Reader in = new ByteCoding.Reader(value);
        checkFormat(in.u8(), "snapshot");
        long timestamp = in.int64();
        Serialized snapshot = read(in);
        int hasMetadata = in.u8();
        if (hasMetadata > 1) {
            throw new IllegalArgumentException("snapshot value: metadata flag " + hasMetadata + " is neither 0 nor 1");
        }
        Serialized metadata = hasMetadata == 1 ? read(in) : null;
        checkConsumed(in, "snapshot");
        return new SnapshotValue(timestamp, snapshot, metadata);
    }

    private static void write(ByteCoding.Writer out, Serialized serialized) {
        out.int32(serialized.serializerId());
        out.lengthPrefixed(serialized.manifest().getBytes(StandardCharsets.UTF_8));
        out.lengthPrefixed(serialized.bytes());
    }

    private static Serialized read(ByteCoding.Reader in) {
        int serializerId = in.int32();
        String manifest = new String(in.bytes(in.varInt(MANIFEST_BYTES_MAX)), StandardCharsets.UTF_8);
        byte[] bytes = in.bytes(in.varInt(Integer.MAX_VALUE));
        return new Serialized(serializerId, manifest, bytes);
    }

    private static void checkFormat(int format, String what) {
        if (format != FORMAT_V1) {
            throw new IllegalArgumentException(what + " value: unknown format byte " + format + " (this version reads "
                    + FORMAT_V1 + ")");
        }
    }

    private static void checkConsumed(ByteCoding.Reader in, String what) {
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(what + " value: " + in.remaining() + " trailing bytes");
        }
    }
}
