/**
 * Query execution: physical operators as Pekko Streams stages over {@link io.phantomdb.exec.Batch}es of rows,
 * with backpressure from the consumer to the partition scans and a per-query {@link io.phantomdb.exec.MemoryBudget}.
 * Knows nothing of SQL text or Calcite: the {@code sql} layer compiles plans into these operators.
 * May import catalog, partition, txn.mvcc, storage and the leaves.
 */
package io.phantomdb.exec;
