package io.phantomdb.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately small HTTP/1.1 client over a plain socket with a small receive buffer, so a test controls
 * exactly how fast the response body is read: it sends one request and then reads NDJSON lines one at a time
 * from the chunked body. Not a test.
 */
final class SlowReader implements AutoCloseable {
    /** Small on purpose: the kernel may keep at most about this much of the response on the client side. */
    static final int RECEIVE_BUFFER_BYTES = 8 * 1024;

    private final Socket socket = new Socket();
    private final InputStream in;
    private int chunkLeft;
    private boolean ended;
    final int status;

    SlowReader(int port, String path, String authorization, String jsonBody) throws IOException {
        socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        in = socket.getInputStream();
        String statusLine = rawLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        boolean chunked = false;
        for (String h = rawLine(); !h.isEmpty(); h = rawLine()) {
            chunked |= h.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding: chunked");
        }
        if (!chunked) {
            throw new IOException("expected a chunked response, status " + status);
        }
    }

    /** The next NDJSON line of the body, or null at its end. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (chunkLeft == 0) {
            String size = rawLine();
            if (size.isEmpty()) { // the CRLF after the previous chunk
                size = rawLine();
            }
            chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed inside a chunk");
        }
        chunkLeft--;
        return b;
    }

    private String rawLine() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in a header line");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
