package io.phantomdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.phantomdb.sql.TxnSettings;
import io.phantomdb.txn.mvcc.IsolationLevel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Goal: conf/phantom.conf's {@code phantom.txn} block is the documented truth of the transaction defaults,
 * every key reaches {@link TxnSettings}, and a typo, an unknown isolation level or an out-of-bound value
 * stops the node with the key named.
 *
 * <p>Method: parse the real file and compare with {@link TxnSettings#defaults()}; set every key at once.
 */
class TxnConfigTest {

    private static TxnSettings parse(String hocon) {
        return TxnConfig.fromConfig(ConfigFactory.parseString(hocon).resolve());
    }

    @Test
    void confFileSpellsOutTheDefaults() {
        TxnSettings fromFile = TxnConfig.fromConfig(ConfigFactory.parseFile(SqlConfigTest.CONF.resolve("phantom.conf").toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve());
        assertEquals(TxnSettings.defaults(), fromFile);
    }

    @Test
    void everyKeyReachesItsSetting() {
        TxnSettings s = parse("phantom.txn { default-isolation = REPEATABLE-READ, lock-timeout = 2 s, lock-waiters-max = 3,"
                + " deadlock-check-interval = 40 ms, deadlock-edges-max = 50, read-set-keys-max = 6, writes-max = 7,"
                + " implicit-retries-max = 8, participant-timeout = 9 s, decision-retries-max = 4, commit-timeout = 20 s }");
        assertEquals(new TxnSettings(IsolationLevel.REPEATABLE_READ, Duration.ofSeconds(2), 3, Duration.ofMillis(40), 50, 6, 7, 8,
                Duration.ofSeconds(9), 4, Duration.ofSeconds(20)), s);
    }

    @Test
    void unknownKeysLevelsAndBadValuesAreRejectedWithTheKeyNamed() {
        InvalidConfigException typo = assertThrows(InvalidConfigException.class, () -> parse("phantom.txn.lock-timout = 5 s"));
        assertTrue(typo.getMessage().contains("phantom.txn.lock-timout"), typo.getMessage());
        InvalidConfigException level = assertThrows(InvalidConfigException.class, () -> parse("phantom.txn.default-isolation = snapshot"));
        assertTrue(level.getMessage().contains("default-isolation"), level.getMessage());
        assertThrows(InvalidConfigException.class, () -> parse("phantom.txn.implicit-retries-max = -1"));
        assertThrows(InvalidConfigException.class, () -> parse("phantom.txn { participant-timeout = 10 s, commit-timeout = 5 s }"));
    }
}
