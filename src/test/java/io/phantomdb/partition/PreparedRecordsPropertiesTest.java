package io.phantomdb.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phantomdb.storage.CorruptionException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Goal: the PREPARE record format (docs/formats/prepared.md) gives back exactly the mutations it was given, its
 * keys give back their txn id and sort inside their reserved range, and damaged values fail with a
 * CorruptionException rather than a wrong mutation list or an unbounded allocation. Method: jqwik generates
 * mutation lists (puts and deletes, empty and binary keys and values) and txn ids over the whole long range;
 * damage is a truncation at any point or a trailing byte.
 */
class PreparedRecordsPropertiesTest {

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Mutation> put = bytes.flatMap(k -> bytes.map(v -> new Mutation.Put(k, v)));
        Arbitrary<Mutation> delete = bytes.map(Mutation.Delete::new);
        return Arbitraries.oneOf(put, delete).list().ofMaxSize(30);
    }

    @Property
    void valuesRoundTrip(@ForAll("mutations") List<Mutation> mutations) {
        List<Mutation> decoded = PreparedRecords.decode(PreparedRecords.encode(mutations));
        assertEquals(mutations.size(), decoded.size());
        for (int i = 0; i < mutations.size(); i++) {
            Mutation want = mutations.get(i);
            Mutation got = decoded.get(i);
            assertEquals(want.getClass(), got.getClass());
            if (want instanceof Mutation.Put put) {
                assertArrayEquals(put.key(), ((Mutation.Put) got).key());
                assertArrayEquals(put.value(), ((Mutation.Put) got).value());
            } else {
                assertArrayEquals(((Mutation.Delete) want).key(), ((Mutation.Delete) got).key());
            }
        }
    }

    @Property
    void truncatedOrExtendedValuesAreCorrupt(@ForAll("mutations") List<Mutation> mutations,
            @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] value = PreparedRecords.encode(mutations);
        byte[] truncated = Arrays.copyOf(value, cut % value.length);
        assertThrows(CorruptionException.class, () -> PreparedRecords.decode(truncated));
        byte[] extended = Arrays.copyOf(value, value.length + 1);
        assertThrows(CorruptionException.class, () -> PreparedRecords.decode(extended));
    }

    @Property
    void keysRoundTripAndStayInTheirRange(@ForAll long txnId) {
        byte[] key = PreparedRecords.key(txnId);
        assertEquals(txnId, PreparedRecords.txnId(key));
        assertEquals(true, Arrays.compareUnsigned(PreparedRecords.rangeLow(), key) <= 0);
        assertEquals(true, Arrays.compareUnsigned(key, PreparedRecords.rangeHigh()) < 0);
        assertEquals(true, PreparedRecords.reserved(key));
    }
}
