package io.phantomdb.sql.slt;

import java.util.Locale;
import java.util.Optional;

/** How a query's rendered values are ordered before they are compared or hashed (README "Sort modes"). */
public enum SltSortMode {
    /** Keep the engine's row order: used only for ORDER BY queries and single-row results. */
    NOSORT,
    /** Sort whole rows, column by column, on their rendered text compared byte by byte. */
    ROWSORT,
    /** Forget the rows and sort every rendered value on its own. */
    VALUESORT;

    /** The mode spelled as in a {@code query} line ({@code nosort}, {@code rowsort}, {@code valuesort}). */
    public static Optional<SltSortMode> parse(String word) {
        for (SltSortMode mode : values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
