package io.phantomdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.phantomdb.sql.SqlSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Goal: conf/phantom.conf's {@code phantom.sql} block is the documented truth of the SQL defaults, every key
 * reaches {@link SqlSettings}, and a typo or an out-of-bound value stops the node with the key named.
 *
 * <p>Method: parse the real file and compare with {@link SqlSettings#defaults()}; set keys one by one.
 */
class SqlConfigTest {
    static final Path CONF = Path.of(System.getProperty("basedir", ".")).resolve("conf");

    private static SqlSettings parse(String hocon) {
        return SqlConfig.fromConfig(ConfigFactory.parseString(hocon).resolve());
    }

    @Test
    void confFileSpellsOutTheDefaults() {
        SqlSettings fromFile = SqlConfig.fromConfig(ConfigFactory.parseFile(CONF.resolve("phantom.conf").toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve());
        assertEquals(SqlSettings.defaults(), fromFile);
    }

    @Test
    void everyKeyReachesItsSetting() {
        SqlSettings s = parse("phantom.sql { default-partitions = 2, partitions-max = 8, query-memory-budget = 2 MiB,"
                + " batch-rows = 10, plan-cache-entries = 5, partition-timeout = 3 s, statement-queue-max = 7, dml-rows-max = 9 }");
        assertEquals(new SqlSettings(2, 8, 2L << 20, 10, 5, Duration.ofSeconds(3), 7, 9), s);
    }

    @Test
    void unknownKeysAndBadValuesAreRejectedWithTheKeyNamed() {
        InvalidConfigException typo = assertThrows(InvalidConfigException.class, () -> parse("phantom.sql.batch-row = 5"));
        assertTrue(typo.getMessage().contains("phantom.sql.batch-row"), typo.getMessage());
        InvalidConfigException bound = assertThrows(InvalidConfigException.class, () -> parse("phantom.sql.batch-rows = 0"));
        assertTrue(bound.getMessage().contains("batch-rows"), bound.getMessage());
        assertThrows(InvalidConfigException.class, () -> parse("phantom.sql.query-memory-budget = 1 KiB"));
        assertThrows(InvalidConfigException.class, () -> parse("phantom.sql.default-partitions = 300"));
    }
}
