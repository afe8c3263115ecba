package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.txn.coordinator.SagaSettings;
import java.util.Set;

/**
 * Maps {@code phantom.saga} (documented key by key in conf/phantom.conf) onto {@link SagaSettings}: absent keys
 * keep the built-in default; unknown keys and out-of-bound values stop the node at startup with the key named.
 * Sagas always journal to Phantom's own persistence plugins.
 */
public final class SagaConfig {
    public static final String PATH = "phantom.saga";

    private static final Set<String> KEYS = Set.of("step-retries-max", "retry-backoff", "step-timeout", "waiters-max",
            "start-wait-timeout", "steps-max", "resume-parallelism");

    private SagaConfig() {}

    public static SagaSettings fromConfig(Config config) {
        SagaSettings d = SagaSettings.defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            return new SagaSettings(d.journalPluginId(), d.snapshotPluginId(),
                    c.hasPath("step-retries-max") ? c.getInt("step-retries-max") : d.stepRetriesMax(),
                    c.hasPath("retry-backoff") ? c.getDuration("retry-backoff") : d.retryBackoff(),
                    c.hasPath("step-timeout") ? c.getDuration("step-timeout") : d.stepTimeout(),
                    c.hasPath("waiters-max") ? c.getInt("waiters-max") : d.waitersMax(),
                    c.hasPath("start-wait-timeout") ? c.getDuration("start-wait-timeout") : d.startWaitTimeout(),
                    c.hasPath("steps-max") ? c.getInt("steps-max") : d.stepsMax(),
                    c.hasPath("resume-parallelism") ? c.getInt("resume-parallelism") : d.resumeParallelism());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }
}
