package io.phantomdb.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.phantomdb.Column;
import io.phantomdb.Row;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The client's side of the HTTP interface's JSON (docs/http.md): request bodies from Java parameters, and
 * response lines to {@link Frame}s whose rows hold exactly the Java classes the embedded API gives
 * ({@link DataType#javaClass()}), decoded by the column's type: numbers exactly (DECIMAL as BigDecimal with its
 * scale), DATE/TIMESTAMP from ISO strings, BYTEA from base64, "NaN"/"Infinity" for REAL/DOUBLE.
 */
final class JsonCodec {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // keep DECIMAL scale
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonCodec() {}

    /** {@code {"sql": ..., "params": [...]}}; parameters of an unsupported class fail here, before any request. */
    static byte[] request(String sql, Object[] params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + sql.length());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sql", sql);
            g.writeArrayFieldStart("params");
            for (Object p : params) {
                writeParam(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeParam(JsonGenerator g, Object p) throws IOException {
        if (p == null) {
            g.writeNull();
        } else if (p instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (p instanceof Short || p instanceof Integer || p instanceof Long || p instanceof Byte) {
            g.writeNumber(((Number) p).longValue());
        } else if (p instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (p instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (p instanceof Float || p instanceof Double) {
            double d = ((Number) p).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                g.writeString(Double.toString(d));
            } else if (p instanceof Float f) {
                g.writeNumber(f);
            } else {
                g.writeNumber(d);
            }
        } else if (p instanceof String || p instanceof LocalDate || p instanceof Character) {
            g.writeString(p.toString());
        } else if (p instanceof LocalDateTime t) {
            g.writeString(t.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        } else if (p instanceof byte[] b) {
            g.writeString(Base64.getEncoder().encodeToString(b));
        } else {
            throw new IllegalArgumentException("parameter of class " + p.getClass().getName() + " is not a SQL value");
        }
    }

    /** One response line, given the columns already seen (null before the columns line). */
    static Frame frame(byte[] line, List<Column> columns) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw protocol("response line is not JSON: " + e.getMessage());
        }
        if (node.isArray()) {
            if (columns == null || node.size() != columns.size()) {
                throw protocol("row without a matching columns line");
            }
            Object[] values = new Object[node.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(node.get(i), columns.get(i).type());
            }
            return new Frame.RowFrame(new Row(columns, values));
        }
        if (node.has("columns")) {
            List<Column> out = new ArrayList<>();
            for (JsonNode c : node.get("columns")) {
                out.add(new Column(c.get("name").asText(), DataType.valueOf(c.get("type").asText()), c.get("nullable").asBoolean()));
            }
            return new Frame.Columns(List.copyOf(out));
        }
        if (node.has("complete")) {
            JsonNode c = node.get("complete");
            return new Frame.Complete(c.get("tag").asText(), c.get("rows").asLong());
        }
        if (node.has("error")) {
            return new Frame.Error(error(node));
        }
        throw protocol("unexpected response line: " + node);
    }

    /** The SQL error of an error body {@code {"error":{"sqlstate":..,"message":..}}}. */
    static PhantomSqlException error(JsonNode node) {
        JsonNode e = node.path("error");
        String code = e.path("sqlstate").asText("");
        String message = e.path("message").asText("");
        SqlState state = state(code);
        if (state == null) {
            return new PhantomSqlException(SqlState.INTERNAL_ERROR, "server error " + code + ": " + message);
        }
        return new PhantomSqlException(state, message, Math.max(0, e.path("position").asInt(0)), null);
    }

    static SqlState state(String code) {
        for (SqlState s : SqlState.values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        return null;
    }

    private static Object value(JsonNode v, DataType type) {
        if (v.isNull()) {
            return null;
        }
        switch (type) {
            case SMALLINT:
                return (short) v.intValue();
            case INTEGER:
                return v.intValue();
            case BIGINT:
                return v.longValue();
            case DECIMAL:
                return v.decimalValue();
            case REAL:
                return v.isTextual() ? Float.valueOf(v.asText()) : v.floatValue();
            case DOUBLE:
                return v.isTextual() ? Double.valueOf(v.asText()) : v.doubleValue();
            case BOOLEAN:
                return v.booleanValue();
            case DATE:
                return LocalDate.parse(v.asText());
            case TIMESTAMP:
                return LocalDateTime.parse(v.asText());
            case BYTEA:
                return Base64.getDecoder().decode(v.asText());
            default:
                return v.asText();
        }
    }

    static PhantomSqlException protocol(String message) {
        return new PhantomSqlException(SqlState.PROTOCOL_VIOLATION, message);
    }
}
