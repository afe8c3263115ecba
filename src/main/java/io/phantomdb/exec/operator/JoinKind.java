package io.phantomdb.exec.operator;

/**
 * The join types the operators implement. SEMI keeps a left row that has at least one match (EXISTS, IN) and ANTI
 * one that has none (NOT EXISTS); both output the left columns only, each left row at most once.
 */
public enum JoinKind {
    INNER,
    LEFT,
    RIGHT,
    FULL,
    SEMI,
    ANTI;

    /** Whether unmatched left rows are output padded with NULLs. */
    boolean keepsUnmatchedLeft() {
        return this == LEFT || this == FULL;
    }

    /** Whether unmatched right rows are output padded with NULLs (so the build side tracks matches). */
    boolean keepsUnmatchedRight() {
        return this == RIGHT || this == FULL;
    }

    /** Whether the output rows are the left columns only. */
    boolean outputsLeftOnly() {
        return this == SEMI || this == ANTI;
    }
}
