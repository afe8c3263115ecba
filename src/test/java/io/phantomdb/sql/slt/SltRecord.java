package io.phantomdb.sql.slt;

import java.util.List;

/**
 * One record of a script: the lines between two blank lines, minus comments. Every record keeps the
 * {@code skipif}/{@code onlyif} lines that preceded it and the line number of its command line, so that a
 * failure can be reported as {@code file:line}.
 */
public sealed interface SltRecord {

    /** 1-based line of the command ({@code statement}, {@code query}, ...) in its file. */
    int line();

    /** The conditions in front of the record, possibly none. */
    List<SltCondition> conditions();

    /** Whether the record runs under engine profile {@code profile}: every condition must allow it. */
    default boolean appliesTo(String profile) {
        return conditions().stream().allMatch(c -> c.allows(profile));
    }

    /** {@code statement ok} ({@code expectError == false}) or {@code statement error}. */
    record Statement(int line, List<SltCondition> conditions, boolean expectError, String sql)
            implements SltRecord {
    }

    /** {@code query <types> [<sort>] [<label>]} with its SQL and expected result; label may be null. */
    record Query(int line, List<SltCondition> conditions, String types, SltSortMode sortMode, String label,
            String sql, SltExpected expected) implements SltRecord {
    }

    /** {@code halt}: stop processing the file (when its conditions allow it). */
    record Halt(int line, List<SltCondition> conditions) implements SltRecord {
    }

    /** {@code hash-threshold <n>}: results with more than n values are written as a digest from here on. */
    record HashThreshold(int line, List<SltCondition> conditions, int threshold) implements SltRecord {
    }

    /**
     * A record the parser could not understand. It is kept instead of aborting the file so that one
     * malformed record cannot hide the results of all the others; the runner reports it as a failure.
     *
     * @param command the first word of the record ({@code statement}, {@code query}, ...), used to decide
     *                which pass rate the failure belongs to
     */
    record Invalid(int line, List<SltCondition> conditions, String command, String reason) implements SltRecord {
    }
}
