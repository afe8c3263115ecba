package io.phantomdb.txn.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;

/**
 * Goal: PhantomSnapshotStore keeps Pekko's snapshot-store contract - load the newest snapshot matching
 * sequence-number and timestamp criteria, delete one or by criteria, overwrite at the same sequence number,
 * store large snapshots, serialize snapshots and their metadata.
 *
 * <p>Method: Pekko's own plugin TCK (JavaSnapshotStoreSpec, a ScalaTest suite run by the ScalaTest engine for
 * the JUnit Platform) against the store on a fresh temporary data directory, deleted afterwards, with every
 * optional capability switched on.
 */
public class PhantomSnapshotStoreSpecTest extends JavaSnapshotStoreSpec {

    private final Path dataDir;

    public PhantomSnapshotStoreSpecTest() {
        this(JournalTestConfig.newTempDir("phantom-snapshot-tck"));
    }

    private PhantomSnapshotStoreSpecTest(Path dataDir) {
        super(JournalTestConfig.withDataDir(dataDir));
        this.dataDir = dataDir;
    }

    @Override
    public CapabilityFlag supportsSerialization() {
        return CapabilityFlag.on();
    }

    @Override
    public CapabilityFlag supportsMetadata() {
        return CapabilityFlag.on(); // metadata is stored beside the snapshot with its own serializer
    }

    @Override
    public void afterAll() {
        try {
            super.afterAll();
            if (!Files.isDirectory(dataDir.resolve(PhantomSnapshotStore.DEFAULT_SUBDIRECTORY))) {
                throw new AssertionError("the snapshot store did not write under phantom.data-dir: " + dataDir);
            }
        } finally {
            JournalTestConfig.deleteRecursively(dataDir);
        }
    }
}
