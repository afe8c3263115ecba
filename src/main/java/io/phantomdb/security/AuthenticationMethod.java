package io.phantomdb.security;

/**
 * How the network interfaces check who a client is ({@code phantom.security.authentication}).
 * TRUST asks no password: any LOGIN role may connect as itself - for local development only.
 */
public enum AuthenticationMethod {
    SCRAM_SHA_256("scram-sha-256"), TRUST("trust");

    private final String configName;

    AuthenticationMethod(String configName) {
        this.configName = configName;
    }

    /** The spelling in the configuration file. */
    public String configName() {
        return configName;
    }

    /** The method spelled {@code name} in the configuration, or null. */
    public static AuthenticationMethod parse(String name) {
        for (AuthenticationMethod m : values()) {
            if (m.configName.equalsIgnoreCase(name)) {
                return m;
            }
        }
        return null;
    }
}
