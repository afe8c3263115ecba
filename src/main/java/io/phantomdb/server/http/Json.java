package io.phantomdb.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.phantomdb.error.SqlState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON the HTTP layer reads and writes, all through Jackson: one strict reader for request bodies
 * (duplicate keys, trailing tokens and non-standard JSON refused; floats read as exact decimals) and small
 * writers for the fixed response shapes.
 */
final class Json {
    /** Strict: a request body is either exactly valid JSON or refused with 400. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // keep DECIMAL scale
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    /** DECIMAL values are written digit for digit, never in scientific notation. */
    static final JsonFactory FACTORY = JsonFactory.builder().enable(
            com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private Json() {}

    /** {@code {"error":{"sqlstate":..,"message":..[,"position":n]}}}. */
    static byte[] errorBody(SqlState state, String message, int position) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("sqlstate", state.code());
            g.writeStringField("message", message == null ? "" : message);
            if (position > 0) {
                g.writeNumberField("position", position);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** A flat object of string (or number/boolean) fields. */
    static byte[] object(Map<String, ?> fields) {
        return write(g -> {
            g.writeStartObject();
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof Number n) {
                    g.writeNumber(n.longValue());
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    g.writeString(String.valueOf(v));
                }
            }
            g.writeEndObject();
        });
    }

    interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: cannot happen
        }
        return out.toByteArray();
    }
}
