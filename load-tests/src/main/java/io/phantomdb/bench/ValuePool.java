package io.phantomdb.bench;

import java.util.SplittableRandom;

/**
 * Pre-generated keys and values shared by both engines, so the data and the order in which it is written
 * are identical and generating it costs nothing inside a timed loop.
 */
final class ValuePool {

    /** Distinct random values; value of key id {@code i} is {@code values[i % POOL]}. */
    static final int POOL = 1024;

    private final byte[][] values;
    final int valueBytes;

    ValuePool(int valueBytes, long seed) {
        this.valueBytes = valueBytes;
        this.values = new byte[POOL][valueBytes];
        SplittableRandom random = new SplittableRandom(seed);
        for (byte[] v : values) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) random.nextInt(256);
            }
        }
    }

    byte[] forKey(int keyId) {
        return values[keyId % POOL];
    }

    /** Keys {@code "key%012d"} for ids 0..n-1, as bytes (15 bytes each, sort order = numeric order). */
    static byte[][] keys(int n) {
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = key(i);
        }
        return keys;
    }

    static byte[] key(long id) {
        byte[] k = new byte[15];
        k[0] = 'k';
        k[1] = 'e';
        k[2] = 'y';
        long v = id;
        for (int i = 14; i >= 3; i--) {
            k[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return k;
    }

    /** A uniform random permutation of 0..n-1 (Fisher-Yates with a fixed seed): the load order. */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
