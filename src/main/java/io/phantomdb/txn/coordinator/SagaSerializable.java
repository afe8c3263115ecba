package io.phantomdb.txn.coordinator;

/**
 * Marker of the saga coordinator's messages, events and the values inside them: bound to Pekko's Jackson CBOR
 * serializer in reference.conf ({@code pekko.actor.serialization-bindings}), so they can be journaled and cross
 * nodes (Java serialization is off). Its own marker, not shared with the 2PC coordinator's, so that each
 * protocol's binding can change without touching the other.
 *
 * <p>Journaled events ({@code SagaCoordinator.Event} and the records inside them) are read back after upgrades:
 * never rename or remove a component or an enum constant; add components only with a meaning for "absent".
 */
public interface SagaSerializable {}
