package io.phantomdb.txn.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/**
 * Goal: PhantomJournal keeps Pekko's journal contract - replay with sequence-number bounds and count limit,
 * deletion that never resets the highest sequence number, atomic writes, per-write rejection of events that
 * do not serialize, serialization of events and of their metadata.
 *
 * <p>Method: Pekko's own plugin TCK (JavaJournalSpec, a ScalaTest suite run by the ScalaTest engine for the
 * JUnit Platform) against the journal on a fresh temporary data directory, deleted afterwards. Every
 * optional capability the plugin has is switched on, so those tests run too.
 */
public class PhantomJournalSpecTest extends JavaJournalSpec {

    private final Path dataDir;

    public PhantomJournalSpecTest() {
        this(JournalTestConfig.newTempDir("phantom-journal-tck"));
    }

    private PhantomJournalSpecTest(Path dataDir) {
        super(JournalTestConfig.withDataDir(dataDir));
        this.dataDir = dataDir;
    }

    @Override
    public CapabilityFlag supportsRejectingNonSerializableObjects() {
        return CapabilityFlag.on();
    }

    @Override
    public CapabilityFlag supportsSerialization() {
        return CapabilityFlag.on();
    }

    @Override
    public CapabilityFlag supportsMetadata() {
        return CapabilityFlag.on(); // the whole PersistentRepr is stored, metadata included
    }

    @Override
    public void afterAll() {
        try {
            super.afterAll(); // terminates the ActorSystem: the plugin closes its engine in postStop
            if (!Files.isDirectory(dataDir.resolve(PhantomJournal.DEFAULT_SUBDIRECTORY))) {
                throw new AssertionError("the journal did not write under phantom.data-dir: " + dataDir);
            }
        } finally {
            JournalTestConfig.deleteRecursively(dataDir);
        }
    }
}
