/**
 * Pekko Persistence plugins stored on Phantom-DB's own storage engine, so event-sourced actors (the
 * transaction coordinators, embedding applications) need no external database: the journal
 * {@link io.phantomdb.txn.journal.PhantomJournal} and the snapshot store
 * {@link io.phantomdb.txn.journal.PhantomSnapshotStore}, configured under {@code phantom.persistence}
 * (reference.conf). May import storage, the leaves and Pekko (LayeringTest rank 3). Byte layout:
 * docs/formats/journal.md.
 */
package io.phantomdb.txn.journal;
