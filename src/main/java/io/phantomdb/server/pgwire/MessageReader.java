package io.phantomdb.server.pgwire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/**
 * Reads the fields of one frontend message body (Int16, Int32, NUL-terminated strings, byte runs). Reading past
 * the end or a missing terminator throws {@link ProtocolException}: the client broke the protocol (08P01).
 */
final class MessageReader {
    /** The body does not have the layout its type requires. */
    static final class ProtocolException extends RuntimeException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final ByteBuffer in;

    MessageReader(ByteString body) {
        this.in = body.toByteBuffer();
    }

    int int16() {
        need(2);
        return in.getShort();
    }

    int int32() {
        need(4);
        return in.getInt();
    }

    byte int8() {
        need(1);
        return in.get();
    }

    byte[] bytes(int n) {
        if (n < 0) {
            throw new ProtocolException("negative length " + n);
        }
        need(n);
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    /** The rest of the body. */
    byte[] rest() {
        return bytes(in.remaining());
    }

    String cstring() {
        int start = in.position();
        for (int i = start; i < in.limit(); i++) {
            if (in.get(i) == 0) {
                byte[] raw = new byte[i - start];
                in.get(raw);
                in.get(); // the terminator
                return new String(raw, StandardCharsets.UTF_8);
            }
        }
        throw new ProtocolException("string without terminator");
    }

    boolean atEnd() {
        return !in.hasRemaining();
    }

    private void need(int n) {
        if (in.remaining() < n) {
            throw new ProtocolException("message too short");
        }
    }
}
