package io.phantomdb.security;

import java.util.List;
import java.util.Optional;

/**
 * The node's roles and privileges (docs/security.md). The interfaces authenticate through it; SQL sessions of a
 * role check their privileges through it.
 *
 * <p>SKELETON: the signatures are the contract between the server layer and this package; the bodies are
 * being written (issue 6).
 */
public final class Security {

    public Security() {}

    /** The verifier of a role that may log in and has a password; empty otherwise (unknown, NOLOGIN, no password). */
    public Optional<ScramVerifier> loginVerifier(String role) {
        return Optional.empty();
    }

    /** True when {@code role} may log in and {@code password} is its password (HTTP Basic, over TLS). */
    public boolean authenticate(String role, String password) {
        return loginVerifier(role).map(v -> v.matches(password)).orElse(false);
    }

    /** Every role, for pg_roles and \du. */
    public List<RoleInfo> roles() {
        return List.of();
    }
}
