package io.phantomdb.exec;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory one query may hold in operator state (hash tables, sort buffers, materialized inputs).
 * Operators {@link #reserve} before they retain rows and {@link #release} when they let go; a reservation
 * past the limit fails the query with SQLSTATE 53200 instead of letting the node run out of heap.
 *
 * <p>Thread-safe: stages of one query may run on different threads. Sizes are estimates
 * ({@link RowSizes}); the budget bounds growth, it is not an exact heap measurement.
 */
public final class MemoryBudget {
    private final long limitBytes;
    private final AtomicLong reservedBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();

    public MemoryBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive: " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /** Reserves {@code bytes} or throws 53200 (reserving nothing) when the total would pass the limit. */
    public void reserve(long bytes, String operator) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
        long total = reservedBytes.addAndGet(bytes);
        if (total > limitBytes) {
            reservedBytes.addAndGet(-bytes);
            throw new PhantomSqlException(SqlState.OUT_OF_MEMORY, operator + " needs more than the query memory budget of "
                    + limitBytes + " bytes (phantom.sql.query-memory-budget)");
        }
        peakBytes.accumulateAndGet(total, Math::max);
    }

    public void release(long bytes) {
        long total = reservedBytes.addAndGet(-bytes);
        if (total < 0) {
            throw new IllegalStateException("released more than reserved: " + total);
        }
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long reservedBytes() {
        return reservedBytes.get();
    }

    public long peakBytes() {
        return peakBytes.get();
    }
}
