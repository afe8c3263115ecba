package io.phantomdb.txn.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: replay and deletion are range scans, so they rely on the key order - one persistence id's events
 * sort by sequence number (numerically, not as text) and no other id's key, not even one that extends the
 * id or differs only by a NUL, falls inside its range.
 *
 * <p>Method: unsigned byte comparison of keys built for edge-case ids and sequence numbers.
 */
class JournalKeysTest {

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Test
    void eventsOfOneIdSortBySequenceNumber() {
        List<Long> sequenceNrs = List.of(0L, 1L, 2L, 10L, 255L, 256L, 1L << 40, Long.MAX_VALUE - 1);
        for (int i = 1; i < sequenceNrs.size(); i++) {
            assertTrue(compare(JournalKeys.event("p", sequenceNrs.get(i - 1)), JournalKeys.event("p", sequenceNrs.get(i))) < 0,
                    sequenceNrs.get(i - 1) + " before " + sequenceNrs.get(i));
        }
        for (long sequenceNr : sequenceNrs) {
            assertEquals(sequenceNr, JournalKeys.sequenceNr(JournalKeys.event("p", sequenceNr)));
        }
    }

    @Test
    void rangeEndIsJustAfterItsLastSequenceNumber() {
        byte[] end = JournalKeys.eventsEnd("p", 5);
        assertTrue(compare(JournalKeys.event("p", 5), end) < 0);
        assertTrue(compare(end, JournalKeys.event("p", 6)) <= 0);
        byte[] all = JournalKeys.eventsEnd("p", Long.MAX_VALUE);
        assertTrue(compare(JournalKeys.event("p", Long.MAX_VALUE), all) < 0);
        assertTrue(compare(JournalKeys.event("p", Long.MAX_VALUE - 1), all) < 0);
    }

    @Test
    void noOtherIdFallsInsideAnIdsRange() {
        byte[] low = JournalKeys.event("a", 0);
        byte[] high = JournalKeys.eventsEnd("a", Long.MAX_VALUE);
        for (String other : List.of("", "ab", "a\u0000", "a\u0000b", "A", "b", "\u00e0", "a ")) {
            for (long sequenceNr : List.of(0L, 1L, Long.MAX_VALUE)) {
                byte[] key = JournalKeys.event(other, sequenceNr);
                boolean inside = compare(low, key) <= 0 && compare(key, high) < 0;
                assertTrue(!inside, "event of \"" + other + "\" #" + sequenceNr + " inside the range of \"a\"");
            }
        }
    }

    @Test
    void keySpacesDoNotInterleave() {
        byte[] lastEvent = JournalKeys.eventsEnd("zzz", Long.MAX_VALUE);
        assertTrue(compare(lastEvent, JournalKeys.highestSequenceNr("")) <= 0, "all events sort before all markers");
        assertTrue(compare(JournalKeys.highestSequenceNr("zzz"), JournalKeys.snapshot("", 0)) < 0,
                "all markers sort before all snapshots");
    }
}
