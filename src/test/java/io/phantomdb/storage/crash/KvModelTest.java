package io.phantomdb.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.crash.KvModel.Batch;
import io.phantomdb.storage.crash.KvModel.Observed;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Goal: the checker of the crash tests rejects each kind of damage it claims to catch (a lost acknowledged
 * write, a stale value, a value nobody wrote, a half-applied batch, timestamps going backwards) and accepts
 * every outcome an unacknowledged write may legally have. A checker that accepts too much would make the
 * crash tests pass for the wrong reason. Method: hand-built histories and observed states.
 */
class KvModelTest {

    private static final List<String> KEYS = KvModel.keySpace(4);
    private static final String K0 = KvModel.key(0);
    private static final String K1 = KvModel.key(1);

    private final KvModel model = new KvModel();
    private final Random rnd = new Random(1);

    @Test
    void acceptsNewestAcknowledgedState() {
        Batch a = acked(1, K0, K1);
        Batch b = acked(2, K0);
        assertEquals(List.of(), model.check(state(K0, b, K1, a), KEYS));
    }

    @Test
    void rejectsLostAcknowledgedWrite() {
        acked(1, K0);
        List<String> v = model.check(new TreeMap<>(), KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("lost acknowledged")), v.toString());
    }

    @Test
    void rejectsStaleValue() {
        Batch a = acked(1, K0);
        acked(2, K0);
        List<String> v = model.check(state(K0, a), KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("stale")), v.toString());
    }

    @Test
    void rejectsValueNobodyWrote() {
        Batch a = acked(1, K0);
        Map<String, Observed> seen = state(K0, a);
        seen.put(K1, new Observed(a.ops.get(K0), 1)); // right bytes, wrong key
        List<String> v = model.check(seen, KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("no batch wrote")), v.toString());
    }

    @Test
    void unacknowledgedWriteMayOrMayNotSurviveButOnlyWhole() {
        Batch a = acked(1, K0, K1);
        Batch u = batch(K0, K1);
        model.begin(u);
        model.fail(u);
        assertEquals(List.of(), model.check(state(K0, a, K1, a), KEYS), "unacknowledged batch lost: fine");
        assertEquals(List.of(), model.check(state(K0, u, K1, u), KEYS), "unacknowledged batch kept whole: fine");
        List<String> v = model.check(state(K0, u, K1, a), KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("half-applied")), v.toString());
    }

    @Test
    void rejectsTimestampsGoingBackwards() {
        acked(5, K0);
        Batch later = acked(3, K1);
        List<String> v = model.check(state(K1, later), KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("timestamp went backwards")), v.toString());
    }

    @Test
    void rebaseMakesOlderWritesStale() {
        Batch a = acked(1, K0);
        model.rebase(state(K0, a), KEYS);
        Batch b = acked(2, K0);
        assertEquals(List.of(), model.check(state(K0, b), KEYS));
        List<String> v = model.check(new TreeMap<>(), KEYS);
        assertTrue(v.stream().anyMatch(s -> s.contains("lost acknowledged")), v.toString());
    }

    private Batch batch(String... keys) {
        Batch b = null;
        TreeMap<String, byte[]> ops = new TreeMap<>();
        for (String k : keys) {
            Batch one = model.putBatch(rnd, k, 3);
            ops.put(k, one.ops.get(k));
            b = one;
        }
        // One batch owning all the values (ids are only labels inside the values).
        return new Batch(b.id, ops, false);
    }

    private Batch acked(long timestamp, String... keys) {
        Batch b = batch(keys);
        model.begin(b);
        model.acknowledge(b, timestamp);
        return b;
    }

    private static Map<String, Observed> state(Object... keyAndBatch) {
        Map<String, Observed> s = new TreeMap<>();
        for (int i = 0; i < keyAndBatch.length; i += 2) {
            String k = (String) keyAndBatch[i];
            Batch b = (Batch) keyAndBatch[i + 1];
            s.put(k, new Observed(b.ops.get(k), b.acknowledged ? b.timestamp : -1));
        }
        return s;
    }
}
