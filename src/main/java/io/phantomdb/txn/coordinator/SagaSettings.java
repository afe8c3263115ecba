package io.phantomdb.txn.coordinator;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of sagas (suggested config block {@code phantom.saga}; each component names its key).
 *
 * @param journalPluginId Pekko Persistence journal of the coordinators ({@code phantom.saga.journal-plugin};
 *     default {@link #PHANTOM_JOURNAL}; tests use {@code pekko.persistence.journal.inmem})
 * @param snapshotPluginId their snapshot store ({@code phantom.saga.snapshot-plugin}; default
 *     {@link #PHANTOM_SNAPSHOT_STORE}); coordinators take no snapshots (a saga has few events), Pekko only asks
 *     it for none on recovery
 * @param stepRetriesMax how often a step or compensation that failed with a retryable error (40001, 40P01, a
 *     timeout) is run again before it counts as failed ({@code phantom.saga.step-retries-max}, default 5,
 *     bound [0, 1000])
 * @param retryBackoff wait before retry n is n times this ({@code phantom.saga.retry-backoff}, default 50 ms)
 * @param stepTimeout how long the coordinator waits for one run of a step before it counts as a retryable
 *     failure ({@code phantom.saga.step-timeout}, default 60 s); the marker keeps a late commit from running
 *     twice
 * @param waitersMax callers waiting for one saga's outcome; past it a caller gets the current status at once
 *     ({@code phantom.saga.waiters-max}, default 1000)
 * @param startWaitTimeout how long START SAGA waits for the outcome before it returns the saga's current
 *     status (the saga goes on) ({@code phantom.saga.start-wait-timeout}, default 60 s)
 * @param stepsMax steps in one saga definition ({@code phantom.saga.steps-max}, default 100, bound [1, 10000])
 * @param resumeParallelism sagas resumed at once when a node starts ({@code phantom.saga.resume-parallelism},
 *     default 16)
 */
public record SagaSettings(String journalPluginId, String snapshotPluginId, int stepRetriesMax, Duration retryBackoff,
        Duration stepTimeout, int waitersMax, Duration startWaitTimeout, int stepsMax, int resumeParallelism) {

    public static final String PHANTOM_JOURNAL = "phantom.persistence.journal";
    public static final String PHANTOM_SNAPSHOT_STORE = "phantom.persistence.snapshot-store";

    public SagaSettings {
        Objects.requireNonNull(journalPluginId, "journalPluginId");
        Objects.requireNonNull(snapshotPluginId, "snapshotPluginId");
        requireRange("stepRetriesMax", stepRetriesMax, 0, 1000);
        requirePositive("retryBackoff", retryBackoff);
        requirePositive("stepTimeout", stepTimeout);
        requireRange("waitersMax", waitersMax, 1, 1_000_000);
        requirePositive("startWaitTimeout", startWaitTimeout);
        requireRange("stepsMax", stepsMax, 1, 10_000);
        requireRange("resumeParallelism", resumeParallelism, 1, 10_000);
    }

    public static SagaSettings defaults() {
        return new SagaSettings(PHANTOM_JOURNAL, PHANTOM_SNAPSHOT_STORE, 5, Duration.ofMillis(50), Duration.ofSeconds(60),
                1000, Duration.ofSeconds(60), 100, 16);
    }

    /** These settings with other persistence plugins (tests: Pekko's in-memory journal). */
    public SagaSettings withPlugins(String journal, String snapshotStore) {
        return new SagaSettings(journal, snapshotStore, stepRetriesMax, retryBackoff, stepTimeout, waitersMax,
                startWaitTimeout, stepsMax, resumeParallelism);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
