package io.phantomdb.exec.operator;

/**
 * The aggregate functions of {@link Operators#hashAggregate}, with PostgreSQL's semantics: all but COUNT_STAR and
 * SINGLE_VALUE ignore NULL arguments; on no (non-NULL) input COUNT gives 0, SUM0 gives 0 and the others NULL.
 * SUM0 is Calcite's "SUM that is 0 on empty input" (what COUNT-like rewrites need); SINGLE_VALUE is the value of
 * a scalar subquery (error 21000 on more than one row); ANY_VALUE gives some non-NULL input value.
 */
public enum AggregateKind {
    COUNT,
    COUNT_STAR,
    SUM,
    SUM0,
    AVG,
    MIN,
    MAX,
    SINGLE_VALUE,
    BOOL_AND,
    BOOL_OR,
    ANY_VALUE
}
