package io.phantomdb.server.pgwire;

import io.phantomdb.catalog.DataType;
import io.phantomdb.server.pgcatalog.PgTypes;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Encoders of the backend messages of protocol v3 ({@code Byte1 type, Int32 length, body}). Each returns one
 * complete message; callers concatenate several into one write. Stateless.
 */
final class Backend {
    private Backend() {}

    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    /** AuthenticationRequest sub-codes. */
    private static final int AUTH_OK = 0;
    private static final int AUTH_SASL = 10;
    private static final int AUTH_SASL_CONTINUE = 11;
    private static final int AUTH_SASL_FINAL = 12;

    /** One result column as RowDescription describes it. */
    record Field(String name, DataType type, int format) {}

    /** The single byte answering SSLRequest / GSSENCRequest ('S' or 'N'); not a framed message. */
    static ByteString sslAnswer(char answer) {
        return ByteString.fromArray(new byte[] {(byte) answer});
    }

    static ByteString authenticationOk() {
        return message('R', b -> b.putInt(AUTH_OK, NETWORK));
    }

    static ByteString authenticationSasl(List<String> mechanisms) {
        return message('R', b -> {
            b.putInt(AUTH_SASL, NETWORK);
            mechanisms.forEach(m -> cstring(b, m));
            b.putByte((byte) 0);
        });
    }

    static ByteString authenticationSaslContinue(String data) {
        return message('R', b -> b.putInt(AUTH_SASL_CONTINUE, NETWORK).putBytes(data.getBytes(StandardCharsets.UTF_8)));
    }

    static ByteString authenticationSaslFinal(String data) {
        return message('R', b -> b.putInt(AUTH_SASL_FINAL, NETWORK).putBytes(data.getBytes(StandardCharsets.UTF_8)));
    }

    static ByteString parameterStatus(String name, String value) {
        return message('S', b -> {
            cstring(b, name);
            cstring(b, value);
        });
    }

    static ByteString backendKeyData(int processId, int secretKey) {
        return message('K', b -> b.putInt(processId, NETWORK).putInt(secretKey, NETWORK));
    }

    /** ReadyForQuery of each status, encoded once: every Sync and simple query ends with one. */
    private static final ByteString READY_IDLE = message('Z', b -> b.putByte((byte) 'I'));
    private static final ByteString READY_IN_TRANSACTION = message('Z', b -> b.putByte((byte) 'T'));
    private static final ByteString READY_FAILED = message('Z', b -> b.putByte((byte) 'E'));
    /** The body-less acknowledgements, encoded once (ByteStrings are immutable, so they are shared). */
    private static final ByteString EMPTY_QUERY_RESPONSE = message('I', b -> { });
    private static final ByteString PARSE_COMPLETE = message('1', b -> { });
    private static final ByteString BIND_COMPLETE = message('2', b -> { });
    private static final ByteString CLOSE_COMPLETE = message('3', b -> { });
    private static final ByteString NO_DATA = message('n', b -> { });
    private static final ByteString PORTAL_SUSPENDED = message('s', b -> { });

    static ByteString readyForQuery(char status) {
        switch (status) {
            case 'I': return READY_IDLE;
            case 'T': return READY_IN_TRANSACTION;
            case 'E': return READY_FAILED;
            default: return message('Z', b -> b.putByte((byte) status));
        }
    }

    static ByteString rowDescription(List<Field> fields) {
        return message('T', b -> {
            b.putShort(fields.size(), NETWORK);
            for (Field f : fields) {
                cstring(b, f.name());
                b.putInt(0, NETWORK).putShort(0, NETWORK); // no table oid / attribute number
                b.putInt(PgTypes.oid(f.type()), NETWORK).putShort(typeLength(f.type()), NETWORK);
                b.putInt(-1, NETWORK).putShort(f.format(), NETWORK);
            }
        });
    }

    /** Appends a DataRow of {@code values} (each exactly its field's type, or null) to {@code out}. */
    static void dataRow(ByteStringBuilder out, Object[] values, List<Field> fields) {
        Writer w = new Writer();
        w.dataRow(values, fields);
        out.append(w.result());
    }

    static ByteString commandComplete(String tag) {
        return message('C', b -> cstring(b, tag));
    }

    static ByteString emptyQueryResponse() {
        return EMPTY_QUERY_RESPONSE;
    }

    static ByteString parseComplete() {
        return PARSE_COMPLETE;
    }

    static ByteString bindComplete() {
        return BIND_COMPLETE;
    }

    static ByteString closeComplete() {
        return CLOSE_COMPLETE;
    }

    static ByteString noData() {
        return NO_DATA;
    }

    static ByteString portalSuspended() {
        return PORTAL_SUSPENDED;
    }

    static ByteString parameterDescription(int[] oids) {
        return message('t', b -> {
            b.putShort(oids.length, NETWORK);
            for (int oid : oids) {
                b.putInt(oid, NETWORK);
            }
        });
    }

    /** ErrorResponse (or NoticeResponse with {@code type = 'N'}) with severity, SQLSTATE, message and position. */
    static ByteString error(char type, String severity, String sqlState, String text, int position) {
        return message(type, b -> {
            field(b, 'S', severity);
            field(b, 'V', severity);
            field(b, 'C', sqlState);
            field(b, 'M', text == null ? "" : text);
            if (position > 0) {
                field(b, 'P', Integer.toString(position));
            }
            b.putByte((byte) 0);
        });
    }

    private static void field(ByteStringBuilder b, char code, String value) {
        b.putByte((byte) code);
        cstring(b, value);
    }

    private static int typeLength(DataType type) {
        switch (type) {
            case BOOLEAN: return 1;
            case SMALLINT: return 2;
            case INTEGER: case REAL: case DATE: return 4;
            case BIGINT: case DOUBLE: case TIMESTAMP: return 8;
            default: return -1;
        }
    }

    private static void cstring(ByteStringBuilder b, String s) {
        b.putBytes(s.getBytes(StandardCharsets.UTF_8)).putByte((byte) 0);
    }

    private static ByteString message(char type, java.util.function.Consumer<ByteStringBuilder> body) {
        ByteStringBuilder b = new ByteStringBuilder();
        body.accept(b);
        ByteStringBuilder out = new ByteStringBuilder();
        frame(out, type, b.result());
        return out.result();
    }

    private static void frame(ByteStringBuilder out, char type, ByteString body) {
        out.putByte((byte) type).putInt(body.size() + 4, NETWORK).append(body);
    }

    /**
     * Writes several backend messages into one growing array, handed out as one {@link ByteString} without a
     * copy: the answer to a statement (DataRows, CommandComplete, ...) is one allocation and one TCP write, and
     * each message's length is patched in place instead of building its body separately. One per answer; not
     * thread-safe; not usable after {@link #result}.
     */
    static final class Writer {
        private static final int INITIAL_BYTES = 256;
        private static final byte[] NONE = new byte[0];
        /** Allocated on the first write: a connection's held-back output is often never written to. */
        private byte[] buf = NONE;
        private int pos;
        /**
         * What was written before the last large {@link #append}, as a rope: a statement's answer (rows and all)
         * held back until Sync joins the held output without a copy; {@link #result} is then a rope of a few
         * parts, which the socket write copies once anyway.
         */
        private ByteString done = ByteString.emptyByteString();

        Writer() {}

        /** A writer that expects about {@code expectedBytes} (no regrowing while it fills). */
        Writer(int expectedBytes) {
            buf = new byte[Math.max(expectedBytes, 16)];
        }

        boolean isEmpty() {
            return pos == 0 && done.isEmpty();
        }

        int size() {
            return done.size() + pos;
        }

        Writer append(ByteString bytes) {
            if (bytes.size() >= APPEND_BY_REFERENCE_BYTES) {
                done = done.concat(ByteString.fromArrayUnsafe(buf, 0, pos)).concat(bytes);
                buf = NONE; // the old array now belongs to the rope: never written again
                pos = 0;
                return this;
            }
            ensure(bytes.size());
            bytes.copyToBuffer(java.nio.ByteBuffer.wrap(buf, pos, bytes.size()));
            pos += bytes.size();
            return this;
        }

        /** A DataRow of {@code values} (each exactly its field's type, or null). */
        void dataRow(Object[] values, List<Field> fields) {
            int start = begin('D');
            putShort(values.length);
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    putInt(-1);
                    continue;
                }
                Field f = fields.get(i);
                if (f.format() == 1) {
                    byte[] bytes = BinaryFormat.encode(v, f.type());
                    putInt(bytes.length);
                    putBytes(bytes);
                } else if (v instanceof String text) { // varchar: written straight from the value
                    int at = pos;
                    putInt(0);
                    utf8(text);
                    patchInt(at, pos - at - 4);
                } else {
                    byte[] bytes = TextFormat.encode(v, f.type()).getBytes(StandardCharsets.UTF_8);
                    putInt(bytes.length);
                    putBytes(bytes);
                }
            }
            end(start);
        }

        void rowDescription(List<Field> fields) {
            append(Backend.rowDescription(fields));
        }

        void commandComplete(String tag) {
            int start = begin('C');
            utf8(tag);
            putByte(0);
            end(start);
        }

        void parameterStatus(String name, String value) {
            append(Backend.parameterStatus(name, value));
        }

        void readyForQuery(char status) {
            int start = begin('Z');
            putByte(status);
            end(start);
        }

        /** From this size on, {@link #append} joins the bytes by reference instead of copying them. */
        private static final int APPEND_BY_REFERENCE_BYTES = 512;

        ByteString result() {
            ByteString tail = ByteString.fromArrayUnsafe(buf, 0, pos);
            ByteString out = done.isEmpty() ? tail : done.concat(tail);
            buf = null; // handed out without a copy: never written again
            return out;
        }

        private int begin(char type) {
            putByte(type);
            int start = pos;
            putInt(0); // the length, patched by end
            return start;
        }

        private void end(int start) {
            patchInt(start, pos - start);
        }

        /**
         * Appends {@code s} as UTF-8. Short strings (tags, numbers) byte by byte while ASCII; longer ones through
         * {@code getBytes}, whose ASCII case is one vectorized copy (char by char cost more than the rest of a row).
         */
        private void utf8(String s) {
            int n = s.length();
            if (n > SHORT_STRING) {
                putBytes(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    putBytes(s.substring(i).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                buf[pos++] = (byte) c;
            }
        }

        /** Up to this many chars, a string is copied char by char (no allocation); see {@link #utf8}. */
        private static final int SHORT_STRING = 16;

        private void putByte(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
        }

        private void putShort(int v) {
            ensure(2);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        private void putInt(int v) {
            ensure(4);
            patchInt(pos, v);
            pos += 4;
        }

        private void patchInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        private void putBytes(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, INITIAL_BYTES), pos + more));
            }
        }
    }
}
