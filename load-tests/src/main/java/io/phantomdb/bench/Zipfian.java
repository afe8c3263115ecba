package io.phantomdb.bench;

import java.util.SplittableRandom;

/**
 * YCSB's scrambled zipfian key chooser (Gray et al., "Quickly generating billion-record synthetic databases",
 * as in YCSB's {@code ZipfianGenerator} with {@code zipfianconstant} 0.99), so that the ycsb-a workload picks
 * keys the way YCSB's workload A does: a few keys are very hot. The rank drawn (0 = hottest) is scrambled by
 * an FNV-1a hash so the hot keys are spread over the key space instead of being ids 0, 1, 2...; they then land
 * in different partitions of Phantom and different pages of PostgreSQL, as YCSB's {@code
 * ScrambledZipfianGenerator} intends.
 *
 * <p>The constants depend only on (items, theta) and are computed once (O(items)); {@link #next} is O(1) and
 * takes the caller's generator, so every benchmark thread keeps its own seeded sequence.
 */
final class Zipfian {

    /** YCSB's default zipfian constant. */
    static final double YCSB_THETA = 0.99;

    private final int items;
    private final double theta;
    private final double alpha;
    private final double zetan;
    private final double eta;

    Zipfian(int items, double theta) {
        if (items < 2 || theta <= 0 || theta >= 1) {
            throw new IllegalArgumentException("zipfian needs items >= 2 and 0 < theta < 1: " + items + ", " + theta);
        }
        this.items = items;
        this.theta = theta;
        double zeta2 = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.zetan = zeta(items, theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetan);
    }

    private static double zeta(int n, double theta) {
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    /** The rank of the next key, 0 = the hottest (unscrambled). */
    int nextRank(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return 1;
        }
        int rank = (int) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, items - 1);
    }

    /** The next key in {@code [0, items)}: a zipfian rank scrambled over the key space. */
    int next(SplittableRandom random) {
        return (int) Long.remainderUnsigned(fnv1a(nextRank(random)), items);
    }

    /** 64-bit FNV-1a of the rank's 8 bytes (YCSB's {@code Utils.fnvhash64} scrambles the same way). */
    static long fnv1a(long value) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= value & 0xff;
            hash *= 0x100000001B3L;
            value >>>= 8;
        }
        return hash;
    }

    int items() {
        return items;
    }

    double theta() {
        return theta;
    }
}
