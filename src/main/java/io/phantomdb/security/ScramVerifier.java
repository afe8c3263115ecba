package io.phantomdb.security;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A role's password as PostgreSQL stores it for SCRAM-SHA-256 (RFC 5802/7677): salt, iteration count, StoredKey
 * and ServerKey. The password itself is never kept; the verifier lets the server check a client's proof (pgwire
 * SASL) or a password sent over TLS (HTTP Basic) without being able to log in as the role.
 *
 * <p>Text form (as in PostgreSQL's {@code pg_authid.rolpassword}):
 * {@code SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>}.
 */
public record ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    /** PostgreSQL's default ({@code scram_iterations}). */
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final int SALT_BYTES = 16;
    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramVerifier {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** A verifier for {@code password} with a fresh random salt. */
    public static ScramVerifier create(String password, int iterations) {
        byte[] salt = ScramFunctions.salt(SALT_BYTES, RANDOM);
        return derive(password, salt, iterations);
    }

    private static ScramVerifier derive(String password, byte[] salt, int iterations) {
        byte[] salted = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.SASL_PREPARATION,
                password.toCharArray(), salt, iterations);
        byte[] storedKey = ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM, salted));
        return new ScramVerifier(iterations, salt, storedKey, ScramFunctions.serverKey(MECHANISM, salted));
    }

    /** True when {@code password} is the one this verifier was made from (constant-time comparison). */
    public boolean matches(String password) {
        ScramVerifier candidate;
        try {
            candidate = derive(password, salt, iterations);
        } catch (IllegalArgumentException e) {
            return false; // SASLprep refuses it (empty, prohibited characters): no stored password can be it
        }
        return MessageDigest.isEqual(candidate.storedKey, storedKey) & MessageDigest.isEqual(candidate.serverKey, serverKey);
    }

    /** The PostgreSQL text form. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    /** Parses {@link #encoded()}; throws {@link IllegalArgumentException} on anything else. */
    public static ScramVerifier parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
        }
        String[] halves = text.substring(PREFIX.length()).split("\\$", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
        }
        String[] iterSalt = halves[0].split(":", -1);
        String[] keys = halves[1].split(":", -1);
        if (iterSalt.length != 2 || keys.length != 2) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new ScramVerifier(Integer.parseInt(iterSalt[0]), b64.decode(iterSalt[1]), b64.decode(keys[0]),
                b64.decode(keys[1]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && v.iterations == iterations && MessageDigest.isEqual(v.salt, salt)
                && MessageDigest.isEqual(v.storedKey, storedKey) && MessageDigest.isEqual(v.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramVerifier[iterations=" + iterations + "]"; // never print key material
    }
}
