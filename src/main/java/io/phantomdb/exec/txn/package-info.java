/**
 * A transaction's private state during execution: its buffered writes (read back by its own scans), the
 * keys and ranges it read (for SERIALIZABLE validation) and the row locks it holds. May import partition,
 * txn.mvcc and storage. Entry: {@link io.phantomdb.exec.txn.TxnState}.
 */
package io.phantomdb.exec.txn;
