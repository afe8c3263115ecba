package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.phantomdb.security.AuthenticationMethod;
import io.phantomdb.security.SecuritySettings;
import java.util.Set;

/**
 * Maps {@code phantom.security} (documented key by key in conf/phantom.conf) onto {@link SecuritySettings}:
 * absent keys keep the built-in default; unknown keys and bad values stop the node at startup with the key
 * named. The admin password never appears in an error message.
 */
public final class SecurityConfig {
    public static final String PATH = "phantom.security";

    private static final Set<String> KEYS = Set.of("admin-user", "admin-password", "scram-iterations", "authentication",
            "statement-queue-max");

    private SecurityConfig() {}

    public static SecuritySettings fromConfig(Config config) {
        SecuritySettings d = SecuritySettings.defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        KnownKeys.require(c, PATH, KEYS);
        try {
            AuthenticationMethod method = d.authentication();
            if (c.hasPath("authentication")) {
                method = AuthenticationMethod.parse(c.getString("authentication"));
                if (method == null) {
                    throw new InvalidConfigException(PATH + ".authentication", "must be \"scram-sha-256\" or \"trust\", not \""
                            + c.getString("authentication") + "\"");
                }
            }
            return new SecuritySettings(
                    c.hasPath("admin-user") ? c.getString("admin-user") : d.adminUser(),
                    c.hasPath("admin-password") ? c.getString("admin-password") : d.adminPassword(),
                    c.hasPath("scram-iterations") ? c.getInt("scram-iterations") : d.scramIterations(),
                    method,
                    c.hasPath("statement-queue-max") ? c.getInt("statement-queue-max") : d.statementQueueMax());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InvalidConfigException(PATH, e.getMessage(), e);
        }
    }
}
