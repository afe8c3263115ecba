package io.phantomdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.Prepared;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * Writes a statement's result as NDJSON (docs/http.md "Response"): one JSON document per line.
 *
 * <pre>
 *   {"columns":[{"name":"id","type":"INTEGER","nullable":false}, ...]}
 *   [1,"one",12.50,"2024-05-01","2024-05-01T10:15:30","3q2+7w=="]       one array per row
 *   {"complete":{"tag":"SELECT 1","rows":1}}      or      {"error":{"sqlstate":"57014","message":"..."}}
 * </pre>
 * Values: SMALLINT/INTEGER/BIGINT/DECIMAL as JSON numbers written digit for digit (a BIGINT or DECIMAL loses
 * nothing unless the reader parses numbers as doubles); REAL/DOUBLE as numbers, except NaN and infinities,
 * which JSON cannot hold, as the strings "NaN", "Infinity", "-Infinity"; DATE and TIMESTAMP as ISO-8601 strings;
 * BYTEA as standard base64; BOOLEAN and VARCHAR as themselves; NULL as null.
 *
 * <p>One instance per statement: it counts the rows and bytes written so the limits
 * {@code max-result-rows}/{@code max-result-bytes} cut the result exactly at the limit.
 */
final class NdjsonEncoder {
    private static final byte NEWLINE = '\n';

    /** A piece of the response body and how many rows it carries (the counters count rows as they are pulled). */
    record Chunk(ByteString bytes, int rows, PhantomSqlException failure) {}

    private final long maxRows;
    private final long maxBytes;
    private final int chunkBytes;
    private long rows;
    private long bytes;
    private boolean exceeded;

    NdjsonEncoder(long maxRows, long maxBytes, int chunkBytes) {
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.chunkBytes = chunkBytes;
    }

    long rows() {
        return rows;
    }

    static ByteString columnsLine(List<Prepared.ResultColumn> columns) {
        return line(Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (Prepared.ResultColumn c : columns) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", c.type().name());
                g.writeBooleanField("nullable", c.nullable());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    static ByteString completeLine(String tag, long count) {
        return line(Json.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("complete");
            g.writeStringField("tag", tag);
            g.writeNumberField("rows", count);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    static ByteString errorLine(PhantomSqlException e) {
        return line(Json.errorBody(e.state(), e.getMessage(), e.position()));
    }

    /**
     * The rows of one batch as chunks of about {@code chunkBytes} each. Once a limit is reached the rows up to
     * it are returned, followed by a chunk whose {@code failure} the stream raises (and reports as its last line).
     */
    List<Chunk> encode(List<Object[]> batch) {
        List<Chunk> chunks = new ArrayList<>(1);
        if (exceeded) {
            return chunks;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(chunkBytes, 8192));
        int inChunk = 0;
        for (Object[] row : batch) {
            if (maxRows > 0 && rows >= maxRows) {
                return exceed(chunks, out, inChunk, "max-result-rows (" + maxRows + ")");
            }
            int before = out.size();
            writeRow(out, row);
            if (maxBytes > 0 && bytes + out.size() - before > maxBytes) {
                out = truncated(out, before);
                return exceed(chunks, out, inChunk, "max-result-bytes (" + maxBytes + ")");
            }
            bytes += out.size() - before;
            rows++;
            inChunk++;
            if (out.size() >= chunkBytes) {
                chunks.add(new Chunk(ByteString.fromArray(out.toByteArray()), inChunk, null));
                out.reset();
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            chunks.add(new Chunk(ByteString.fromArray(out.toByteArray()), inChunk, null));
        }
        return chunks;
    }

    private List<Chunk> exceed(List<Chunk> chunks, ByteArrayOutputStream out, int inChunk, String limit) {
        exceeded = true;
        if (inChunk > 0) {
            chunks.add(new Chunk(ByteString.fromArray(out.toByteArray()), inChunk, null));
        }
        chunks.add(new Chunk(ByteString.emptyByteString(), 0, new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                "result exceeds phantom.http." + limit + "; " + rows + " rows were sent. Narrow the query or page with LIMIT/OFFSET")));
        return chunks;
    }

    private static ByteArrayOutputStream truncated(ByteArrayOutputStream out, int size) {
        byte[] kept = java.util.Arrays.copyOf(out.toByteArray(), size);
        ByteArrayOutputStream copy = new ByteArrayOutputStream(size);
        copy.writeBytes(kept);
        return copy;
    }

    private static void writeRow(ByteArrayOutputStream out, Object[] row) {
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Object value : row) {
                writeValue(g, value);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: cannot happen
        }
        out.write(NEWLINE);
    }

    /** One value by its Java class (DataType's invariant: the class says the type). */
    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Short s) {
            g.writeNumber(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                g.writeString(f.toString());
            } else {
                g.writeNumber(f);
            }
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeString(d.toString());
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof byte[] b) {
            g.writeString(Base64.getEncoder().encodeToString(b));
        } else if (v instanceof LocalDateTime t) {
            g.writeString(t.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)); // seconds always present
        } else if (v instanceof LocalDate || v instanceof String) {
            g.writeString(v.toString());
        } else {
            throw new IllegalStateException("not a SQL value: " + v.getClass().getName());
        }
    }

    private static ByteString line(byte[] json) {
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = NEWLINE;
        return ByteString.fromArrayUnsafe(withNewline);
    }
}
