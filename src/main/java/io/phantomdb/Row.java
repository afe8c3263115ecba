package io.phantomdb;

import io.phantomdb.catalog.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a result, with its columns' metadata. Values follow {@link DataType}'s class invariant
 * ({@code INTEGER} is an {@link Integer}, {@code DECIMAL} a {@link BigDecimal}, ...); typed getters convert
 * between numeric types where no information is lost, and throw {@link ClassCastException} otherwise.
 * Immutable.
 */
public final class Row {
    private final List<Column> columns;
    private final Object[] values;

    public Row(List<Column> columns, Object[] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        this.columns = columns;
        this.values = values;
    }

    public List<Column> columns() {
        return columns;
    }

    public int size() {
        return values.length;
    }

    /** The value of column {@code index} (0-based), null for SQL NULL. */
    public Object get(int index) {
        return values[index];
    }

    /** The value of the first column named {@code name}. */
    public Object get(String name) {
        return values[indexOf(name)];
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column named " + name + " in " + columns);
    }

    public boolean isNull(int index) {
        return values[index] == null;
    }

    public Integer getInt(int index) {
        Object v = values[index];
        if (v == null || v instanceof Integer) {
            return (Integer) v;
        }
        if (v instanceof Short s) {
            return s.intValue();
        }
        return Math.toIntExact(((Long) v));
    }

    public Long getLong(int index) {
        Object v = values[index];
        return v == null ? null : v instanceof Long l ? l : Long.valueOf(((Number) integral(v)).longValue());
    }

    public Double getDouble(int index) {
        Object v = values[index];
        return v == null ? null : ((Number) v).doubleValue();
    }

    public BigDecimal getBigDecimal(int index) {
        Object v = values[index];
        if (v == null || v instanceof BigDecimal) {
            return (BigDecimal) v;
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(v.toString());
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    public String getString(int index) {
        Object v = values[index];
        return v == null ? null : v instanceof byte[] b ? Arrays.toString(b) : v.toString();
    }

    public Boolean getBoolean(int index) {
        return (Boolean) values[index];
    }

    public LocalDate getDate(int index) {
        return (LocalDate) values[index];
    }

    public LocalDateTime getTimestamp(int index) {
        return (LocalDateTime) values[index];
    }

    public byte[] getBytes(int index) {
        byte[] b = (byte[]) values[index];
        return b == null ? null : b.clone();
    }

    private static Object integral(Object v) {
        if (v instanceof Short || v instanceof Integer || v instanceof Long) {
            return v;
        }
        throw new ClassCastException(v.getClass().getSimpleName() + " is not an integer type");
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Row[");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(columns.get(i).name()).append('=');
            s.append(values[i] instanceof byte[] b ? Arrays.toString(b) : String.valueOf(values[i]));
        }
        return s.append(']').toString();
    }
}
