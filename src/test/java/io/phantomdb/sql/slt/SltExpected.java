package io.phantomdb.sql.slt;

import java.util.List;

/** The expected result written under a query's {@code ----} line: either the values or their digest. */
public sealed interface SltExpected {

    /** The values one per line, in script order (already sorted by the script's author when sorting applies). */
    record Values(List<String> values) implements SltExpected {
        public Values {
            values = List.copyOf(values);
        }
    }

    /** The line {@code <count> values hashing to <md5>}. */
    record Hash(int count, String md5) implements SltExpected {
    }
}
