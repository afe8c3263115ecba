/**
 * Table partitions as Cluster Sharding entities: {@link io.phantomdb.partition.PartitionEntity} owns one
 * storage engine and is its single writer; {@link io.phantomdb.partition.PartitionRegistry} is the node-local
 * read path. May import txn.mvcc, storage and the leaves (and Pekko).
 */
package io.phantomdb.partition;
