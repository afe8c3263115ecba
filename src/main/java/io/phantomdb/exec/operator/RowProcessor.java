package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import java.util.Iterator;

/**
 * The state of one run of an operator that {@link ProcessorStage} drives: it sees the inputs one after another
 * (all of input 0, then all of input 1, ...) and answers each step with the rows to output, as a lazy iterator
 * that the stage drains one batch per downstream demand. The stage finishes draining an iterator before it calls
 * the next method, so an iterator may update state that a later step reads (a join marks matched build rows).
 *
 * <p>Confined to the stage: one thread at a time, no synchronization. Iterators may throw; the stream then
 * fails with that exception.
 */
interface RowProcessor {
    /** Takes one batch of input {@code input}; returns the rows it produces now (often none). */
    Iterator<Object[]> accept(int input, Batch batch);

    /** Input {@code input} has ended; returns the rows that produces (a sort's whole output, say). */
    Iterator<Object[]> finish(int input);

    /** True when no further output can come, so the stage may complete without reading the rest. */
    default boolean done() {
        return false;
    }

    /** Releases retained memory; called exactly once when the stage stops (completed, failed or cancelled). */
    void close();
}
