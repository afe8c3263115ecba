package io.phantomdb.txn.coordinator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One saga parameter ({@code $n}) in a form that survives the journal exactly: its Java type and its text.
 * (Plain JSON would turn a Long into an Integer and a BigDecimal into a double.) The types are those the SQL
 * layer binds as parameter values.
 *
 * @param text the value's canonical text (Base64 for BYTEA); null for NULL
 */
public record SagaParam(Type type, String text) implements SagaSerializable {

    public enum Type { NULL, BOOLEAN, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE, TEXT, DATE, TIMESTAMP, BYTEA }

    public SagaParam {
        Objects.requireNonNull(type, "type");
        if ((type == Type.NULL) != (text == null)) {
            throw new IllegalArgumentException("text is null exactly for NULL: " + type);
        }
    }

    /** The parameter holding {@code value}; throws IllegalArgumentException for a type SQL does not bind. */
    public static SagaParam of(Object value) {
        if (value == null) {
            return new SagaParam(Type.NULL, null);
        } else if (value instanceof Boolean || value instanceof Short || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String) {
            return new SagaParam(simpleType(value), value.toString());
        } else if (value instanceof BigDecimal d) {
            return new SagaParam(Type.DECIMAL, d.toString());
        } else if (value instanceof LocalDate d) {
            return new SagaParam(Type.DATE, d.toString());
        } else if (value instanceof LocalDateTime t) {
            return new SagaParam(Type.TIMESTAMP, t.toString());
        } else if (value instanceof byte[] bytes) {
            return new SagaParam(Type.BYTEA, Base64.getEncoder().encodeToString(bytes));
        }
        throw new IllegalArgumentException("a saga parameter cannot be a " + value.getClass().getName()
                + " (use Boolean, Short, Integer, Long, Float, Double, BigDecimal, String, LocalDate, LocalDateTime, byte[])");
    }

    private static Type simpleType(Object value) {
        if (value instanceof Boolean) {
            return Type.BOOLEAN;
        } else if (value instanceof Short) {
            return Type.SMALLINT;
        } else if (value instanceof Integer) {
            return Type.INTEGER;
        } else if (value instanceof Long) {
            return Type.BIGINT;
        } else if (value instanceof Float) {
            return Type.REAL;
        } else if (value instanceof Double) {
            return Type.DOUBLE;
        }
        return Type.TEXT;
    }

    /** The Java value this parameter holds (the inverse of {@link #of}). */
    public Object value() {
        switch (type) {
            case NULL:
                return null;
            case BOOLEAN:
                return Boolean.valueOf(text);
            case SMALLINT:
                return Short.valueOf(text);
            case INTEGER:
                return Integer.valueOf(text);
            case BIGINT:
                return Long.valueOf(text);
            case DECIMAL:
                return new BigDecimal(text);
            case REAL:
                return Float.valueOf(text);
            case DOUBLE:
                return Double.valueOf(text);
            case DATE:
                return LocalDate.parse(text);
            case TIMESTAMP:
                return LocalDateTime.parse(text);
            case BYTEA:
                return Base64.getDecoder().decode(text);
            default:
                return text;
        }
    }

    public static List<SagaParam> ofAll(List<?> values) {
        List<SagaParam> params = new ArrayList<>(values.size());
        for (Object value : values) {
            params.add(of(value));
        }
        return List.copyOf(params);
    }

    public static Object[] values(List<SagaParam> params) {
        Object[] values = new Object[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).value();
        }
        return values;
    }
}
