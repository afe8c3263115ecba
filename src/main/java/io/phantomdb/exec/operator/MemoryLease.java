package io.phantomdb.exec.operator;

import io.phantomdb.exec.MemoryBudget;

/**
 * The part of a query's {@link MemoryBudget} one operator run holds: it remembers what it reserved so that
 * {@link #releaseAll} gives back exactly that when the run stops, however it stops. Confined to one stage.
 */
final class MemoryLease {
    private final MemoryBudget budget;
    private final String operator;
    private long heldBytes;

    MemoryLease(MemoryBudget budget, String operator) {
        this.budget = budget;
        this.operator = operator;
    }

    /** Reserves {@code bytes} or throws 53200 (then nothing more is held). */
    void reserve(long bytes) {
        if (bytes > 0) {
            budget.reserve(bytes, operator);
            heldBytes += bytes;
        }
    }

    void release(long bytes) {
        if (bytes > heldBytes) {
            throw new IllegalStateException(operator + " releases " + bytes + " bytes but holds " + heldBytes);
        }
        if (bytes > 0) {
            budget.release(bytes);
            heldBytes -= bytes;
        }
    }

    void releaseAll() {
        release(heldBytes);
    }

    long heldBytes() {
        return heldBytes;
    }
}
