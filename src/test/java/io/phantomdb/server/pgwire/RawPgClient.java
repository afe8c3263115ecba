package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hand-written protocol v3 client for tests that need the exact bytes: frames built field by field, backend
 * messages read as (type, body). Blocking, with a socket timeout so a silent server fails the test.
 */
final class RawPgClient implements AutoCloseable {
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    /** One backend message. */
    record Message(char type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A field of an ErrorResponse ('C' code, 'M' message, 'S' severity). */
        String field(char code) {
            int i = 0;
            while (i < body.length && body[i] != 0) {
                int end = i + 1;
                while (body[end] != 0) {
                    end++;
                }
                if (body[i] == code) {
                    return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                }
                i = end + 1;
            }
            return null;
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawPgClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** StartupMessage for protocol {@code version} with the parameters given. */
    void startup(int version, Map<String, String> parameters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(version);
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            cstring(b, p.getKey());
            cstring(b, p.getValue());
        }
        b.writeByte(0);
        out.writeInt(body.size() + 4);
        out.write(body.toByteArray());
        out.flush();
    }

    /** Logs in as {@code user} on a trust server; returns the messages up to and including ReadyForQuery. */
    List<Message> login(String user) throws IOException {
        startup(3 << 16, Map.of("user", user, "database", "phantom"));
        return readUntil('Z');
    }

    /** An untyped 8 or 16 byte request (SSLRequest, CancelRequest). */
    void request(int... words) throws IOException {
        out.writeInt(4 + 4 * words.length);
        for (int w : words) {
            out.writeInt(w);
        }
        out.flush();
    }

    void query(String sql) throws IOException {
        send('Q', b -> cstring(b, sql));
    }

    /** A simple query and its answer, up to and including ReadyForQuery. */
    List<Message> simpleQuery(String sql) throws IOException {
        query(sql);
        return readUntil('Z');
    }

    void parse(String name, String sql) throws IOException {
        send('P', b -> {
            cstring(b, name);
            cstring(b, sql);
            b.writeShort(0);
        });
    }

    void bind(String portal, String statement) throws IOException {
        send('B', b -> {
            cstring(b, portal);
            cstring(b, statement);
            b.writeShort(0);
            b.writeShort(0);
            b.writeShort(0);
        });
    }

    void execute(String portal, int maxRows) throws IOException {
        send('E', b -> {
            cstring(b, portal);
            b.writeInt(maxRows);
        });
    }

    void sync() throws IOException {
        send('S', b -> { });
    }

    interface Body {
        void write(DataOutputStream b) throws IOException;
    }

    void send(char type, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.write(new DataOutputStream(bytes));
        out.writeByte(type);
        out.writeInt(bytes.size() + 4);
        out.write(bytes.toByteArray());
        out.flush();
    }

    /** Raw bytes, for malformed frames. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    int readByte() throws IOException {
        return in.read();
    }

    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    List<Message> readUntil(char type) throws IOException {
        List<Message> messages = new ArrayList<>();
        while (true) {
            Message m = read();
            messages.add(m);
            if (m.type() == type) {
                return messages;
            }
        }
    }

    /** True when the server closed the connection (EOF) before sending anything more. */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    /** A NUL-terminated UTF-8 string, as the protocol's fields are written. */
    static void cstring(DataOutputStream b, String s) throws IOException {
        b.write(s.getBytes(StandardCharsets.UTF_8));
        b.writeByte(0);
    }

    /** The messages' type bytes, in order. */
    static List<Character> types(List<Message> messages) {
        return messages.stream().map(Message::type).toList();
    }

    /** The transaction status of the answer's last message, which must be ReadyForQuery ('I', 'T' or 'E'). */
    static char status(List<Message> messages) {
        Message last = messages.get(messages.size() - 1);
        assertEquals('Z', last.type());
        return (char) last.body()[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
