package io.phantomdb.txn.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Goal: the coordinator's limits are checked when built (a bad config fails at startup, naming the setting) and
 * the retry backoff doubles from its minimum up to its cap without overflowing. Method: direct calls.
 */
class TxnCoordinatorSettingsTest {

    @Test
    void retryBackoffDoublesFromTheMinimumUpToTheCap() {
        TxnCoordinatorSettings settings = TxnCoordinatorSettings.defaults()
                .withRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(100), settings.retryBackoff(1));
        assertEquals(Duration.ofMillis(200), settings.retryBackoff(2));
        assertEquals(Duration.ofMillis(400), settings.retryBackoff(3));
        assertEquals(Duration.ofMillis(500), settings.retryBackoff(4));
        assertEquals(Duration.ofMillis(500), settings.retryBackoff(TxnCoordinatorSettings.DECISION_RETRIES_MAX_LIMIT));
    }

    @Test
    void defaultsUsePhantomDbsOwnPlugins() {
        TxnCoordinatorSettings defaults = TxnCoordinatorSettings.defaults();
        assertEquals("phantom.persistence.journal", defaults.journalPluginId());
        assertEquals("phantom.persistence.snapshot-store", defaults.snapshotPluginId());
        assertEquals(Duration.ofSeconds(30), defaults.participantTimeout());
    }

    @Test
    void outOfBoundSettingsAreRejectedNamingTheSetting() {
        assertMessage("participant-timeout", () -> TxnCoordinatorSettings.of(Duration.ZERO, 1));
        assertMessage("decision-retries-max", () -> TxnCoordinatorSettings.of(Duration.ofSeconds(1), -1));
        assertMessage("decision-retries-max", () -> TxnCoordinatorSettings.of(Duration.ofSeconds(1),
                TxnCoordinatorSettings.DECISION_RETRIES_MAX_LIMIT + 1));
        assertMessage("decision-retry-backoff-max", () -> TxnCoordinatorSettings.defaults()
                .withRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertMessage("plugin ids", () -> TxnCoordinatorSettings.defaults().withPlugins("", "x"));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(true, e.getMessage().contains(part), e.getMessage());
    }
}
