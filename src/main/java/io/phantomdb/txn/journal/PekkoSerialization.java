package io.phantomdb.txn.journal;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.util.Try;

/**
 * Turns objects into {@link StoredValues.Serialized} and back with the ActorSystem's configured serializers
 * (SerializationExtension), storing serializer id and manifest so that reading picks the same serializer.
 * Thread-safe (the extension is).
 */
final class PekkoSerialization {

    private final Serialization serialization;

    PekkoSerialization(ActorSystem system) {
        this.serialization = SerializationExtension.get(system);
    }

    /**
     * The serialized form of {@code value}. Throws what the serializer threw, typically {@link
     * java.io.NotSerializableException} when no serializer is bound to the value's class.
     */
    StoredValues.Serialized serialize(Object value) throws Exception {
        // serialize() (unlike Serializer.toBinary) sets the transport information that ActorRef
        // serialization inside a payload needs.
        Try<byte[]> bytes = serialization.serialize(value);
        if (bytes.isFailure()) {
            throw asException(bytes.failed().get());
        }
        Serializer serializer = serialization.findSerializerFor(value);
        return new StoredValues.Serialized(serializer.identifier(), Serializers.manifestFor(serializer, value),
                bytes.get());
    }

    /** The object {@code stored} was made from; throws what the serializer threw. */
    Object deserialize(StoredValues.Serialized stored) throws Exception {
        Try<Object> value = serialization.deserialize(stored.bytes(), stored.serializerId(), stored.manifest());
        if (value.isFailure()) {
            throw asException(value.failed().get());
        }
        return value.get();
    }

    private static Exception asException(Throwable failure) {
        if (failure instanceof Exception e) {
            return e;
        }
        throw (Error) failure; // Try does not capture fatal throwables, so this is an Error such as a StackOverflowError
    }
}
