package io.phantomdb.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/sql}: {@code {"sql": "...", "params": [...]}}. Parsing is strict - unknown
 * fields, wrong field types, duplicate keys and trailing garbage are refused with 400 + 08P01 - so a typo
 * never runs a statement the client did not mean.
 *
 * <p>Parameters are JSON null, booleans, numbers or strings; {@link #bind} converts them to what the
 * statement's parameter types need: numbers exactly (a DECIMAL parameter gets the digits as sent), strings for
 * DATE/TIMESTAMP/DECIMAL in their SQL text form (converted by the engine like a cast), and base64 strings for
 * BYTEA.
 */
record SqlRequest(String sql, List<JsonNode> params) {
    /** Parameters one statement may have (PostgreSQL's protocol limit). */
    static final int PARAMS_MAX = 65_535;

    static SqlRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw bad("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw bad("request body could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw bad("request body must be a JSON object {\"sql\": \"...\", \"params\": [...]}");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            String name = fields.next().getKey();
            if (!name.equals("sql") && !name.equals("params")) {
                throw bad("unknown field \"" + name + "\" (known: sql, params)");
            }
        }
        JsonNode sql = root.get("sql");
        if (sql == null || sql.isNull()) {
            throw bad("field \"sql\" is required");
        }
        if (!sql.isTextual()) {
            throw bad("field \"sql\" must be a string, not " + sql.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (sql.textValue().isBlank()) {
            throw bad("field \"sql\" must not be empty");
        }
        JsonNode params = root.get("params");
        List<JsonNode> values = new ArrayList<>();
        if (params != null && !params.isNull()) {
            if (!params.isArray()) {
                throw bad("field \"params\" must be an array");
            }
            if (params.size() > PARAMS_MAX) {
                throw bad("at most " + PARAMS_MAX + " params");
            }
            for (JsonNode p : params) {
                if (p.isContainerNode()) {
                    throw bad("params must be null, booleans, numbers or strings; got " + p.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                values.add(p);
            }
        }
        return new SqlRequest(sql.textValue(), List.copyOf(values));
    }

    /** The parameters as Java values for a statement whose parameters have {@code types} (may be empty). */
    Object[] bind(List<DataType> types) {
        Object[] out = new Object[params.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(params.get(i), i < types.size() ? types.get(i) : null, i + 1);
        }
        return out;
    }

    private static Object value(JsonNode p, DataType type, int number) {
        if (p.isNull()) {
            return null;
        }
        if (p.isBoolean()) {
            return p.booleanValue();
        }
        if (p.isNumber()) {
            return number(p, type);
        }
        String text = p.textValue();
        if (type == DataType.BYTEA) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new PhantomSqlException(SqlState.INVALID_TEXT_REPRESENTATION,
                        "parameter $" + number + " is BYTEA: send it as a base64 string (" + e.getMessage() + ")");
            }
        }
        return text;
    }

    /** Integers as Long when they fit (else exact BigDecimal), fractions as BigDecimal or Double by target type. */
    private static Object number(JsonNode p, DataType type) {
        if (p.isIntegralNumber()) {
            BigInteger big = p.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
        }
        BigDecimal exact = p.decimalValue();
        if (type == DataType.REAL || type == DataType.DOUBLE) {
            return exact.doubleValue();
        }
        return type == null ? exact.doubleValue() : exact;
    }

    private static HttpProblem bad(String message) {
        return new HttpProblem(400, SqlState.PROTOCOL_VIOLATION, message);
    }
}
