package io.phantomdb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: ANALYZE's distinct-value counts are exact while they fit the counter's limit and stay close to the
 * truth past it, and values equal under SQL count once.
 *
 * <p>Method: feed known value streams (few values, all distinct, a uniform draw from a domain larger than the
 * limit) and compare with the true count; the uniform case uses a fixed seed.
 */
class DistinctCounterTest {

    @Test
    void exactBelowTheLimit() {
        DistinctCounter counter = new DistinctCounter(100);
        for (int i = 0; i < 10_000; i++) {
            counter.add(i % 7);
        }
        assertEquals(7, counter.estimate());
        assertEquals(10_000, counter.total());
    }

    @Test
    void allDistinctPastTheLimitEstimatesEveryValue() {
        DistinctCounter counter = new DistinctCounter(1_000);
        for (int i = 0; i < 50_000; i++) {
            counter.add(i);
        }
        assertEquals(50_000, counter.estimate(), 1e-6);
    }

    @Test
    void uniformDrawFromALargeDomainIsEstimatedWithinTwentyPercent() {
        DistinctCounter counter = new DistinctCounter(2_000);
        Random random = new Random(42);
        java.util.Set<Integer> truth = new java.util.HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            int v = random.nextInt(20_000);
            truth.add(v);
            counter.add(v);
        }
        double estimate = counter.estimate();
        assertTrue(Math.abs(estimate - truth.size()) < 0.2 * truth.size(), estimate + " vs " + truth.size());
    }

    @Test
    void valuesEqualInSqlCountOnce() {
        DistinctCounter counter = new DistinctCounter(100);
        counter.add(DistinctCounter.normalize(new BigDecimal("1.50")));
        counter.add(DistinctCounter.normalize(new BigDecimal("1.5")));
        counter.add(DistinctCounter.normalize(new BigDecimal("0.00")));
        counter.add(DistinctCounter.normalize(BigDecimal.ZERO));
        counter.add(DistinctCounter.normalize(new byte[] {1, 2}));
        counter.add(DistinctCounter.normalize(new byte[] {1, 2}));
        counter.add(DistinctCounter.normalize(-0.0d));
        counter.add(DistinctCounter.normalize(0.0d));
        assertEquals(4, counter.estimate());
    }
}
