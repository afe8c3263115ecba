package io.phantomdb.storage;

import io.phantomdb.storage.key.ValueKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Puts and deletes applied atomically at one timestamp: after a crash either all of a batch is there or
 * none of it. Within a batch, a later operation on the same key wins. Not thread-safe.
 */
public final class WriteBatch {

    /** One operation of a batch. */
    public record Operation(ValueKind kind, byte[] key, byte[] value) {}

    private final List<Operation> operations = new ArrayList<>();
    private long timestamp;
    private long approximateBytes;

    /** Sets the commit timestamp; 0 (the default) lets the engine assign the next one. */
    public WriteBatch timestamp(long timestamp) {
        if (timestamp < 0 || timestamp == Long.MAX_VALUE) {
            throw new IllegalArgumentException("timestamp out of range: " + timestamp);
        }
        this.timestamp = timestamp;
        return this;
    }

    public long timestamp() {
        return timestamp;
    }

    public WriteBatch put(byte[] key, byte[] value) {
        operations.add(new Operation(ValueKind.PUT, key.clone(), value.clone()));
        approximateBytes += key.length + value.length + 16;
        return this;
    }

    public WriteBatch delete(byte[] key) {
        operations.add(new Operation(ValueKind.DELETE, key.clone(), EMPTY));
        approximateBytes += key.length + 16;
        return this;
    }

    public List<Operation> operations() {
        return Collections.unmodifiableList(operations);
    }

    public int size() {
        return operations.size();
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    public long approximateBytes() {
        return approximateBytes;
    }

    static final byte[] EMPTY = new byte[0];
}
