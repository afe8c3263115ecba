package io.phantomdb.storage;

import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.util.Arrays;

/**
 * The snapshot view of a merged stream: for each user key in {@code [low, high)}, the newest version
 * with timestamp at or before the read timestamp, tombstones hidden.
 *
 * <p>Forward, versions of one user key arrive newest first, so the first visible one is the answer and
 * the rest are skipped. Backward they arrive oldest first, so the cursor walks the whole group and keeps
 * the last visible one.
 */
final class MvccIterator implements KvIterator {

    private final InternalIterator input;
    private final byte[] low;
    private final byte[] high;
    private final long readTimestamp;
    private final boolean reverse;
    private final Runnable onClose;
    private boolean started;
    private boolean closed;
    private byte[] key;
    private byte[] value;
    private long timestamp;

    MvccIterator(InternalIterator input, byte[] low, byte[] high, long readTimestamp, boolean reverse,
            Runnable onClose) {
        this.input = input;
        this.low = low;
        this.high = high;
        this.readTimestamp = readTimestamp;
        this.reverse = reverse;
        this.onClose = onClose;
    }

    @Override
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("iterator is closed");
        }
        if (!started) {
            started = true;
            position();
        }
        boolean found = reverse ? stepBackward() : stepForward();
        if (!found) {
            key = null;
            value = null;
        }
        return found;
    }

    private void position() {
        if (reverse) {
            if (high == null) {
                input.seekToLast();
            } else {
                // Every version of a user key below high sorts before (high, newest possible).
                input.seekForPrev(InternalKey.seekKey(high));
                if (input.valid() && InternalKey.compareUserKey(input.key(), high) >= 0) {
                    input.prev();
                }
            }
        } else if (low == null) {
            input.seekToFirst();
        } else {
            input.seek(InternalKey.seekKey(low));
        }
    }

    private boolean stepForward() {
        while (input.valid()) {
            byte[] entryKey = input.key();
            if (high != null && InternalKey.compareUserKey(entryKey, high) >= 0) {
                return false;
            }
            long ts = InternalKey.timestamp(entryKey);
            if (ts > readTimestamp) {
                input.next();
                continue;
            }
            boolean visible = input.kind() == ValueKind.PUT;
            if (visible) {
                key = InternalKey.userKey(entryKey);
                value = input.value();
                timestamp = ts;
            }
            skipRestOfUserKey(entryKey);
            if (visible) {
                return true;
            }
        }
        return false;
    }

    private void skipRestOfUserKey(byte[] entryKey) {
        input.next();
        while (input.valid() && InternalKey.sameUserKey(input.key(), entryKey)) {
            input.next();
        }
    }

    private boolean stepBackward() {
        while (input.valid()) {
            byte[] groupKey = input.key();
            if (low != null && InternalKey.compareUserKey(groupKey, low) < 0) {
                return false;
            }
            byte[] candidateKey = null;
            byte[] candidateValue = null;
            ValueKind candidateKind = null;
            while (input.valid() && InternalKey.sameUserKey(input.key(), groupKey)) {
                byte[] entryKey = input.key();
                if (InternalKey.timestamp(entryKey) <= readTimestamp) {
                    candidateKey = entryKey;
                    candidateKind = input.kind();
                    candidateValue = input.value();
                }
                input.prev();
            }
            if (candidateKey != null && candidateKind == ValueKind.PUT) {
                key = InternalKey.userKey(candidateKey);
                value = candidateValue;
                timestamp = InternalKey.timestamp(candidateKey);
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] key() {
        requirePosition();
        return key;
    }

    @Override
    public byte[] value() {
        requirePosition();
        return value;
    }

    @Override
    public long timestamp() {
        requirePosition();
        return timestamp;
    }

    private void requirePosition() {
        if (key == null) {
            throw new IllegalStateException("iterator is not positioned on an entry");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            input.close();
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "MvccIterator[ts=" + readTimestamp + ", reverse=" + reverse + ", low="
                + (low == null ? "-inf" : Arrays.toString(low)) + "]";
    }
}
