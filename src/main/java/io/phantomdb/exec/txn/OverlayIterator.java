package io.phantomdb.exec.txn;

import io.phantomdb.storage.KvIterator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * A committed snapshot seen through a transaction's own writes: the engine's visible keys merged with the
 * buffered ones of the same range, where a buffered value replaces the stored one and a buffered delete
 * hides it. Ascending only (scans read forwards).
 */
final class OverlayIterator implements KvIterator {
    private final KvIterator stored;
    private final Iterator<Map.Entry<byte[], byte[]>> buffered;
    private boolean storedValid;
    /** The stored entry was returned last: step past it on the next call (its arrays stay valid until then). */
    private boolean advanceStored;
    private Map.Entry<byte[], byte[]> nextBuffered;
    private byte[] key;
    private byte[] value;
    private long timestamp;

    OverlayIterator(KvIterator stored, Iterator<Map.Entry<byte[], byte[]>> buffered) {
        this.stored = stored;
        this.buffered = buffered;
        this.storedValid = stored.next();
        this.nextBuffered = buffered.hasNext() ? buffered.next() : null;
    }

    @Override
    public boolean next() {
        if (advanceStored) {
            advanceStored = false;
            storedValid = stored.next();
        }
        while (storedValid || nextBuffered != null) {
            int order = !storedValid ? 1 : nextBuffered == null ? -1 : Arrays.compareUnsigned(stored.key(), nextBuffered.getKey());
            if (order < 0) {
                key = stored.key();
                value = stored.value();
                timestamp = stored.timestamp();
                advanceStored = true;
                return true;
            }
            Map.Entry<byte[], byte[]> own = nextBuffered;
            nextBuffered = buffered.hasNext() ? buffered.next() : null;
            if (order == 0) {
                storedValid = stored.next(); // the transaction's own version replaces the stored one
            }
            if (own.getValue() != TxnState.DELETED) {
                key = own.getKey();
                value = own.getValue();
                timestamp = Long.MAX_VALUE;
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public byte[] value() {
        return value;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public void close() {
        stored.close();
    }
}
