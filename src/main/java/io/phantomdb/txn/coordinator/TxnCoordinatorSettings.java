package io.phantomdb.txn.coordinator;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@link TxnCoordinator}'s limits. Suggested config names (under {@code phantom.txn}) and defaults:
 *
 * @param participantTimeout   {@code participant-timeout} (30 s): how long one prepare, commit or abort call may
 *                             take before it counts as failed. A prepare that times out aborts the transaction;
 *                             a commit or abort that times out is retried.
 * @param decisionRetriesMax   {@code decision-retries-max} (5): retries of a failed commit or abort call per
 *                             participant after the first attempt, before the coordinator stops driving the
 *                             decision and answers the client that the resolution is unknown (the decision stays;
 *                             a later Outcome question drives it again). Bound: [0, 1000].
 * @param retryBackoffMin      {@code decision-retry-backoff-min} (100 ms): delay before the first retry; each
 *                             further retry waits twice as long as the previous one ...
 * @param retryBackoffMax      {@code decision-retry-backoff-max} (5 s): ... up to this delay
 * @param journalPluginId      Pekko Persistence journal of the coordinator's events (not a config key: the
 *                             node always uses {@link #PHANTOM_JOURNAL}; tests pass Pekko's in-memory journal)
 * @param snapshotPluginId     likewise the snapshot store (the coordinator takes no snapshots; Pekko still
 *                             asks the store for one when the entity recovers)
 */
public record TxnCoordinatorSettings(Duration participantTimeout, int decisionRetriesMax, Duration retryBackoffMin,
        Duration retryBackoffMax, String journalPluginId, String snapshotPluginId) {

    public static final Duration DEFAULT_PARTICIPANT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_DECISION_RETRIES_MAX = 5;
    public static final Duration DEFAULT_RETRY_BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(5);
    /** Upper bound of decisionRetriesMax: a decision is driven at most this often before waiting for a question. */
    public static final int DECISION_RETRIES_MAX_LIMIT = 1000;
    /** Phantom-DB's journal plugin (io.phantomdb.txn.journal, reference.conf), not the application's default. */
    public static final String PHANTOM_JOURNAL = "phantom.persistence.journal";
    public static final String PHANTOM_SNAPSHOT_STORE = "phantom.persistence.snapshot-store";

    public TxnCoordinatorSettings {
        Objects.requireNonNull(participantTimeout, "participantTimeout");
        Objects.requireNonNull(retryBackoffMin, "retryBackoffMin");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(journalPluginId, "journalPluginId");
        Objects.requireNonNull(snapshotPluginId, "snapshotPluginId");
        require(participantTimeout.toMillis() >= 1, "participant-timeout >= 1 ms, got " + participantTimeout);
        require(decisionRetriesMax >= 0 && decisionRetriesMax <= DECISION_RETRIES_MAX_LIMIT,
                "decision-retries-max in [0, " + DECISION_RETRIES_MAX_LIMIT + "], got " + decisionRetriesMax);
        require(retryBackoffMin.toMillis() >= 1, "decision-retry-backoff-min >= 1 ms, got " + retryBackoffMin);
        require(retryBackoffMax.compareTo(retryBackoffMin) >= 0,
                "decision-retry-backoff-max >= decision-retry-backoff-min, got " + retryBackoffMax);
        require(!journalPluginId.isBlank() && !snapshotPluginId.isBlank(),
                "explicit journal and snapshot plugin ids (blank would mean the application's default plugins)");
    }

    /** The given limits, default backoff, Phantom-DB's own journal and snapshot store. */
    public static TxnCoordinatorSettings of(Duration participantTimeout, int decisionRetriesMax) {
        return new TxnCoordinatorSettings(participantTimeout, decisionRetriesMax, DEFAULT_RETRY_BACKOFF_MIN,
                DEFAULT_RETRY_BACKOFF_MAX, PHANTOM_JOURNAL, PHANTOM_SNAPSHOT_STORE);
    }

    public static TxnCoordinatorSettings defaults() {
        return of(DEFAULT_PARTICIPANT_TIMEOUT, DEFAULT_DECISION_RETRIES_MAX);
    }

    public TxnCoordinatorSettings withRetryBackoff(Duration min, Duration max) {
        return new TxnCoordinatorSettings(participantTimeout, decisionRetriesMax, min, max, journalPluginId,
                snapshotPluginId);
    }

    public TxnCoordinatorSettings withPlugins(String journal, String snapshotStore) {
        return new TxnCoordinatorSettings(participantTimeout, decisionRetriesMax, retryBackoffMin, retryBackoffMax,
                journal, snapshotStore);
    }

    /** Delay before retry number {@code retry} (1 = the first retry): doubling from the minimum, capped. */
    Duration retryBackoff(int retry) {
        assert retry >= 1 : retry;
        // Doubling past 2^20 x min exceeds any sane cap; stopping the shift there also keeps it from overflowing.
        long factor = 1L << Math.min(retry - 1, 20);
        long millis = retryBackoffMin.toMillis() * factor;
        return millis >= retryBackoffMax.toMillis() ? retryBackoffMax : Duration.ofMillis(millis);
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid transaction coordinator setting: " + rule);
        }
    }
}
