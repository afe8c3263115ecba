package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Goal: verifiers are compatible with PostgreSQL's and check passwords correctly. Method: a verifier that
 * PostgreSQL 15 stored in pg_authid for {@code CREATE ROLE x PASSWORD 'pencil'} (computed once with the local
 * server in single-user mode) must accept 'pencil' and reject others and round-trip through its text form;
 * fresh verifiers get fresh salts; malformed text is refused.
 */
class ScramVerifierTest {
    /** PostgreSQL 15, rolpassword of CREATE ROLE x PASSWORD 'pencil'. */
    private static final String POSTGRES_PENCIL = "SCRAM-SHA-256$4096:kaKBvmogOctjLY127/mx/w==$"
            + "GjF2pjzMFtcXCXqHJqVUlbmTfbzd8bgTTxl1GcQuIPo=:JShc7Vnjy6MnWgq2c1SHqa+sR8h4j7O1DEI5cl+eSpo=";

    @Test
    void acceptsAVerifierMadeByPostgreSql() {
        ScramVerifier v = ScramVerifier.parse(POSTGRES_PENCIL);
        assertEquals(4096, v.iterations());
        assertTrue(v.matches("pencil"));
        assertFalse(v.matches("Pencil"));
        assertFalse(v.matches(""));
        assertEquals(POSTGRES_PENCIL, v.encoded());
    }

    @Test
    void freshVerifiersMatchTheirPasswordAndRoundTrip() {
        ScramVerifier a = ScramVerifier.create("s3cret \u00e9", 4096);
        ScramVerifier b = ScramVerifier.create("s3cret \u00e9", 4096);
        assertTrue(a.matches("s3cret \u00e9"));
        assertFalse(a.matches("s3cret e"));
        assertNotEquals(a.encoded(), b.encoded(), "each verifier has its own salt");
        assertEquals(a, ScramVerifier.parse(a.encoded()));
        assertTrue(ScramVerifier.parse(a.encoded()).matches("s3cret \u00e9"));
        assertFalse(a.toString().contains(a.encoded().substring(20)), "toString shows no key material");
        assertTrue(ScramVerifier.create("x", 16).encoded().startsWith("SCRAM-SHA-256$16:"), "iterations come from the caller");
    }

    @Test
    void malformedTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.parse("md5abc"));
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.parse("SCRAM-SHA-256$4096:abc"));
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.parse(null));
    }
}
