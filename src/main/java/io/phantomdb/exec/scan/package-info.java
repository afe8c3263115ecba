/**
 * Scan sources over partitions: full scans, key lookups and index ranges as demand-driven streams of
 * batches. May import catalog, partition, storage and the leaves. Entry: {@link io.phantomdb.exec.scan.TableScans}.
 */
package io.phantomdb.exec.scan;
