package io.phantomdb.txn.journal;

import io.phantomdb.storage.codec.KeyCodec;
import java.util.List;

/**
 * Keys of the journal and snapshot engines (docs/formats/journal.md): order-preserving tuples
 * ({@link KeyCodec}) whose first element names the key space, so that all events of one persistence id are
 * one contiguous range ordered by sequence number and replay is a range scan.
 *
 * <pre>
 *   event      (1, persistenceId, sequenceNr)   -> serialized PersistentRepr
 *   highest    (2, persistenceId)                -> highest sequence number ever written (never deleted)
 *   snapshot   (3, persistenceId, sequenceNr)   -> timestamp + serialized snapshot (+ metadata)
 * </pre>
 *
 * The key space numbers are written to disk: never change or reuse one. Stateless and thread-safe.
 */
final class JournalKeys {

    static final int EVENT_SPACE = 1;
    static final int HIGHEST_SEQUENCE_NR_SPACE = 2;
    static final int SNAPSHOT_SPACE = 3;

    private JournalKeys() {}

    static byte[] event(String persistenceId, long sequenceNr) {
        return KeyCodec.encode(EVENT_SPACE, persistenceId, sequenceNr);
    }

    /** Exclusive upper bound of the events of {@code persistenceId} with sequence number at most {@code to}. */
    static byte[] eventsEnd(String persistenceId, long to) {
        return rangeEnd(EVENT_SPACE, persistenceId, to);
    }

    static byte[] highestSequenceNr(String persistenceId) {
        return KeyCodec.encode(HIGHEST_SEQUENCE_NR_SPACE, persistenceId);
    }

    static byte[] snapshot(String persistenceId, long sequenceNr) {
        return KeyCodec.encode(SNAPSHOT_SPACE, persistenceId, sequenceNr);
    }

    /** Exclusive upper bound of the snapshots of {@code persistenceId} with sequence number at most {@code to}. */
    static byte[] snapshotsEnd(String persistenceId, long to) {
        return rangeEnd(SNAPSHOT_SPACE, persistenceId, to);
    }

    /** The sequence number of an event or snapshot key. */
    static long sequenceNr(byte[] key) {
        List<Object> elements = KeyCodec.decode(key);
        if (elements.size() != 3 || !(elements.get(2) instanceof Long sequenceNr)) {
            throw new IllegalArgumentException("not an event or snapshot key: " + elements);
        }
        return sequenceNr;
    }

    private static byte[] rangeEnd(int space, String persistenceId, long to) {
        if (to == Long.MAX_VALUE) {
            // No sequence number follows MAX_VALUE: end after every key that extends (space, id).
            return KeyCodec.prefixSuccessor(KeyCodec.encode(space, persistenceId));
        }
        return KeyCodec.encode(space, persistenceId, to + 1);
    }
}
