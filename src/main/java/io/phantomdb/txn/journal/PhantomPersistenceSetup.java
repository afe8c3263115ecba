package io.phantomdb.txn.journal;

import io.phantomdb.storage.EngineOptions;
import java.util.Objects;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.setup.Setup;

/**
 * Hands the node's storage settings ({@code phantom.storage}, which only the node layer parses) to the
 * journal and snapshot-store engines: pass it when creating the ActorSystem,
 * {@code ActorSystemSetup.create(BootstrapSetup.create(config), PhantomPersistenceSetup.create(options))}.
 * Each plugin then starts from these options (durability, compaction, ...) and overrides only the sizing
 * keys of its own config block. Without it the plugins start from {@link EngineOptions} defaults
 * (durability = commit), which is what an embedding application gets.
 *
 * <p>An ActorSystem setup rather than a mutable registry because it is fixed before any plugin actor can
 * start, so no plugin can open its engine with the wrong options. Immutable.
 */
public final class PhantomPersistenceSetup extends Setup {

    private final EngineOptions storageOptions;

    private PhantomPersistenceSetup(EngineOptions storageOptions) {
        this.storageOptions = Objects.requireNonNull(storageOptions, "storageOptions").validate();
    }

    public static PhantomPersistenceSetup create(EngineOptions storageOptions) {
        return new PhantomPersistenceSetup(storageOptions);
    }

    public EngineOptions storageOptions() {
        return storageOptions;
    }

    /** The storage options of {@code system}'s setup, or the engine defaults when it has none. */
    static EngineOptions storageOptionsOf(ActorSystem system) {
        return system.settings().setup().get(PhantomPersistenceSetup.class)
                .map(PhantomPersistenceSetup::storageOptions)
                .orElseGet(() -> EngineOptions.builder().build());
    }
}
