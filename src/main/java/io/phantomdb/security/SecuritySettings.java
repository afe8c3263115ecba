package io.phantomdb.security;

import java.util.Objects;

/**
 * The security layer's settings ({@code phantom.security} in conf/phantom.conf, parsed by node.SecurityConfig).
 *
 * @param adminUser            the superuser created at the first start, when no role exists yet
 * @param adminPassword        its password; empty: a random one is generated and printed once
 * @param scramIterations      PBKDF2 iterations of new SCRAM-SHA-256 verifiers (PostgreSQL's scram_iterations)
 * @param authentication       how pgwire and HTTP check clients
 * @param statementQueueMax    role/grant statements that may wait for the one running (they run one at a time)
 */
public record SecuritySettings(String adminUser, String adminPassword, int scramIterations,
        AuthenticationMethod authentication, int statementQueueMax) {

    public static final String ADMIN_USER_DEFAULT = "phantom";
    /** PostgreSQL accepts 1..INT_MAX; below 4096 (its default) a stolen verifier is cheap to brute-force. */
    public static final int SCRAM_ITERATIONS_MIN = 1;
    public static final int STATEMENT_QUEUE_MAX_DEFAULT = 256;
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int ROLE_NAME_LENGTH_MAX = 63;

    public SecuritySettings {
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(authentication, "authentication");
        if (adminUser.isEmpty() || adminUser.length() > ROLE_NAME_LENGTH_MAX) {
            throw new IllegalArgumentException("admin-user must have 1 to " + ROLE_NAME_LENGTH_MAX + " characters");
        }
        if (scramIterations < SCRAM_ITERATIONS_MIN) {
            throw new IllegalArgumentException("scram-iterations must be at least " + SCRAM_ITERATIONS_MIN);
        }
        if (statementQueueMax < 1) {
            throw new IllegalArgumentException("statement-queue-max must be at least 1");
        }
    }

    /** The built-in defaults (conf/phantom.conf spells out the same values). */
    public static SecuritySettings defaults() {
        return new SecuritySettings(ADMIN_USER_DEFAULT, "", ScramVerifier.DEFAULT_ITERATIONS,
                AuthenticationMethod.SCRAM_SHA_256, STATEMENT_QUEUE_MAX_DEFAULT);
    }

    @Override
    public String toString() { // never print the password
        return "SecuritySettings[adminUser=" + adminUser + ", adminPassword=" + (adminPassword.isEmpty() ? "(random)" : "***")
                + ", scramIterations=" + scramIterations + ", authentication=" + authentication.configName()
                + ", statementQueueMax=" + statementQueueMax + "]";
    }
}
