/**
 * The physical query operators as Pekko Streams stages over {@link io.phantomdb.exec.Batch}es, built through the
 * factories of {@link io.phantomdb.exec.operator.Operators}; may import {@code io.phantomdb.exec}, {@code catalog},
 * the leaves and Pekko, never SQL text or Calcite.
 */
package io.phantomdb.exec.operator;
