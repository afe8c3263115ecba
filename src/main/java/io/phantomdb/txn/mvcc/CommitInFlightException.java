package io.phantomdb.txn.mvcc;

import java.util.concurrent.CompletionStage;

/**
 * A read met a commit still in flight at or below its read timestamp, on a key (or in a partition) it reads
 * ({@link Timestamps#inFlight}): the read has to wait for {@link #ended} and then run again, or it would miss
 * a write that its timestamp says it sees. Nothing was read or changed when this is thrown; a whole statement
 * may be started over. Not an error a client ever sees.
 */
public final class CommitInFlightException extends RuntimeException {
    private final transient CompletionStage<Void> ended;

    public CommitInFlightException(CompletionStage<Void> ended) {
        super("a commit in flight below the read timestamp writes what this read reads", null, false, false);
        this.ended = ended;
    }

    /** Completes when the commit has ended (applied everywhere or abandoned). */
    public CompletionStage<Void> ended() {
        return ended;
    }

    /** Throws if a read of {@code inFlight}'s answer must wait ({@code inFlight != null}). */
    public static void check(CompletionStage<Void> inFlight) {
        if (inFlight != null) {
            throw new CommitInFlightException(inFlight);
        }
    }

    /** The exception itself, if {@code failure} is (or wraps) one; else null. */
    public static CommitInFlightException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CommitInFlightException c) {
                return c;
            }
        }
        return null;
    }
}
