package io.phantomdb.partition;

import io.phantomdb.storage.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of two-phase-commit PREPARE records (docs/formats/prepared.md; keep the two in sync, the
 * format is persistent).
 *
 * <pre>
 *   key   := 0x00 'P' txnId:int64                     (big-endian; outside table key space)
 *   value := 0x01 count:int32 mutation*count
 * </pre>
 *
 * Table keys are KeyCodec tuples, whose first byte is a type tag in 0x05..0xFA, so no table key ever starts
 * with 0x00 and no table scan, bounded or not by table key prefixes, can meet a PREPARE record.
 *
 * <p>Stateless and thread-safe.
 */
public final class PreparedRecords {
    /** First two bytes of every PREPARE record key. Frozen: on disk. */
    private static final byte SPACE = 0x00;
    private static final byte PREPARED = 'P';
    static final int KEY_LENGTH = 2 + Long.BYTES;

    /** Leading byte of a record value: the layout version. Frozen: on disk. */
    static final byte FORMAT_V1 = 0x01;
    /** Mutation kinds. Frozen: on disk. */
    static final byte KIND_PUT = 0x01;
    static final byte KIND_DELETE = 0x02;
    /** Smallest encoded mutation: kind, key length, value length (empty key and value). */
    private static final int MUTATION_BYTES_MIN = 1 + Integer.BYTES + Integer.BYTES;

    /** Where a decode failure is reported: the record lives in the engine, not in a file of its own. */
    private static final Path NO_FILE = Path.of("<prepared-record>");

    private PreparedRecords() {}

    /** The key of {@code txnId}'s PREPARE record. */
    public static byte[] key(long txnId) {
        return ByteBuffer.allocate(KEY_LENGTH).put(SPACE).put(PREPARED).putLong(txnId).array();
    }

    /** Inclusive low end of the PREPARE record range. */
    public static byte[] rangeLow() {
        return new byte[] {SPACE, PREPARED};
    }

    /** Exclusive high end of the PREPARE record range. */
    public static byte[] rangeHigh() {
        return new byte[] {SPACE, PREPARED + 1};
    }

    /** True when {@code key} lies in the reserved space PREPARE records use (first byte 0x00). */
    public static boolean reserved(byte[] key) {
        return key.length > 0 && key[0] == SPACE;
    }

    /** The transaction id of a PREPARE record key; CorruptionException if it is not one. */
    public static long txnId(byte[] key) {
        if (key.length != KEY_LENGTH || key[0] != SPACE || key[1] != PREPARED) {
            throw new CorruptionException(NO_FILE, 0, "not a PREPARE record key (" + key.length + " bytes)");
        }
        return ByteBuffer.wrap(key, 2, Long.BYTES).getLong();
    }

    /** The record value holding {@code mutations}. */
    public static byte[] encode(List<Mutation> mutations) {
        int size = 1 + Integer.BYTES;
        for (Mutation m : mutations) {
            size = Math.addExact(size, MUTATION_BYTES_MIN + m.key().length + value(m).length);
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT_V1).putInt(mutations.size());
        for (Mutation m : mutations) {
            out.put(m instanceof Mutation.Put ? KIND_PUT : KIND_DELETE);
            out.putInt(m.key().length).put(m.key());
            out.putInt(value(m).length).put(value(m));
        }
        assert !out.hasRemaining() : "size computed wrongly";
        return out.array();
    }

    /** The mutations of a record value; CorruptionException (naming the offset) if malformed. */
    public static List<Mutation> decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        check(in, 1 + Integer.BYTES, "header");
        byte format = in.get();
        if (format != FORMAT_V1) {
            throw corrupt(0, "unknown format " + format);
        }
        int count = in.getInt();
        // Bound the count by the bytes present before allocating anything for it.
        if (count < 0 || count > in.remaining() / MUTATION_BYTES_MIN) {
            throw corrupt(1, "mutation count " + count + " does not fit in " + in.remaining() + " bytes");
        }
        List<Mutation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = in.position();
            check(in, 1, "kind");
            byte kind = in.get();
            byte[] key = bytes(in, "key");
            byte[] val = bytes(in, "value");
            if (kind == KIND_PUT) {
                out.add(new Mutation.Put(key, val));
            } else if (kind == KIND_DELETE && val.length == 0) {
                out.add(new Mutation.Delete(key));
            } else {
                throw corrupt(at, "bad mutation kind " + kind + " (value of " + val.length + " bytes)");
            }
        }
        if (in.hasRemaining()) {
            throw corrupt(in.position(), in.remaining() + " trailing bytes");
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer in, String what) {
        check(in, Integer.BYTES, what + " length");
        int at = in.position();
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw corrupt(at, what + " length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private static void check(ByteBuffer in, int needed, String what) {
        if (in.remaining() < needed) {
            throw corrupt(in.position(), "truncated " + what);
        }
    }

    private static CorruptionException corrupt(int offset, String what) {
        return new CorruptionException(NO_FILE, offset, "PREPARE record: " + what);
    }

    private static byte[] value(Mutation m) {
        return m instanceof Mutation.Put put ? put.value() : new byte[0];
    }
}
