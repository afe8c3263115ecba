package io.phantomdb.server.http;

import io.phantomdb.error.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of {@code POST /v1/tokens}: 32 random bytes (base64url) given to the client once; the server
 * keeps only their SHA-256, so a heap dump does not hand out live credentials. In memory only: a restart
 * revokes every token. Bounded by {@code max-tokens}; expired tokens are dropped when met and when the store
 * is full. Thread-safe.
 */
final class TokenStore {
    static final int TOKEN_BYTES = 32;

    record Issued(String token, Instant expiresAt) {}

    private record Entry(String user, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;
    private final int max;
    private final Clock clock;

    TokenStore(Duration ttl, int max, Clock clock) {
        this.ttl = ttl;
        this.max = max;
        this.clock = clock;
    }

    /** A new token for {@code user}; 503 + 53400 when {@code max-tokens} live tokens exist. */
    Issued issue(String user) {
        if (byHash.size() >= max) {
            purgeExpired();
            if (byHash.size() >= max) {
                throw new HttpProblem(503, SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                        "too many live tokens (phantom.http.max-tokens = " + max + "); revoke unused ones or wait for them to expire");
            }
        }
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant expires = clock.instant().plus(ttl);
        byHash.put(hash(token), new Entry(user, expires));
        return new Issued(token, expires);
    }

    /** The user of a live token; empty when unknown, revoked or expired. */
    Optional<String> user(String token) {
        String key = hash(token);
        Entry e = byHash.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            byHash.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.user());
    }

    void revoke(String token) {
        byHash.remove(hash(token));
    }

    int size() {
        return byHash.size();
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        byHash.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiresAt()));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
