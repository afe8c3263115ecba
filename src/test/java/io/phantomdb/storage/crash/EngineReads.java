package io.phantomdb.storage.crash;

import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.crash.KvModel.Observed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads everything a user can read from an engine: a forward scan, a reverse scan, and a point get of every
 * key of the key space, and checks that they agree with each other. Engine exceptions propagate; the
 * caller decides whether they are allowed.
 */
final class EngineReads {

    private EngineReads() {}

    /** What was read, and where the read paths disagreed (scan order, scan vs get, forward vs reverse). */
    record ReadResult(Map<String, Observed> state, List<String> violations) {}

    static ReadResult readAll(Engine engine, Collection<String> keySpace, boolean reverseToo) {
        List<String> violations = new ArrayList<>();
        long at = engine.lastTimestamp();
        List<Entry> forward = scan(engine, at, false, violations);
        Map<String, Observed> state = new TreeMap<>();
        for (Entry e : forward) {
            state.put(e.key, new Observed(e.value, e.timestamp));
            if (e.timestamp > at) {
                violations.add("scan at " + at + " returned " + e.key + " with newer timestamp " + e.timestamp);
            }
        }
        if (reverseToo) {
            List<Entry> reverse = scan(engine, at, true, violations);
            List<Entry> expected = new ArrayList<>(forward);
            java.util.Collections.reverse(expected);
            if (!sameEntries(expected, reverse)) {
                violations.add("reverse scan (" + reverse.size() + " keys) differs from forward scan reversed ("
                        + forward.size() + " keys)" + firstDifference(expected, reverse));
            }
        }
        for (String k : keySpace) {
            byte[] got = engine.get(KvModel.bytes(k));
            Observed scanned = state.get(k);
            byte[] fromScan = scanned == null ? null : scanned.value();
            if (!Arrays.equals(got, fromScan)) {
                violations.add("get(" + k + ") = " + KvModel.describe(got) + " but scan shows " + KvModel.describe(fromScan));
            }
        }
        return new ReadResult(state, violations);
    }

    private record Entry(String key, byte[] value, long timestamp) {}

    private static List<Entry> scan(Engine engine, long at, boolean reverse, List<String> violations) {
        List<Entry> entries = new ArrayList<>();
        try (KvIterator it = engine.scan(null, null, at, reverse)) {
            byte[] previous = null;
            while (it.next()) {
                byte[] key = it.key();
                if (previous != null) {
                    int c = Arrays.compareUnsigned(previous, key);
                    if (reverse ? c <= 0 : c >= 0) {
                        violations.add((reverse ? "reverse" : "forward") + " scan out of order: "
                                + KvModel.describe(previous) + " then " + KvModel.describe(key));
                    }
                }
                previous = key;
                entries.add(new Entry(new String(key, StandardCharsets.US_ASCII), it.value(), it.timestamp()));
            }
        }
        return entries;
    }

    private static boolean sameEntries(List<Entry> a, List<Entry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).key.equals(b.get(i).key) || !Arrays.equals(a.get(i).value, b.get(i).value)) {
                return false;
            }
        }
        return true;
    }

    private static String firstDifference(List<Entry> expected, List<Entry> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).key.equals(actual.get(i).key) || !Arrays.equals(expected.get(i).value, actual.get(i).value)) {
                return " at position " + i + ": expected " + expected.get(i).key + "=" + KvModel.describe(expected.get(i).value)
                        + ", got " + actual.get(i).key + "=" + KvModel.describe(actual.get(i).value);
            }
        }
        return "";
    }
}
