package io.phantomdb.server.http;

import io.phantomdb.security.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for {@code basic-auth-cache-ttl}, that a Basic password was verified, so a client sending Basic on
 * every request pays the PBKDF2 derivation (4096 SHA-256 rounds, a few ms) once per TTL instead of per request.
 *
 * <p>Only a salted SHA-256 of the password is kept (the salt is random per process), next to the role's
 * verifier at the time: a hit counts only while the role's current verifier is still that one, so ALTER ROLE
 * ... PASSWORD, NOLOGIN and DROP ROLE take effect at once. Bounded by {@code basic-auth-cache-entries}: when
 * full, the whole cache is cleared (a rare, cheap reset rather than an eviction policy). Thread-safe.
 */
final class PasswordCache {
    private record Entry(byte[] passwordHash, ScramVerifier verifier, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Entry> byUser = new ConcurrentHashMap<>();
    private final byte[] salt = new byte[16];
    private final Duration ttl;
    private final int max;
    private final Clock clock;

    PasswordCache(Duration ttl, int max, Clock clock) {
        this.ttl = ttl;
        this.max = max;
        this.clock = clock;
        new SecureRandom().nextBytes(salt);
    }

    private boolean enabled() {
        return max > 0 && !ttl.isZero();
    }

    /** True when {@code password} was verified for {@code user} against {@code current} within the TTL. */
    boolean verified(String user, String password, ScramVerifier current) {
        if (!enabled()) {
            return false;
        }
        Entry e = byUser.get(user);
        if (e == null) {
            return false;
        }
        if (!clock.instant().isBefore(e.expiresAt()) || !e.verifier().equals(current)) {
            byUser.remove(user, e);
            return false;
        }
        return MessageDigest.isEqual(e.passwordHash(), hash(password));
    }

    void remember(String user, String password, ScramVerifier verifier) {
        if (!enabled()) {
            return;
        }
        if (byUser.size() >= max) {
            byUser.clear();
        }
        byUser.put(user, new Entry(hash(password), verifier, clock.instant().plus(ttl)));
    }

    private byte[] hash(String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
