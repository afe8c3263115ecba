package io.phantomdb.server.pgwire;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.Gs2CbindFlag;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.exception.ScramParseException;
import io.phantomdb.security.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One SCRAM-SHA-256 exchange (RFC 5802/7677) over PostgreSQL's SASL messages, server side:
 *
 * <pre>
 *   server: AuthenticationSASL [SCRAM-SHA-256]
 *   client: SASLInitialResponse  n,,n=,r=cnonce            -> {@link #clientFirst}
 *   server: AuthenticationSASLContinue  r=cnonce+snonce,s=salt,i=4096
 *   client: SASLResponse  c=biws,r=cnonce+snonce,p=proof   -> {@link #clientFinal}
 *   server: AuthenticationSASLFinal  v=signature, then AuthenticationOk
 * </pre>
 *
 * An unknown role (or one without a password) runs the same exchange against a mock verifier derived from the
 * role name with a per-server secret, and fails at the proof like a wrong password: the client cannot tell
 * which it was (PostgreSQL does the same). Channel binding is not offered (no SCRAM-SHA-256-PLUS): gs2 flags 'n'
 * and 'y' are accepted, 'p' is refused. Not thread-safe: one per connection.
 */
final class ScramAuthentication {
    static final String MECHANISM_NAME = "SCRAM-SHA-256";
    /** Bytes of randomness in the server's half of the nonce (PostgreSQL uses 18). */
    private static final int SERVER_NONCE_BYTES = 18;
    private static final int MOCK_SALT_BYTES = 16;

    /** What to answer a client message. */
    sealed interface Step {
        record Continue(String serverMessage) implements Step {}

        record Success(String serverFinalMessage) implements Step {}

        /** Authentication failed; {@code reason} is for the server log, never sent to the client. */
        record Failure(String reason) implements Step {}
    }

    private final ScramVerifier verifier;
    private final boolean realRole;
    private final SecureRandom random;
    private String clientFirstBare;
    private String gs2Header;
    private String serverFirst;
    private String nonce;

    ScramAuthentication(String role, Optional<ScramVerifier> verifier, byte[] mockSecret, SecureRandom random) {
        this.realRole = verifier.isPresent();
        this.verifier = verifier.orElseGet(() -> mock(role, mockSecret));
        this.random = random;
    }

    static List<String> mechanisms() {
        return List.of(MECHANISM_NAME);
    }

    /** The client's first message (after the mechanism in SASLInitialResponse). */
    Step clientFirst(String mechanism, String message) {
        if (!MECHANISM_NAME.equals(mechanism)) {
            return new Step.Failure("unsupported SASL mechanism " + mechanism);
        }
        ClientFirstMessage first;
        try {
            // libpq (psql) sends an empty user name ("n,,n=,r=..."), as PostgreSQL allows: the role comes from the
            // startup packet. scram-common rejects an empty "n=", so it parses a copy naming "*" (what pgjdbc sends);
            // the auth message below still uses the client's exact text.
            first = ClientFirstMessage.parseFrom(message.replaceFirst("^([^,]*,[^,]*,)n=,", "$1n=*,"));
        } catch (ScramParseException | IllegalArgumentException e) {
            return new Step.Failure("malformed SCRAM client-first-message");
        }
        if (first.getGs2Header().getChannelBindingFlag() == Gs2CbindFlag.CHANNEL_BINDING_REQUIRED) {
            return new Step.Failure("channel binding requested but not offered");
        }
        int secondComma = message.indexOf(',', message.indexOf(',') + 1);
        gs2Header = message.substring(0, secondComma + 1);
        clientFirstBare = message.substring(secondComma + 1);
        nonce = first.getClientNonce() + ScramFunctions.nonce(SERVER_NONCE_BYTES, random);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i="
                + verifier.iterations();
        return new Step.Continue(serverFirst);
    }

    /** The client's final message: checks the channel-binding echo, the nonce and the proof. */
    Step clientFinal(String message) {
        if (serverFirst == null) {
            return new Step.Failure("SASLResponse before SASLInitialResponse");
        }
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            return new Step.Failure("client-final-message without proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String channelBinding = attribute(withoutProof, 'c');
        String clientNonce = attribute(withoutProof, 'r');
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!expectedBinding.equals(channelBinding) || !nonce.equals(clientNonce)) {
            return new Step.Failure("channel binding or nonce mismatch");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return new Step.Failure("malformed proof");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        boolean valid = proof.length == verifier.storedKey().length
                && ScramFunctions.verifyClientProof(ScramVerifier.MECHANISM, proof, verifier.storedKey(), authMessage);
        if (!valid || !realRole) {
            return new Step.Failure(realRole ? "wrong password" : "unknown role or no password");
        }
        byte[] signature = ScramFunctions.serverSignature(ScramVerifier.MECHANISM, verifier.serverKey(), authMessage);
        return new Step.Success("v=" + Base64.getEncoder().encodeToString(signature));
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    /** A stable fake verifier: the same role always gets the same salt, so probing cannot spot unknown roles. */
    private static ScramVerifier mock(String role, byte[] secret) {
        byte[] digest = ScramFunctions.hmac(ScramVerifier.MECHANISM, secret, role.getBytes(StandardCharsets.UTF_8));
        byte[] salt = java.util.Arrays.copyOf(digest, MOCK_SALT_BYTES);
        return new ScramVerifier(ScramVerifier.DEFAULT_ITERATIONS, salt, digest, digest); // realRole = false fails it anyway
    }
}
