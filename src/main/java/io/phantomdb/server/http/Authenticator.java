package io.phantomdb.server.http;

import io.phantomdb.error.SqlState;
import io.phantomdb.security.AuthenticationMethod;
import io.phantomdb.security.ScramVerifier;
import io.phantomdb.security.Security;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Who sends a request (docs/http.md "Authentication"):
 * <ul>
 *   <li>{@code Authorization: Bearer <token>} - a token from {@code POST /v1/tokens};</li>
 *   <li>{@code Authorization: Basic user:password} - checked against the role's SCRAM verifier; accepted only
 *       over TLS, or from loopback when {@code allow-password-without-tls-from-loopback} is on, because over plain
 *       HTTP anyone on the path reads the password;</li>
 *   <li>with {@code phantom.security.authentication = trust}: Basic names the role (the password is not checked)
 *       and a request without credentials runs as the bootstrap superuser - local development only.</li>
 * </ul>
 * Failures are 401 with {@code WWW-Authenticate: Basic realm="phantom"} and SQLSTATE 28P01 (wrong password,
 * unknown role, bad token) or 28000 (credentials sent where they are not accepted). Thread-safe.
 */
final class Authenticator {
    /** The authenticated role, and the bearer token it used (null for Basic and trust). */
    record Principal(String user, String token) {}

    /** Checked against when the role is unknown or cannot log in (see {@link #basic}). */
    private static final ScramVerifier UNKNOWN_ROLE = ScramVerifier.create("unknown role", ScramVerifier.DEFAULT_ITERATIONS);

    private final Security security;
    private final TokenStore tokens;
    private final PasswordCache passwords;
    private final boolean allowPlainFromLoopback;

    Authenticator(Security security, TokenStore tokens, PasswordCache passwords, boolean allowPlainFromLoopback) {
        this.security = security;
        this.tokens = tokens;
        this.passwords = passwords;
        this.allowPlainFromLoopback = allowPlainFromLoopback;
    }

    /** @param secure the request came over TLS; @param loopback it came from 127.0.0.0/8 or ::1 */
    Principal authenticate(HttpRequest request, boolean secure, boolean loopback) {
        Optional<String> header = request.getHeader("Authorization").map(h -> h.value().trim());
        boolean trust = security.authenticationMethod() == AuthenticationMethod.TRUST;
        if (header.isEmpty()) {
            if (trust && security.bootstrapRole().isPresent()) {
                return new Principal(security.bootstrapRole().get(), null);
            }
            throw unauthorized(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "authentication required: send Authorization: Basic (user:password) or Bearer <token from POST /v1/tokens>");
        }
        String value = header.get();
        if (startsWithIgnoreCase(value, "Bearer ")) {
            return bearer(value.substring(7).trim(), trust);
        }
        if (startsWithIgnoreCase(value, "Basic ")) {
            String[] userPassword = decodeBasic(value.substring(6).trim());
            if (trust) {
                return loginOnly(userPassword[0]);
            }
            if (!secure && !(loopback && allowPlainFromLoopback)) {
                throw unauthorized(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                        "passwords are accepted only over HTTPS (this connection is plain HTTP); enable phantom.http.tls, "
                                + "or connect from loopback with allow-password-without-tls-from-loopback = on");
            }
            return basic(userPassword[0], userPassword[1]);
        }
        throw unauthorized(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "unsupported Authorization scheme: use Basic or Bearer");
    }

    private Principal bearer(String token, boolean trust) {
        Optional<String> user = token.isEmpty() ? Optional.empty() : tokens.user(token);
        if (user.isEmpty() || !security.canLogin(user.get())) {
            throw unauthorized(SqlState.INVALID_PASSWORD, "invalid, expired or revoked token; get a new one with POST /v1/tokens");
        }
        return new Principal(user.get(), token);
    }

    private Principal loginOnly(String user) {
        if (!security.canLogin(user)) {
            throw unauthorized(SqlState.INVALID_PASSWORD, "role \"" + user + "\" may not log in");
        }
        return new Principal(user, null);
    }

    private Principal basic(String user, String password) {
        Optional<ScramVerifier> verifier = security.loginVerifier(user);
        if (verifier.isPresent() && passwords.verified(user, password, verifier.get())) {
            return new Principal(user, null);
        }
        if (verifier.isEmpty()) {
            UNKNOWN_ROLE.matches(password); // same PBKDF2 cost as a known role: timing does not reveal which roles exist
            throw unauthorized(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
        }
        if (!verifier.get().matches(password)) {
            throw unauthorized(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
        }
        passwords.remember(user, password, verifier.get());
        return new Principal(user, null);
    }

    private static String[] decodeBasic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "malformed Basic credentials (not base64)");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw unauthorized(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "malformed Basic credentials (expected user:password)");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static HttpProblem unauthorized(SqlState state, String message) {
        return new HttpProblem(401, state, message);
    }
}
