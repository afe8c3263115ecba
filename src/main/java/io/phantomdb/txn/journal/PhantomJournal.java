package io.phantomdb.txn.journal;

import com.typesafe.config.Config;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Pekko Persistence journal plugin on one Phantom-DB storage engine ({@code phantom.persistence.journal},
 * reference.conf; layout in docs/formats/journal.md).
 *
 * <pre>
 *  WriteMessages --(plugin actor: serialize, one WriteBatch per AtomicWrite)--> engine.writeAsync
 *                                   acknowledged once durable per phantom.storage.durability (commit: fsynced)
 *  ReplayMessages / DeleteMessagesTo --(plugin dispatcher thread)--> engine.scan, streamed
 * </pre>
 *
 * <p>Each AtomicWrite is one batch holding its events and the persistence id's highest-sequence-number
 * marker, so after a crash either all of it is there or none; the marker is never deleted, so the highest
 * sequence number survives {@code deleteMessagesTo}. A write whose payload does not serialize is rejected
 * with the serializer's exception and the other writes of the call go on. Engine batches commit in submission
 * order, and Pekko sends one persistence id's writes in sequence order, so the marker only grows.
 *
 * <p>Lifetime: the engine opens in {@link #preStart()} and closes in {@link #postStop()}. Threads: the
 * plugin actor submits writes; replays, reads of the marker and deletions run on the plugin dispatcher
 * ({@code plugin-dispatcher}, whose pool size bounds how many run at once). The engine is thread-safe.
 */
public final class PhantomJournal extends AsyncWriteJournal {

    /** Subdirectory of {@code phantom.data-dir} used when {@code dir} is empty. */
    public static final String DEFAULT_SUBDIRECTORY = "journal";

    private final PluginSettings settings;
    private final PekkoSerialization serialization;
    private Engine engine;

    /** Called by Pekko Persistence with the plugin's config block and its path. */
    public PhantomJournal(Config config, String configPath) {
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
                engine.close(); // finishes queued writes first
            }
        } finally {
            super.postStop();
        }
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        try {
            List<CompletableFuture<Optional<Exception>>> results = new ArrayList<>();
            for (AtomicWrite write : messages) {
                results.add(writeAtomically(write));
            }
            CompletableFuture<Iterable<Optional<Exception>>> all = CompletableFuture
                    .allOf(results.toArray(CompletableFuture[]::new))
                    .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
            return FutureConverters.asScala(all);
        } catch (RuntimeException e) {
            return FutureConverters.asScala(CompletableFuture.failedFuture(e)); // e.g. the engine has failed
        }
    }

    /** One AtomicWrite as one batch; completes with its rejection when a payload does not serialize. */
    private CompletableFuture<Optional<Exception>> writeAtomically(AtomicWrite write) {
        WriteBatch batch = new WriteBatch();
        try {
            for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                byte[] key = JournalKeys.event(repr.persistenceId(), repr.sequenceNr());
                batch.put(key, StoredValues.encodeEvent(serialization.serialize(repr)));
            }
        } catch (Exception e) {
            return CompletableFuture.completedFuture(Optional.of(e));
        }
        batch.put(JournalKeys.highestSequenceNr(write.persistenceId()),
                StoredValues.encodeHighest(write.highestSequenceNr()));
        return engine.writeAsync(batch).thenApply(timestamp -> Optional.empty());
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        return onPluginDispatcher(() -> {
            deleteEvents(persistenceId, Math.min(toSequenceNr, highestSequenceNr(persistenceId)));
            return null;
        });
    }

    /**
     * Deletes the events of {@code persistenceId} up to {@code to}, {@code delete-batch-max} keys per batch so
     * that a long history never becomes one huge batch. Bounded by the highest sequence number read before, so
     * events written meanwhile are never touched. Not atomic: a crash midway leaves a prefix deleted, and
     * Pekko's contract allows that (a retried deletion finishes it).
     */
    private void deleteEvents(String persistenceId, long to) {
        if (to < 1) {
            return;
        }
        try (KvIterator it = engine.scan(JournalKeys.event(persistenceId, 0), JournalKeys.eventsEnd(persistenceId, to),
                Long.MAX_VALUE, false)) {
            WriteBatch batch = new WriteBatch();
            while (it.next()) {
                batch.delete(it.key());
                if (batch.size() >= settings.deleteBatchMax()) {
                    engine.write(batch);
                    batch = new WriteBatch();
                }
            }
            if (!batch.isEmpty()) {
                engine.write(batch);
            }
        }
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
            Consumer<PersistentRepr> replayCallback) {
        return onPluginDispatcher(() -> {
            replay(persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback);
            return null;
        });
    }

    /** Streams the events in [from, to], at most {@code max}, straight from an engine scan. */
    private void replay(String persistenceId, long from, long to, long max, Consumer<PersistentRepr> callback)
            throws Exception {
        if (max <= 0 || from > to) {
            return;
        }
        long replayed = 0;
        try (KvIterator it = engine.scan(JournalKeys.event(persistenceId, Math.max(from, 0)),
                JournalKeys.eventsEnd(persistenceId, to), Long.MAX_VALUE, false)) {
            while (replayed < max && it.next()) {
                Object repr = serialization.deserialize(StoredValues.decodeEvent(it.value()));
                if (!(repr instanceof PersistentRepr persistent) || persistent.sequenceNr() != JournalKeys.sequenceNr(it.key())) {
                    throw new IllegalStateException("journal entry " + persistenceId + "/" + JournalKeys.sequenceNr(it.key())
                            + " does not hold its own event: " + repr);
                }
                callback.accept(persistent);
                replayed++;
            }
        }
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return onPluginDispatcher(() -> highestSequenceNr(persistenceId));
    }

    /** The highest sequence number ever written for {@code persistenceId}, 0 when none. */
    private long highestSequenceNr(String persistenceId) {
        byte[] marker = engine.get(JournalKeys.highestSequenceNr(persistenceId));
        return marker == null ? 0 : StoredValues.decodeHighest(marker);
    }

    /** A read or deletion that may block on disk: runs on the plugin dispatcher, never on the actor. */
    private <T> Future<T> onPluginDispatcher(BlockingWork<T> work) {
        return BlockingWork.runOn(context().dispatcher(), work);
    }
}
