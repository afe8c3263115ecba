/**
 * Scalar expressions for the SQL layer: Phantom-DB's Calcite type system ({@link io.phantomdb.sql.expr.PhantomTypeSystem})
 * and the compiler from Calcite {@code RexNode}s to run-time {@link io.phantomdb.exec.Scalar}s with PostgreSQL
 * semantics ({@link io.phantomdb.sql.expr.RexCompiler}, the entry class). May import exec, catalog, the leaves and Calcite.
 */
package io.phantomdb.sql.expr;
