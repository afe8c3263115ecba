/**
 * Cluster-wide transaction coordination actors: the {@link io.phantomdb.txn.coordinator.TxnCoordinator}
 * (two-phase commit, sharded and event-sourced), the {@link io.phantomdb.txn.coordinator.SagaCoordinator}
 * (sagas) and the {@link io.phantomdb.txn.coordinator.DeadlockDetector} (cluster singleton). May import Pekko
 * typed, cluster-typed and persistence-typed, txn.mvcc, partition and storage (LayeringTest rank 4).
 */
package io.phantomdb.txn.coordinator;
