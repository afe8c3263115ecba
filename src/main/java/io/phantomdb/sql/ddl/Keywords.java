package io.phantomdb.sql.ddl;

import java.util.Set;

/**
 * PostgreSQL 15's keywords that cannot be used as an unquoted column, table or index name (ColId): the
 * "reserved" and "reserved (can be function or type)" categories of Appendix C of its manual. Keeping
 * PostgreSQL's list (not a smaller one) means a schema that Phantom-DB accepts also works in PostgreSQL and
 * vice versa; quoting ({@code "user"}) makes any of them a name.
 */
final class Keywords {
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
            "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
            "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
            "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
            "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing",
            "primary", "references", "returning", "select", "session_user", "some", "symmetric", "table",
            "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
            "window", "with",
            // reserved (can be function or type)
            "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full",
            "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps",
            "right", "similar", "tablesample", "verbose");

    private Keywords() {}

    /** Whether the (lower-case) word needs quotes to be used as a name. */
    static boolean isReserved(String word) {
        return RESERVED.contains(word);
    }
}
