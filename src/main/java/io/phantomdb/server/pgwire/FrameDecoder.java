package io.phantomdb.server.pgwire;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteIterator;
import org.apache.pekko.util.ByteString;

/**
 * Cuts the client's byte stream into protocol v3 frames (a {@code statefulMapConcat} function: one instance per
 * connection, called by one stream stage at a time). Until the StartupMessage, frames are untyped ({@code Int32
 * length} including itself, {@code Int32 code}, body: SSLRequest, GSSENCRequest, CancelRequest, StartupMessage);
 * afterwards every frame is {@code Byte1 type, Int32 length, body}. A frame longer than {@code maxMessageBytes}
 * or with an impossible length yields {@link Inbound.Malformed} once, and everything after it is dropped: the
 * handler closes the connection.
 */
final class FrameDecoder implements org.apache.pekko.japi.function.Function<ByteString, Iterable<Inbound>> {
    static final int SSL_REQUEST_CODE = 80877103;
    static final int GSSENC_REQUEST_CODE = 80877104;
    static final int CANCEL_REQUEST_CODE = 80877102;
    /** The length word counts itself. */
    private static final int LENGTH_BYTES = 4;
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;

    private final int maxMessageBytes;
    private ByteString buffer = ByteString.emptyByteString();
    private boolean startupPhase = true;
    private boolean broken;

    FrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public Iterable<Inbound> apply(ByteString chunk) {
        if (broken) {
            return List.of();
        }
        buffer = buffer.concat(chunk);
        List<Inbound> out = new ArrayList<>();
        while (!broken) {
            Inbound next = startupPhase ? untyped() : typed();
            if (next == null) {
                break;
            }
            out.add(next);
        }
        return out;
    }

    private Inbound untyped() {
        if (buffer.size() < LENGTH_BYTES) {
            return null;
        }
        int length = buffer.iterator().getInt(NETWORK);
        if (length < 2 * LENGTH_BYTES || length > maxMessageBytes) {
            return malformed("invalid length of startup packet: " + length);
        }
        if (buffer.size() < length) {
            return null;
        }
        ByteIterator in = buffer.slice(LENGTH_BYTES, length).iterator();
        buffer = buffer.drop(length);
        int code = in.getInt(NETWORK);
        switch (code) {
            case SSL_REQUEST_CODE: return new Inbound.SslRequest();
            case GSSENC_REQUEST_CODE: return new Inbound.GssEncRequest();
            case CANCEL_REQUEST_CODE:
                if (length != 16) {
                    return malformed("invalid length of cancel request: " + length);
                }
                return new Inbound.CancelRequest(in.getInt(NETWORK), in.getInt(NETWORK));
            default:
                startupPhase = false;
                return startup(code, in);
        }
    }

    private Inbound startup(int version, ByteIterator in) {
        Map<String, String> parameters = new LinkedHashMap<>();
        MessageReader reader = new MessageReader(in.toByteString());
        try {
            while (true) {
                String name = reader.cstring();
                if (name.isEmpty()) {
                    break;
                }
                parameters.put(name, reader.cstring());
            }
        } catch (MessageReader.ProtocolException e) {
            return malformed("invalid startup packet layout: expected terminator as last byte");
        }
        return new Inbound.Startup(version, parameters);
    }

    private Inbound typed() {
        if (buffer.size() < 1 + LENGTH_BYTES) {
            return null;
        }
        ByteIterator header = buffer.iterator();
        char type = (char) (header.getByte() & 0xFF);
        int length = header.getInt(NETWORK);
        if (length < LENGTH_BYTES) {
            return malformed("invalid message length " + length + " for message type '" + type + "'");
        }
        if (length > maxMessageBytes) {
            return malformed("message of type '" + type + "' is " + length + " bytes, more than max-message-size ("
                    + maxMessageBytes + ")");
        }
        if (buffer.size() < 1 + length) {
            return null;
        }
        ByteString body = buffer.slice(1 + LENGTH_BYTES, 1 + length).compact();
        buffer = buffer.drop(1 + length);
        return new Inbound.Message(type, body);
    }

    private Inbound malformed(String reason) {
        broken = true;
        buffer = ByteString.emptyByteString();
        return new Inbound.Malformed(reason);
    }
}
