package io.phantomdb.txn.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Goal: readers never see half of a multi-partition commit, always see every acknowledged commit, and the GC
 * horizon never passes a running reader.
 *
 * <p>Method: drive {@link Timestamps} by hand through interleavings of commits and reads; the horizon sink
 * records every value pushed to the engines.
 */
class TimestampsTest {
    final List<Long> horizons = new ArrayList<>();
    final Timestamps ts = new Timestamps(horizons::add);

    @Test
    void commitTimestampsIncreaseAndStayAboveWhatWasObserved() {
        long far = System.currentTimeMillis() * 1000 + 10_000_000_000L;
        ts.observe(far);
        long a = ts.beginCommit();
        long b = ts.beginCommit();
        assertTrue(a > far && b > a);
    }

    @Test
    void readsStopBelowTheOldestCommitInFlight() {
        long a = ts.beginCommit();
        long b = ts.beginCommit();
        ts.endCommit(b);
        assertEquals(a - 1, ts.readTimestamp(), "b ended, but a (older) is still being applied");
        ts.endCommit(a);
        assertEquals(b, ts.readTimestamp());
    }

    @Test
    void aReadAfterAnAcknowledgedCommitWaitsForOlderCommitsToFinish() throws Exception {
        long a = ts.beginCommit();
        long b = ts.beginCommit();
        ts.endCommit(b); // b is acknowledged to its client
        CompletableFuture<Long> read = ts.openReadAfterAcknowledged().toCompletableFuture();
        assertFalse(read.isDone(), "reading now would miss b (a is in flight below it)");
        ts.endCommit(a);
        long readTs = read.get(10, TimeUnit.SECONDS);
        assertTrue(readTs >= b, "the read sees b");
        ts.closeRead(readTs);
    }

    @Test
    void horizonFollowsTheOldestOpenRead() {
        long c1 = ts.beginCommit();
        ts.endCommit(c1);
        long r1 = ts.openRead();
        long c2 = ts.beginCommit();
        ts.endCommit(c2);
        long r2 = ts.openRead();
        assertTrue(r2 > r1);
        assertEquals(r1, ts.horizon());
        ts.closeRead(r1);
        assertEquals(r2, ts.horizon(), "the oldest remaining read holds the horizon");
        ts.closeRead(r2);
        assertEquals(ts.readTimestamp(), ts.horizon());
        for (int i = 1; i < horizons.size(); i++) {
            assertTrue(horizons.get(i) >= horizons.get(i - 1), "the horizon never moves back: " + horizons);
        }
    }
}
