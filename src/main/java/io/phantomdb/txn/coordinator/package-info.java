/**
 * Cluster-wide transaction coordination actors (deadlock detection; later two-phase commit and sagas).
 * May import Pekko typed and cluster-typed, txn.mvcc, partition and storage (LayeringTest rank 4).
 * Entry: {@link io.phantomdb.txn.coordinator.DeadlockDetector}.
 */
package io.phantomdb.txn.coordinator;
