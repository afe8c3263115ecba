package io.phantomdb.storage.crash;

import io.phantomdb.storage.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a user may see after crashes and I/O errors, given which write batches were acknowledged.
 *
 * <p>Every batch gets a unique id; every value it puts is {@code b<id>:<key>:<padding>}, so an observed value
 * names the batch it came from (and a value from nowhere, or from another key, is caught). Each batch has a
 * real-time interval [start, end] on a logical clock, ended by acknowledgement (write returned, with its
 * commit timestamp) or failure (write threw; outcome unknown).
 *
 * <p>Order between two batches: if both were acknowledged, by commit timestamp; otherwise batch a is
 * definitely before batch b when a ended before b started (the engine assigns increasing timestamps, so a
 * write issued after another finished cannot be older). Anything else may have happened in either order.
 *
 * <p>Rules checked, per key: the observed version comes from the newest acknowledged write, or from a write
 * not definitely before it (an unacknowledged write may or may not have survived); a value no batch wrote is
 * always wrong. Per batch: a batch seen on any key (or acknowledged) is applied whole: each of its keys shows
 * it or a write not definitely before it. Across batches: acknowledged timestamps are unique and follow
 * real-time order.
 *
 * <p>Thread-safety: {@link #begin}, {@link #acknowledge} and {@link #fail} may be called from the workload
 * threads; checks run after they joined.
 */
final class KvModel {

    /** One observed key: its value (null = absent) and the commit timestamp of that version (-1 = unknown). */
    record Observed(byte[] value, long timestamp) {
        static final Observed ABSENT = new Observed(null, -1);
    }

    /** A write batch of the workload; {@code ops} maps key to value, null meaning delete. */
    static final class Batch {
        final long id;
        final TreeMap<String, byte[]> ops;
        final boolean baseline;
        volatile long start;
        volatile long end;
        volatile boolean acknowledged;
        volatile long timestamp = -1;

        Batch(long id, TreeMap<String, byte[]> ops, boolean baseline) {
            this.id = id;
            this.ops = ops;
            this.baseline = baseline;
        }

        WriteBatch toWriteBatch() {
            WriteBatch batch = new WriteBatch();
            ops.forEach((key, value) -> {
                if (value == null) {
                    batch.delete(bytes(key));
                } else {
                    batch.put(bytes(key), value);
                }
            });
            return batch;
        }

        @Override
        public String toString() {
            String state = baseline ? "recovered state" : acknowledged ? "acked ts=" + timestamp
                    : end > 0 ? "failed" : "in flight";
            return "batch " + id + " (" + state + ", t=[" + start + "," + end + "], keys=" + ops.keySet() + ")";
        }
    }

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Batch> batches = new ArrayList<>();
    private final Map<String, List<Batch>> byKey = new HashMap<>();

    static String key(int index) {
        return String.format("k%05d", index);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String describe(byte[] value) {
        if (value == null) {
            return "<absent>";
        }
        String s = new String(value, StandardCharsets.US_ASCII);
        return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + ")" : s;
    }

    /** All keys the workload may touch: {@code key(0) .. key(count - 1)}. */
    static List<String> keySpace(int count) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    /** A random batch of 1..opsMax distinct keys from [0, keyCount), about 15% deletes. Not yet begun. */
    Batch randomBatch(Random rnd, int keyCount, int opsMax, int paddingMax) {
        long id = nextId.getAndIncrement();
        TreeMap<String, byte[]> ops = new TreeMap<>();
        int n = 1 + rnd.nextInt(opsMax);
        for (int i = 0; i < n; i++) {
            String k = key(rnd.nextInt(keyCount));
            if (rnd.nextInt(100) < 15) {
                ops.put(k, null);
            } else {
                ops.put(k, value(id, k, rnd.nextInt(paddingMax + 1), rnd));
            }
        }
        return new Batch(id, ops, false);
    }

    /** A batch putting one value of {@code padding} random letters (plus its id prefix) to {@code key}. */
    Batch putBatch(Random rnd, String key, int padding) {
        long id = nextId.getAndIncrement();
        TreeMap<String, byte[]> ops = new TreeMap<>();
        ops.put(key, value(id, key, padding, rnd));
        return new Batch(id, ops, false);
    }

    static byte[] value(long id, String key, int padding, Random rnd) {
        StringBuilder s = new StringBuilder("b").append(id).append(':').append(key).append(':');
        for (int i = 0; i < padding; i++) {
            s.append((char) ('a' + rnd.nextInt(26)));
        }
        return bytes(s.toString());
    }

    /** Call just before the write is issued. */
    synchronized void begin(Batch batch) {
        batch.start = clock.incrementAndGet();
        batches.add(batch);
        for (String k : batch.ops.keySet()) {
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(batch);
        }
    }

    /** The write returned {@code timestamp}: the batch is durable and visible. */
    void acknowledge(Batch batch, long timestamp) {
        batch.timestamp = timestamp;
        batch.acknowledged = true;
        batch.end = clock.incrementAndGet();
    }

    /** The write threw: it may or may not be applied. */
    void fail(Batch batch) {
        batch.end = clock.incrementAndGet();
    }

    synchronized List<Batch> batches() {
        return new ArrayList<>(batches);
    }

    synchronized long acknowledgedCount() {
        return batches.stream().filter(b -> b.acknowledged && !b.baseline).count();
    }

    /**
     * Forgets every batch and takes {@code state} (read from a recovered engine, already checked) as the
     * acknowledged starting point: a later check fails if anything older than it reappears.
     */
    synchronized void rebase(Map<String, Observed> state, Collection<String> keySpace) {
        batches.clear();
        byKey.clear();
        long now = clock.incrementAndGet();
        for (String k : keySpace) {
            Observed o = state.getOrDefault(k, Observed.ABSENT);
            TreeMap<String, byte[]> ops = new TreeMap<>();
            ops.put(k, o.value());
            Batch b = new Batch(-1, ops, true);
            b.start = now;
            b.end = now;
            b.acknowledged = true;
            b.timestamp = o.value() == null ? 0 : o.timestamp();
            batches.add(b);
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(b);
        }
        clock.incrementAndGet();
    }

    /** Every rule, over a full observed state (keys not in the map are absent). Empty when all hold. */
    synchronized List<String> check(Map<String, Observed> state, Collection<String> keySpace) {
        List<String> violations = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!byKey.containsKey(k) && state.get(k).value() != null) {
                violations.add("key " + k + " = " + describe(state.get(k).value()) + " was never written");
            }
        }
        for (String k : keySpace) {
            String v = checkKey(k, state.getOrDefault(k, Observed.ABSENT));
            if (v != null) {
                violations.add(v);
            }
        }
        violations.addAll(checkAtomicity(state));
        violations.addAll(checkTimestampOrder());
        return violations;
    }

    /** The per-key rule for one observation (also used for reads while the engine runs); null when it holds. */
    synchronized String checkKey(String k, Observed observed) {
        List<Batch> writes = byKey.getOrDefault(k, List.of());
        Batch newest = newestAcknowledged(writes);
        if (observed.value() != null) {
            Batch source = sourceOf(k, observed.value());
            if (source == null) {
                return "key " + k + " = " + describe(observed.value()) + ": no batch wrote this value to this key";
            }
            if (newest != null && source != newest && definitelyBefore(source, newest)) {
                return "key " + k + " shows stale " + source + " but newest acknowledged is " + newest;
            }
            if (source.acknowledged && !source.baseline && observed.timestamp() >= 0
                    && observed.timestamp() != source.timestamp) {
                return "key " + k + " from " + source + " read back with timestamp " + observed.timestamp();
            }
            return null;
        }
        if (newest == null || newest.ops.get(k) == null) {
            return null;
        }
        for (Batch b : writes) {
            if (b.ops.get(k) == null && !definitelyBefore(b, newest)) {
                return null;
            }
        }
        return "key " + k + " is absent: lost acknowledged " + newest;
    }

    private List<String> checkAtomicity(Map<String, Observed> state) {
        Set<Batch> applied = new LinkedHashSet<>();
        for (Map.Entry<String, Observed> e : state.entrySet()) {
            if (e.getValue().value() != null) {
                Batch source = sourceOf(e.getKey(), e.getValue().value());
                if (source != null && !source.baseline) {
                    applied.add(source);
                }
            }
        }
        for (Batch b : batches) {
            if (b.acknowledged && !b.baseline) {
                applied.add(b);
            }
        }
        List<String> violations = new ArrayList<>();
        for (Batch c : applied) {
            for (Map.Entry<String, byte[]> op : c.ops.entrySet()) {
                String k = op.getKey();
                byte[] seen = state.getOrDefault(k, Observed.ABSENT).value();
                String problem = null;
                if (seen != null) {
                    Batch source = sourceOf(k, seen);
                    if (source != null && source != c && definitelyBefore(source, c)) {
                        problem = "shows older " + source;
                    }
                } else if (op.getValue() != null && !deletedNotBefore(k, c)) {
                    problem = "its put is missing";
                }
                if (problem != null) {
                    violations.add("half-applied " + c + ": key " + k + " " + problem);
                }
            }
        }
        return violations;
    }

    private List<String> checkTimestampOrder() {
        List<String> violations = new ArrayList<>();
        List<Batch> acked = new ArrayList<>();
        Map<Long, Batch> byTimestamp = new HashMap<>();
        for (Batch b : batches) {
            if (b.acknowledged && !b.baseline) {
                acked.add(b);
                Batch other = byTimestamp.put(b.timestamp, b);
                if (other != null) {
                    violations.add("two batches acknowledged with timestamp " + b.timestamp + ": " + other + ", " + b);
                }
            }
        }
        for (Batch b : batches) {
            if (b.baseline) {
                acked.add(b);
            }
        }
        // Sweep by start: the largest timestamp of batches that ended before b started must be below b's.
        List<Batch> byEnd = new ArrayList<>(acked);
        byEnd.sort(Comparator.comparingLong(b -> b.end));
        List<Batch> byStart = new ArrayList<>(acked);
        byStart.sort(Comparator.comparingLong(b -> b.start));
        Batch maxEnded = null;
        int e = 0;
        for (Batch b : byStart) {
            while (e < byEnd.size() && byEnd.get(e).end < b.start) {
                Batch ended = byEnd.get(e++);
                if (maxEnded == null || ended.timestamp > maxEnded.timestamp) {
                    maxEnded = ended;
                }
            }
            if (!b.baseline && maxEnded != null && maxEnded.timestamp >= b.timestamp) {
                violations.add("timestamp went backwards: " + b + " started after " + maxEnded + " ended");
            }
        }
        return violations;
    }

    private boolean deletedNotBefore(String k, Batch c) {
        for (Batch d : byKey.getOrDefault(k, List.of())) {
            if (d != c && d.ops.get(k) == null && !definitelyBefore(d, c)) {
                return true;
            }
        }
        return false;
    }

    private Batch sourceOf(String k, byte[] value) {
        for (Batch b : byKey.getOrDefault(k, List.of())) {
            if (Arrays.equals(b.ops.get(k), value)) {
                return b;
            }
        }
        return null;
    }

    private static Batch newestAcknowledged(List<Batch> writes) {
        // A recovered state is older than every write after it, whatever the timestamps say (a regression
        // of timestamps is reported by checkTimestampOrder, not hidden here).
        Batch newest = null;
        for (Batch b : writes) {
            if (b.acknowledged && (newest == null || definitelyBefore(newest, b))) {
                newest = b;
            }
        }
        return newest;
    }

    /** True when {@code a} certainly committed before {@code b} (so {@code b} shadows it on shared keys). */
    private static boolean definitelyBefore(Batch a, Batch b) {
        if (a.acknowledged && b.acknowledged) {
            if (a.baseline != b.baseline) {
                return a.baseline; // a recovered state precedes everything written after it
            }
            return a.timestamp < b.timestamp;
        }
        return a.end > 0 && a.end < b.start;
    }
}
