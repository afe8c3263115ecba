package io.phantomdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.phantomdb.security.AuthenticationMethod;
import io.phantomdb.security.SecuritySettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@code phantom.security} is read as documented and bad values stop the node naming the key, without
 * ever echoing the admin password. Method: parse small configurations.
 */
class SecurityConfigTest {

    private static SecuritySettings parse(Map<String, Object> values) {
        return SecurityConfig.fromConfig(ConfigFactory.parseMap(values));
    }

    @Test
    void absentBlockGivesTheDefaults() {
        assertEquals(SecuritySettings.defaults(), parse(Map.of()));
        assertEquals("phantom", SecuritySettings.defaults().adminUser());
        assertEquals(4096, SecuritySettings.defaults().scramIterations());
        assertEquals(AuthenticationMethod.SCRAM_SHA_256, SecuritySettings.defaults().authentication());
    }

    @Test
    void everyKeyIsRead() {
        SecuritySettings s = parse(Map.of("phantom.security.admin-user", "root", "phantom.security.admin-password", "pw",
                "phantom.security.scram-iterations", 10000, "phantom.security.authentication", "trust",
                "phantom.security.statement-queue-max", 8));
        assertEquals(new SecuritySettings("root", "pw", 10000, AuthenticationMethod.TRUST, 8), s);
        assertFalse(s.toString().contains("pw,"), "toString hides the password");
    }

    @Test
    void badValuesNameTheKey() {
        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> parse(Map.of("phantom.security.admin-pasword", "secret-typo")));
        assertEquals("phantom.security.admin-pasword", unknown.key());
        InvalidConfigException method = assertThrows(InvalidConfigException.class,
                () -> parse(Map.of("phantom.security.authentication", "md5")));
        assertEquals("phantom.security.authentication", method.key());
        assertThrows(InvalidConfigException.class, () -> parse(Map.of("phantom.security.scram-iterations", 0)));
        InvalidConfigException empty = assertThrows(InvalidConfigException.class,
                () -> parse(Map.of("phantom.security.admin-user", "", "phantom.security.admin-password", "s3cr3t")));
        assertFalse(empty.getMessage().contains("s3cr3t"));
    }
}
