package io.phantomdb.server.pgwire;

import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * What reaches a connection's protocol handler: one framed frontend message ({@link FrameDecoder}), a framing
 * error, or a timer tick (idle-in-transaction checks). Immutable.
 */
sealed interface Inbound {
    /** SSLRequest (code 80877103): answered 'S' + TLS, or 'N'. */
    record SslRequest() implements Inbound {}

    /** GSSENCRequest (code 80877104): always answered 'N'. */
    record GssEncRequest() implements Inbound {}

    /** CancelRequest (code 80877102), sent on a new connection: cancels the statement of {@code processId}. */
    record CancelRequest(int processId, int secretKey) implements Inbound {}

    /** StartupMessage: the protocol version ({@code major << 16 | minor}) and the parameters (user, database, ...). */
    record Startup(int version, Map<String, String> parameters) implements Inbound {}

    /** A typed message after startup: its type byte and body (without type and length). */
    record Message(char type, ByteString body) implements Inbound {}

    /** The frame could not be read (oversized, negative length): answered FATAL 08P01, then the connection closes. */
    record Malformed(String reason) implements Inbound {}

    /** A periodic tick of the idle-in-transaction timer. */
    record Tick() implements Inbound {}
}
