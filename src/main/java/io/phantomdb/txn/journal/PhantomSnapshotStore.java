package io.phantomdb.txn.journal;

import com.typesafe.config.Config;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.WriteBatch;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.Option;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * Pekko Persistence snapshot-store plugin on one Phantom-DB storage engine
 * ({@code phantom.persistence.snapshot-store}, reference.conf; layout in docs/formats/journal.md).
 *
 * <p>A snapshot is one key {@code (persistenceId, sequenceNr)} whose value holds the snapshot's timestamp,
 * the snapshot serialized with its own serializer (id and manifest kept) and, when present, the metadata
 * likewise. Saving the same sequence number again overwrites. Loading scans the persistence id's snapshots
 * newest first within the criteria's sequence-number bounds and takes the first whose timestamp matches.
 *
 * <p>Lifetime: the engine opens in {@link #preStart()} and closes in {@link #postStop()}. Threads:
 * serialization of a save runs on the plugin actor; loads and deletions on the plugin dispatcher.
 */
public final class PhantomSnapshotStore extends SnapshotStore {

    /** Subdirectory of {@code phantom.data-dir} used when {@code dir} is empty. */
    public static final String DEFAULT_SUBDIRECTORY = "snapshots";

    private final PluginSettings settings;
    private final PekkoSerialization serialization;
    private Engine engine;

    /** Called by Pekko Persistence with the plugin's config block and its path. */
    public PhantomSnapshotStore(Config config, String configPath) {
        this.settings = PluginSettings.fromConfig(config, configPath, context().system().settings().config(),
                DEFAULT_SUBDIRECTORY);
        this.serialization = new PekkoSerialization(context().system());
    }

    @Override
    public void preStart() throws Exception {
        super.preStart();
        engine = settings.openEngine(PhantomPersistenceSetup.storageOptionsOf(context().system()));
    }

    @Override
    public void postStop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            super.postStop();
        }
    }

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        return BlockingWork.runOn(context().dispatcher(), () -> load(persistenceId, criteria));
    }

    /** The newest snapshot matching {@code criteria}; streams the persistence id's snapshots newest first. */
    private Optional<SelectedSnapshot> load(String persistenceId, SnapshotSelectionCriteria criteria) throws Exception {
        if (criteria.minSequenceNr() > criteria.maxSequenceNr()) {
            return Optional.empty();
        }
        try (KvIterator it = scan(persistenceId, criteria)) {
            while (it.next()) {
                StoredValues.SnapshotValue value = StoredValues.decodeSnapshot(it.value());
                long sequenceNr = JournalKeys.sequenceNr(it.key());
                if (criteria.matches(new SnapshotMetadata(persistenceId, sequenceNr, value.timestamp()))) {
                    return Optional.of(SelectedSnapshot.create(metadata(persistenceId, sequenceNr, value),
                            serialization.deserialize(value.snapshot())));
                }
            }
        }
        return Optional.empty();
    }

    private SnapshotMetadata metadata(String persistenceId, long sequenceNr, StoredValues.SnapshotValue value)
            throws Exception {
        Option<Object> extra = value.metadata() == null ? Option.empty()
                : Option.apply(serialization.deserialize(value.metadata()));
        return new SnapshotMetadata(persistenceId, sequenceNr, value.timestamp(), extra);
    }

    /** The snapshots of {@code persistenceId} within the criteria's sequence-number bounds, newest first. */
    private KvIterator scan(String persistenceId, SnapshotSelectionCriteria criteria) {
        return engine.scan(JournalKeys.snapshot(persistenceId, Math.max(criteria.minSequenceNr(), 0)),
                JournalKeys.snapshotsEnd(persistenceId, criteria.maxSequenceNr()), Long.MAX_VALUE, true);
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        try {
            StoredValues.Serialized extra = metadata.metadata().isEmpty() ? null
                    : serialization.serialize(metadata.metadata().get());
            byte[] value = StoredValues.encodeSnapshot(new StoredValues.SnapshotValue(metadata.timestamp(),
                    serialization.serialize(snapshot), extra));
            WriteBatch batch = new WriteBatch().put(JournalKeys.snapshot(metadata.persistenceId(), metadata.sequenceNr()),
                    value);
            return FutureConverters.asScala(engine.writeAsync(batch).thenApply(timestamp -> (Void) null));
        } catch (Exception e) {
            return FutureConverters.asScala(CompletableFuture.failedFuture(e));
        }
    }

    /**
     * Deletes the snapshot at the metadata's sequence number; a non-zero timestamp must match too (0 means
     * "any", as Pekko's local snapshot store reads it).
     */
    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        return BlockingWork.runOn(context().dispatcher(), () -> {
            byte[] key = JournalKeys.snapshot(metadata.persistenceId(), metadata.sequenceNr());
            byte[] stored = engine.get(key);
            if (stored != null
                    && (metadata.timestamp() == 0 || StoredValues.decodeSnapshot(stored).timestamp() == metadata.timestamp())) {
                engine.write(new WriteBatch().delete(key));
            }
            return null;
        });
    }

    /** Deletes every snapshot of {@code persistenceId} matching {@code criteria}, delete-batch-max per batch. */
    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        return BlockingWork.runOn(context().dispatcher(), () -> {
            if (criteria.minSequenceNr() > criteria.maxSequenceNr()) {
                return null;
            }
            try (KvIterator it = scan(persistenceId, criteria)) {
                WriteBatch batch = new WriteBatch();
                while (it.next()) {
                    long timestamp = StoredValues.decodeSnapshot(it.value()).timestamp();
                    if (criteria.matches(new SnapshotMetadata(persistenceId, JournalKeys.sequenceNr(it.key()), timestamp))) {
                        batch.delete(it.key());
                    }
                    if (batch.size() >= settings.deleteBatchMax()) {
                        engine.write(batch);
                        batch = new WriteBatch();
                    }
                }
                if (!batch.isEmpty()) {
                    engine.write(batch);
                }
            }
            return null;
        });
    }
}
