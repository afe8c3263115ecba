package io.phantomdb.txn.coordinator;

/**
 * Marker of the {@link TxnCoordinator}'s messages that leave the JVM: its journal events (written by the
 * journal through Pekko serialization) and the {@link TxnCoordinator.Outcome} question with its {@link Decision}
 * answer (asked by participants on other nodes). Bound to Pekko's {@code jackson-cbor} serializer in
 * src/main/resources/reference.conf, so Java serialization can stay off.
 *
 * <p>Everything marked must stay readable by later versions: events live in the journal as long as the
 * transaction's coordinator may be asked about it. Add fields with defaults, never rename or remove them.
 */
public interface CoordinatorSerializable {}
