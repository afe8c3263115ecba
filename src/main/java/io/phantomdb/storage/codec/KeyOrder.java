package io.phantomdb.storage.codec;

/**
 * Sort direction and NULL placement of one key column, as in SQL {@code ORDER BY x [ASC|DESC] [NULLS
 * FIRST|LAST]}. Used by {@link KeyCodec}.
 *
 * <p>{@link KeyCodec} treats NULL as the smallest value of a column, so the plain direction flags give
 * {@code ASC} = {@link #ASC_NULLS_FIRST} and {@code DESC} = {@link #DESC_NULLS_LAST} (SQLite/MySQL
 * behaviour). PostgreSQL's defaults are the other way round (NULL is largest: {@code ASC NULLS LAST},
 * {@code DESC NULLS FIRST}); a SQL layer wanting those passes {@link #ASC_NULLS_LAST} / {@link
 * #DESC_NULLS_FIRST} explicitly.
 *
 * <p>The NULL placement does not need to be known to decode a key (both NULL tags decode to
 * {@code null}); only the direction does.
 */
public enum KeyOrder {
    ASC_NULLS_FIRST(false, true),
    ASC_NULLS_LAST(false, false),
    DESC_NULLS_FIRST(true, true),
    DESC_NULLS_LAST(true, false);

    private final boolean descending;
    private final boolean nullsFirst;

    KeyOrder(boolean descending, boolean nullsFirst) {
        this.descending = descending;
        this.nullsFirst = nullsFirst;
    }

    public boolean descending() {
        return descending;
    }

    public boolean nullsFirst() {
        return nullsFirst;
    }

    /** The default NULL placement for a direction: NULL is the smallest value. */
    public static KeyOrder of(boolean descending) {
        return descending ? DESC_NULLS_LAST : ASC_NULLS_FIRST;
    }

    public static KeyOrder of(boolean descending, boolean nullsFirst) {
        if (descending) {
            return nullsFirst ? DESC_NULLS_FIRST : DESC_NULLS_LAST;
        }
        return nullsFirst ? ASC_NULLS_FIRST : ASC_NULLS_LAST;
    }
}
