package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.sql.TxnSettings;
import io.phantomdb.txn.mvcc.IsolationLevel;
import java.util.Set;

/**
 * Maps {@code phantom.txn} (documented key by key in conf/phantom.conf) onto {@link TxnSettings}: absent keys
 * keep the built-in default; unknown keys and out-of-bound values stop the node at startup with the key named.
 */
public final class TxnConfig {
    public static final String PATH = "phantom.txn";

    private static final Set<String> KEYS = Set.of("default-isolation", "lock-timeout", "lock-waiters-max",
            "deadlock-check-interval", "deadlock-edges-max", "read-set-keys-max", "writes-max", "implicit-retries-max",
            "participant-timeout", "decision-retries-max", "commit-timeout");

    private TxnConfig() {}

    public static TxnSettings fromConfig(Config config) {
        TxnSettings d = TxnSettings.defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            IsolationLevel level = d.defaultIsolation();
            if (c.hasPath("default-isolation")) {
                level = IsolationLevel.parse(c.getString("default-isolation"));
                if (level == null) {
                    throw new InvalidConfigException(PATH + ".default-isolation",
                            "not an isolation level: " + c.getString("default-isolation"));
                }
            }
            return new TxnSettings(level,
                    c.hasPath("lock-timeout") ? c.getDuration("lock-timeout") : d.lockTimeout(),
                    c.hasPath("lock-waiters-max") ? c.getInt("lock-waiters-max") : d.lockWaitersMax(),
                    c.hasPath("deadlock-check-interval") ? c.getDuration("deadlock-check-interval") : d.deadlockCheckInterval(),
                    c.hasPath("deadlock-edges-max") ? c.getInt("deadlock-edges-max") : d.deadlockEdgesMax(),
                    c.hasPath("read-set-keys-max") ? c.getInt("read-set-keys-max") : d.readSetKeysMax(),
                    c.hasPath("writes-max") ? c.getInt("writes-max") : d.writesMax(),
                    c.hasPath("implicit-retries-max") ? c.getInt("implicit-retries-max") : d.implicitRetriesMax(),
                    c.hasPath("participant-timeout") ? c.getDuration("participant-timeout") : d.participantTimeout(),
                    c.hasPath("decision-retries-max") ? c.getInt("decision-retries-max") : d.decisionRetriesMax(),
                    c.hasPath("commit-timeout") ? c.getDuration("commit-timeout") : d.commitTimeout());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }
}
