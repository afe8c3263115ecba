package io.phantomdb.exec.operator;

/**
 * The running state of one aggregate call in one group. {@link #add} sees whole input rows (the accumulator
 * knows its argument columns) and reports the bytes of state it newly retained, so that the aggregate operator
 * can reserve them (a DISTINCT aggregate's set of seen values grows; the others report 0).
 */
interface Accumulator {
    long add(Object[] row);

    /** The aggregate's value, of the call's result type's Java class, or null. */
    Object result();
}
