package io.phantomdb.sql.expr;

/**
 * A conversion of a non-null run-time value into another type's class, chosen once when an expression is
 * compiled (by {@link Casts#conversion}) so that evaluating it per row involves no type dispatch.
 * Throws {@link io.phantomdb.error.PhantomSqlException} for values the target cannot hold.
 */
@FunctionalInterface
interface Conversion {
    Object convert(Object value);

    Conversion IDENTITY = value -> value;

    default Conversion andThen(Conversion next) {
        if (next == IDENTITY) {
            return this;
        }
        if (this == IDENTITY) {
            return next;
        }
        return value -> next.convert(convert(value));
    }
}
