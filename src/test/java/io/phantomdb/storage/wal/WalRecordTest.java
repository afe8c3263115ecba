package io.phantomdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.key.ValueKind;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Goal: a WAL record decodes to exactly the commit group (batches, timestamps, durable offset) it was
 * encoded from (empty keys, empty values and deletes included), its size is predicted exactly, and every
 * malformed payload (truncated, trailing bytes, unknown kind, absurd counts, bad timestamps) is rejected
 * rather than half-applied.
 * Also covers {@link WalFormat}'s file naming, which only accepts the names it produces.
 *
 * <p>Method: jqwik generates batches of random operations; malformed payloads are derived from valid
 * ones by cutting or extending them, or written field by field.
 */
class WalRecordTest {

    /** A generated operation, before it goes into a {@link WriteBatch}. */
    record Op(ValueKind kind, byte[] key, byte[] value) {}

    @Property(tries = 500)
    void recordDecodesToTheBatchItWasEncodedFrom(@ForAll("batches") List<Op> ops,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long timestamp) {
        WriteBatch batch = batchOf(ops);
        byte[] payload = one(batch, timestamp);
        assertEquals(WalRecord.encodedSize(List.of(batch), 0), payload.length);
        WalRecord.Batch decoded = decodeOne(payload);
        assertEquals(timestamp, decoded.timestamp());
        assertSameOperations(batch.operations(), decoded.operations());
    }

    @Property(tries = 200)
    void groupRecordDecodesToEveryBatchInOrderWithItsDurableOffset(@ForAll("groups") List<List<Op>> group,
            @ForAll @LongRange(min = 0, max = 1L << 40) long durableOffset) {
        List<WriteBatch> batches = group.stream().map(WalRecordTest::batchOf).toList();
        long[] timestamps = new long[batches.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = 1000 + 3L * i;
        }
        byte[] payload = WalRecord.encode(batches, timestamps, durableOffset);
        assertEquals(WalRecord.encodedSize(batches, durableOffset), payload.length);
        assertEquals(durableOffset, WalRecord.durableOffsetOf(payload));
        WalRecord.Decoded decoded = WalRecord.decode(payload);
        assertEquals(durableOffset, decoded.durableOffset());
        assertEquals(batches.size(), decoded.batches().size());
        for (int i = 0; i < batches.size(); i++) {
            assertEquals(timestamps[i], decoded.batches().get(i).timestamp());
            assertSameOperations(batches.get(i).operations(), decoded.batches().get(i).operations());
        }
    }

    @Example
    void durableOffsetOfMalformedPayloadIsUnknown() {
        assertEquals(-1, WalRecord.durableOffsetOf(new byte[0]));
        assertEquals(-1, WalRecord.durableOffsetOf(new byte[] {(byte) 0x80}));
    }

    @Property(tries = 100)
    void everyTruncatedRecordIsRejected(@ForAll("batches") List<Op> ops) {
        byte[] payload = one(batchOf(ops), 42);
        for (int length = 0; length < payload.length; length++) {
            byte[] cut = Arrays.copyOf(payload, length);
            assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(cut), "cut at " + length);
        }
    }

    @Property(tries = 100)
    void trailingBytesAreRejected(@ForAll("batches") List<Op> ops, @ForAll @IntRange(min = 1, max = 9) int extra) {
        byte[] payload = one(batchOf(ops), 42);
        byte[] longer = Arrays.copyOf(payload, payload.length + extra);
        assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(longer));
    }

    @Example
    void emptyKeysEmptyValuesAndDeletesRoundTrip() {
        WriteBatch batch = new WriteBatch().put(new byte[0], new byte[0]).put(new byte[] {1}, new byte[0])
                .put(new byte[0], new byte[] {2}).delete(new byte[0]).delete(new byte[] {3, 4});
        WalRecord.Batch decoded = decodeOne(one(batch, 7));
        assertSameOperations(batch.operations(), decoded.operations());
    }

    @Example
    void deleteStoresNoValueLength() {
        byte[] payload = one(new WriteBatch().delete(new byte[] {9}), 1);
        // header(2) + timestamp(8) + opCount(1) + kind(1) + keyLength(1) + key(1): no value length.
        assertEquals(HEADER + WalFormat.TIMESTAMP_BYTES + 4, payload.length);
        assertEquals(ValueKind.DELETE.code(), payload[HEADER + 9]);
    }

    /** The example record in docs/formats/wal.md, section "Record": the doc and the code must agree. */
    @Example
    void documentedExampleRecordMatchesTheEncodedBytes() {
        WriteBatch batch = new WriteBatch().put(new byte[] {'k'}, new byte[] {'v'}).delete(new byte[] {'x'});
        byte[] expected = {(byte) 0x80, 1, 1, 0, 0, 0, 0, 0, 0, 0, 5, 2, 1, 1, 'k', 1, 'v', 0, 1, 'x'};
        assertArrayEquals(expected, WalRecord.encode(batch, 5, 128));
    }

    @Example
    void batchWithoutOperationsRoundTrips() {
        WalRecord.Batch decoded = decodeOne(one(new WriteBatch(), 5));
        assertEquals(5, decoded.timestamp());
        assertTrue(decoded.operations().isEmpty());
    }

    @Example
    void unknownKindIsRejected() {
        for (int code : new int[] {2, 0x7F, 0xFF}) {
            byte[] payload = one(new WriteBatch().delete(new byte[] {1}), 1);
            payload[HEADER + WalFormat.TIMESTAMP_BYTES + 1] = (byte) code;
            assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(payload), "kind " + code);
        }
    }

    @Example
    void operationCountBeyondThePayloadIsRejectedWithoutAllocating() {
        ByteCoding.Writer out = new ByteCoding.Writer(32);
        out.varLong(0).varLong(1).int64(1).varLong(Integer.MAX_VALUE).u8(ValueKind.DELETE.code()).varLong(0);
        assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(out.toByteArray()));
    }

    @Example
    void keyLengthBeyondThePayloadIsRejected() {
        ByteCoding.Writer out = new ByteCoding.Writer(32);
        out.varLong(0).varLong(1).int64(1).varLong(1).u8(ValueKind.PUT.code()).varLong(1L << 40).u8(0);
        assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(out.toByteArray()));
    }

    @Example
    void timestampsOutsideTheBatchRangeAreRejected() {
        WriteBatch batch = new WriteBatch().put(new byte[] {1}, new byte[] {2});
        assertThrows(IllegalArgumentException.class, () -> one(batch, -1));
        assertThrows(IllegalArgumentException.class, () -> one(batch, Long.MAX_VALUE));
        byte[] payload = one(batch, 1);
        ByteCoding.putLong(payload, HEADER, Long.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(payload));
        ByteCoding.putLong(payload, HEADER, -5);
        assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(payload));
    }

    @Example
    void walFileNamesAreZeroPaddedFileNumbers() {
        assertEquals("000042.wal", WalFormat.fileName(42));
        assertEquals("1234567.wal", WalFormat.fileName(1_234_567));
        assertEquals(OptionalLong.of(42), WalFormat.parseFileNumber("000042.wal"));
        assertEquals(OptionalLong.of(1_234_567), WalFormat.parseFileNumber("1234567.wal"));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), WalFormat.parseFileNumber(WalFormat.fileName(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> WalFormat.fileName(0));
    }

    @Example
    void onlyNamesTheWalProducesParseAsWalFiles() {
        String[] others = {"42.wal", "0000042.wal", "000000.wal", "abcdef.wal", "000042.log", "-00042.wal",
            "+00042.wal", "000042.wal.tmp", ".wal", "99999999999999999999.wal", "9223372036854775808.wal",
            "MANIFEST", "00004٢.wal"};
        for (String name : others) {
            assertEquals(OptionalLong.empty(), WalFormat.parseFileNumber(name), name);
        }
    }

    @Provide
    Arbitrary<List<List<Op>>> groups() {
        return batches().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Op>> batches() {
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Op> ops = Combinators.combine(Arbitraries.of(ValueKind.class), keys, values).as(Op::new);
        return ops.list().ofMaxSize(30);
    }

    /** Bytes before the first batch's timestamp in a one-batch record with durable offset 0. */
    private static final int HEADER = 2;

    private static byte[] one(WriteBatch batch, long timestamp) {
        return WalRecord.encode(batch, timestamp, 0);
    }

    private static WalRecord.Batch decodeOne(byte[] payload) {
        WalRecord.Decoded decoded = WalRecord.decode(payload);
        assertEquals(1, decoded.batches().size());
        return decoded.batches().get(0);
    }

    private static WriteBatch batchOf(List<Op> ops) {
        WriteBatch batch = new WriteBatch();
        for (Op op : ops) {
            if (op.kind() == ValueKind.PUT) {
                batch.put(op.key(), op.value());
            } else {
                batch.delete(op.key());
            }
        }
        return batch;
    }

    private static void assertSameOperations(List<WriteBatch.Operation> expected, List<WriteBatch.Operation> actual) {
        assertEquals(expected.size(), actual.size(), "operation count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).kind(), actual.get(i).kind(), "kind of operation " + i);
            assertArrayEquals(expected.get(i).key(), actual.get(i).key(), "key of operation " + i);
            assertArrayEquals(expected.get(i).value(), actual.get(i).value(), "value of operation " + i);
        }
    }
}
