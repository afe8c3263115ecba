package io.phantomdb.sql.plan;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Values;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.sql.expr.RexCompiler;

/**
 * Converts a probe value to a key column's type only when the conversion is exact: {@code intcol = 2.5} has
 * no key to probe ({@link #NO_MATCH}), whereas {@code intcol = 2.0} probes 2. NULL probes match nothing
 * (a comparison with NULL is never true).
 */
final class KeyValues {
    /** Marker: no key of the column's type equals the probe. */
    static final Object NO_MATCH = new Object();

    private KeyValues() {}

    static Object exact(Object value, DataType type) {
        if (value == null || type == null) {
            return NO_MATCH;
        }
        if (type.javaClass().isInstance(value)) {
            return value;
        }
        Object converted;
        try {
            converted = RexCompiler.coerce(value, type);
        } catch (PhantomSqlException e) {
            return NO_MATCH; // out of range or not convertible: no stored key can equal it
        }
        if (converted == null) {
            return NO_MATCH;
        }
        boolean bothNumbers = value instanceof Number && converted instanceof Number;
        boolean sameKind = bothNumbers || value.getClass() == converted.getClass();
        return sameKind && Values.compare(converted, value) == 0 ? converted : NO_MATCH;
    }
}
