package io.phantomdb.sql;

import io.phantomdb.txn.mvcc.IsolationLevel;
import java.time.Duration;

/**
 * The transaction layer's limits and defaults ({@code phantom.txn} in conf/phantom.conf, each documented there).
 *
 * @param defaultIsolation      level of transactions that do not ask for one
 * @param lockTimeout           how long a writer waits for a row lock before failing with 55P03
 * @param lockWaitersMax        transactions that may queue for one row lock; past it: 53400
 * @param deadlockCheckInterval how often the deadlock detector looks for cycles (a deadlock is broken within
 *                              about this delay)
 * @param deadlockEdgesMax      wait-for edges the detector holds; past it new waits rely on the lock timeout
 * @param readSetKeysMax        keys and ranges a SERIALIZABLE transaction records per partition before it
 *                              records the whole partition instead
 * @param writesMax             keys (rows and index entries) one transaction may buffer; past it: 53400
 * @param implicitRetriesMax    times a single-statement (autocommit) transaction is retried after 40001/40P01
 * @param participantTimeout    how long the 2PC coordinator waits for one partition's prepare/commit/abort
 * @param decisionRetriesMax    times the coordinator re-sends a commit decision a partition did not acknowledge
 * @param commitTimeout         how long a committing session waits for the 2PC coordinator (then 08007)
 */
public record TxnSettings(IsolationLevel defaultIsolation, Duration lockTimeout, int lockWaitersMax,
        Duration deadlockCheckInterval, int deadlockEdgesMax, int readSetKeysMax, int writesMax, int implicitRetriesMax,
        Duration participantTimeout, int decisionRetriesMax, Duration commitTimeout) {

    public TxnSettings {
        require(defaultIsolation != null, "default-isolation is a level");
        require(lockTimeout.toMillis() >= 1, "lock-timeout >= 1 ms");
        require(lockWaitersMax >= 1, "lock-waiters-max >= 1");
        require(deadlockCheckInterval.toMillis() >= 1, "deadlock-check-interval >= 1 ms");
        require(deadlockEdgesMax >= 16, "deadlock-edges-max >= 16");
        require(readSetKeysMax >= 1, "read-set-keys-max >= 1");
        require(writesMax >= 1, "writes-max >= 1");
        require(implicitRetriesMax >= 0 && implicitRetriesMax <= 1000, "implicit-retries-max in [0, 1000]");
        require(participantTimeout.toMillis() >= 1, "participant-timeout >= 1 ms");
        require(decisionRetriesMax >= 0 && decisionRetriesMax <= 1000, "decision-retries-max in [0, 1000]");
        require(commitTimeout.compareTo(participantTimeout) > 0, "commit-timeout > participant-timeout");
    }

    /** The built-in defaults (conf/phantom.conf spells out the same values). */
    public static TxnSettings defaults() {
        return new TxnSettings(IsolationLevel.READ_COMMITTED, Duration.ofSeconds(30), 10_000, Duration.ofMillis(100),
                1_000_000, 10_000, 4_000_000, 10, Duration.ofSeconds(30), 5, Duration.ofSeconds(120));
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid transaction setting: " + rule);
        }
    }
}
