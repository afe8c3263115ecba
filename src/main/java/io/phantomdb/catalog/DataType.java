package io.phantomdb.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The SQL column types Phantom-DB stores, and the one Java class that represents each at run time.
 *
 * <p>Invariant every layer relies on: a non-null value of a column (or expression) of type {@code T} is
 * always an instance of exactly {@code T.javaClass()}, never a "compatible" class. Operators can then
 * compare, hash and group values with {@code equals}/{@code compareTo} without conversions, and the
 * row codec knows what it reads back. Expressions that produce a wider or narrower class must convert.
 *
 * <p>The {@link #tag()} numbers are written into row values on disk (docs/formats/rows.md): never change
 * or reuse one; retire it with a comment instead.
 */
public enum DataType {
    SMALLINT(1, Short.class),
    INTEGER(2, Integer.class),
    BIGINT(3, Long.class),
    /** NUMERIC/DECIMAL(p, s); precision and scale live in the column definition. */
    DECIMAL(4, BigDecimal.class),
    /** REAL, 4-byte IEEE 754. */
    REAL(5, Float.class),
    /** DOUBLE PRECISION (and FLOAT without precision), 8-byte IEEE 754. */
    DOUBLE(6, Double.class),
    /** VARCHAR(n), TEXT, CHAR(n): Unicode text; the length limit lives in the column definition. */
    VARCHAR(7, String.class),
    BOOLEAN(8, Boolean.class),
    /** A calendar date without time zone. */
    DATE(9, LocalDate.class),
    /** A date and time without time zone, microsecond precision (as PostgreSQL). */
    TIMESTAMP(10, LocalDateTime.class),
    /** BYTEA: arbitrary bytes, held as {@code byte[]} (compare with {@code Arrays}, never {@code equals}). */
    BYTEA(11, byte[].class);

    private final int tag;
    private final Class<?> javaClass;

    DataType(int tag, Class<?> javaClass) {
        this.tag = tag;
        this.javaClass = javaClass;
    }

    /** Stable number written to disk for this type. */
    public int tag() {
        return tag;
    }

    /** The Java class of every non-null value of this type. */
    public Class<?> javaClass() {
        return javaClass;
    }

    public boolean isNumeric() {
        return this == SMALLINT || this == INTEGER || this == BIGINT || this == DECIMAL || this == REAL
                || this == DOUBLE;
    }

    public boolean isExactNumeric() {
        return this == SMALLINT || this == INTEGER || this == BIGINT || this == DECIMAL;
    }

    public static DataType fromTag(int tag) {
        for (DataType t : values()) {
            if (t.tag == tag) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown data type tag " + tag);
    }
}
