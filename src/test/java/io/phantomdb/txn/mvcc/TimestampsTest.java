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

    // ------------------------------------------------------------------ keyed commits (decisions D25)

    static final String P = "partition-0";
    static final byte[] K1 = {1};
    static final byte[] K2 = {2};

    @Test
    void aKeyedCommitInFlightLeavesAHoleOnlyAtItsKeys() throws Exception {
        long a = ts.beginCommit(java.util.Map.of(P, List.of(K1)));
        long b = ts.beginCommit();
        ts.endCommit(b); // b is acknowledged; a, older, is still being applied
        CompletableFuture<Long> read = ts.openReadAfterAcknowledged().toCompletableFuture();
        assertTrue(read.isDone(), "no wait for a keyed commit at open");
        long readTs = read.get();
        assertTrue(readTs >= b, "the read sees b");
        assertEquals(null, ts.inFlight(P, K2, readTs), "another key: read at once");
        assertEquals(null, ts.inFlight("partition-1", null, readTs), "another partition: scan at once");
        CompletableFuture<Void> key = ts.inFlight(P, K1, readTs).toCompletableFuture();
        CompletableFuture<Void> scan = ts.inFlight(P, null, readTs).toCompletableFuture();
        assertFalse(key.isDone() || scan.isDone());
        ts.endCommit(a);
        assertTrue(key.isDone() && scan.isDone(), "both complete when a has ended");
        assertEquals(null, ts.inFlight(P, K1, readTs));
        ts.closeRead(readTs);
    }

    @Test
    void commitsBegunAfterAReadOpenedNeverHoldItUp() {
        long r = ts.openReadAfterAcknowledged().toCompletableFuture().join();
        long c = ts.beginCommit(java.util.Map.of(P, List.of(K1)));
        assertTrue(c > r);
        assertEquals(null, ts.inFlight(P, K1, r), "a newer commit is invisible to the read anyway");
        ts.endCommit(c);
        ts.closeRead(r);
    }

    @Test
    void theHorizonStaysBelowAKeyedCommitInFlightEvenForAReaderAboveIt() {
        long a = ts.beginCommit(java.util.Map.of(P, List.of(K1)));
        long b = ts.beginCommit(java.util.Map.of(P, List.of(K2)));
        ts.endCommit(b);
        long r = ts.openReadAfterAcknowledged().toCompletableFuture().join();
        assertTrue(r >= b);
        assertTrue(ts.horizon() < a, "a still has to land on the versions it replaces, which an "
                + "openRead() at readTimestamp() can read: the horizon must not pass it");
        ts.endCommit(a);
        ts.closeRead(r);
    }

    @Test
    void aCommitWithNoKeysHoldsNoReaderBack() {
        long prepare = ts.beginCommit(java.util.Map.of());
        long b = ts.beginCommit();
        ts.endCommit(b);
        CompletableFuture<Long> read = ts.openReadAfterAcknowledged().toCompletableFuture();
        assertTrue(read.isDone());
        assertEquals(null, ts.inFlight(P, null, read.join()));
        ts.closeRead(read.join());
        ts.endCommit(prepare);
    }

    @Test
    void twoCommitsOnOneKeyAreBothWaitedFor() {
        long a = ts.beginCommit(java.util.Map.of(P, List.of(K1)));
        long b = ts.beginCommit(java.util.Map.of(P, List.of(K1.clone())));
        long c = ts.beginCommit();
        ts.endCommit(c);
        long r = ts.openReadAfterAcknowledged().toCompletableFuture().join();
        ts.endCommit(a);
        CompletableFuture<Void> wait = ts.inFlight(P, K1, r).toCompletableFuture();
        assertFalse(wait.isDone(), "b still writes K1 below the read");
        ts.endCommit(b);
        assertTrue(wait.isDone());
        assertEquals(null, ts.inFlight(P, K1, r));
        ts.closeRead(r);
    }
}
