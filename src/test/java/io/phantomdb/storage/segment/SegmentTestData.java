package io.phantomdb.storage.segment;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.fs.RealFileSystem;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Random segment contents and the sorted model they are checked against. Shared by the segment tests. */
final class SegmentTestData {

    /** What the model maps an engine key to. */
    record Entry(ValueKind kind, byte[] value) {}

    private SegmentTestData() {}

    /**
     * {@code userKeys} random user keys over a small alphabet (so some keys are prefixes of others, the case
     * the comparator splits specially), each with 1..4 versions at distinct timestamps, ~10% tombstones,
     * and values that are sometimes repetitive (LZ4 shrinks them) and sometimes random (it cannot).
     */
    static TreeMap<byte[], Entry> randomModel(Random random, int userKeys) {
        TreeMap<byte[], Entry> model = new TreeMap<>(InternalKey.COMPARATOR);
        while (countUserKeys(model) < userKeys) {
            byte[] userKey = randomUserKey(random);
            int versions = 1 + random.nextInt(4);
            for (int v = 0; v < versions; v++) {
                long timestamp = random.nextInt(4) == 0 ? random.nextInt(8) : 1 + (random.nextLong() >>> 2);
                ValueKind kind = random.nextInt(10) == 0 ? ValueKind.DELETE : ValueKind.PUT;
                byte[] value = kind == ValueKind.DELETE ? new byte[0] : randomValue(random);
                model.put(InternalKey.encode(userKey, timestamp), new Entry(kind, value));
            }
        }
        return model;
    }

    static byte[] randomUserKey(Random random) {
        byte[] key = new byte[random.nextInt(12)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) ("abc\u00ff".charAt(random.nextInt(4)));
        }
        return key;
    }

    static byte[] randomValue(Random random) {
        byte[] value = new byte[random.nextInt(120)];
        if (random.nextBoolean()) {
            Arrays.fill(value, (byte) ('v' + random.nextInt(3)));
        } else {
            random.nextBytes(value);
        }
        return value;
    }

    private static int countUserKeys(TreeMap<byte[], Entry> model) {
        int count = 0;
        byte[] previous = null;
        for (byte[] key : model.keySet()) {
            if (previous == null || !InternalKey.sameUserKey(previous, key)) {
                count++;
            }
            previous = key;
        }
        return count;
    }

    static SegmentInfo write(Path path, TreeMap<byte[], Entry> model, int blockBytes, Compression compression,
            int bloomBitsPerKey) {
        SegmentWriter writer = new SegmentWriter(RealFileSystem.INSTANCE, path, blockBytes, compression,
                bloomBitsPerKey);
        for (Map.Entry<byte[], Entry> e : model.entrySet()) {
            writer.add(e.getKey(), e.getValue().kind(), e.getValue().value());
        }
        return writer.finish();
    }

    /** One user key per entry with a key and value: the simplest segment for cache and corruption tests. */
    static TreeMap<byte[], Entry> sequentialModel(int count, int valueBytes) {
        TreeMap<byte[], Entry> model = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueBytes];
            Arrays.fill(value, (byte) i);
            model.put(InternalKey.encode(userKey(i), 100 + i), new Entry(ValueKind.PUT, value));
        }
        return model;
    }

    static byte[] userKey(int i) {
        return String.format("key-%08d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
