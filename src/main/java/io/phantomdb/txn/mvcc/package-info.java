/**
 * Multi-version concurrency control in plain Java: commit and read timestamps, visibility and the GC horizon.
 * May import storage and nothing with actors (LayeringTest). Entry: {@link io.phantomdb.txn.mvcc.Timestamps}.
 */
package io.phantomdb.txn.mvcc;
