package io.phantomdb.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.fs.FaultyFileSystem.CrashMode;
import io.phantomdb.storage.fs.FaultyFileSystem.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: the fault-injecting file system keeps the durability contract of {@link FileSystem} exactly as the
 * crash tests assume it does; a lenient fake would make every crash test pass for the wrong reason.
 * Method: write, sync or not, crash with fixed seeds, and compare what survives with the contract.
 */
class FaultyFileSystemTest {

    private static final Path DIR = Path.of("/db");
    private static final Path A = DIR.resolve("a");
    private static final Path B = DIR.resolve("b");

    private FaultyFileSystem fs;

    @BeforeEach
    void setUp() throws IOException {
        fs = new FaultyFileSystem();
        fs.createDirectories(DIR);
    }

    @Test
    void keepsSyncedBytesAndDropsUnsyncedOnesWhenTheCrashSaysSo() throws IOException {
        writeDurably(A, "synced");
        try (WritableFile f = fs.create(B)) {
            f.append(bytes("unsynced"));
            fs.syncDirectory(DIR);
            assertArrayEquals(bytes("unsynced"), fs.fileBytes(B), "reads see unsynced bytes before the crash");
        }
        crashDroppingUnsynced(B);
        assertArrayEquals(bytes("synced"), read(A));
        assertArrayEquals(new byte[0], read(B));
    }

    @Test
    void crashKeepsDurablePrefixPlusSomeFormOfTheUnsyncedTail() throws IOException {
        // Over many seeds every outcome is the durable bytes followed by a prefix of the unsynced ones,
        // or by all of them garbled in at least one byte, and every mode shows up.
        byte[] durable = bytes("0123456789");
        byte[] unsynced = bytes("abcdefghijklmnopqrstuvwxyz");
        for (int seed = 0; seed < 400; seed++) {
            FaultyFileSystem f = new FaultyFileSystem();
            f.createDirectories(DIR);
            WritableFile w = f.create(A);
            w.append(durable);
            w.sync();
            f.syncDirectory(DIR);
            w.append(unsynced);
            f.crash(new Random(seed));
            byte[] after = f.fileBytes(A);
            assertTrue(after.length >= durable.length, "seed " + seed + ": synced bytes lost");
            assertArrayEquals(durable, Arrays.copyOf(after, durable.length), "seed " + seed + ": synced bytes changed");
            byte[] tail = Arrays.copyOfRange(after, durable.length, after.length);
            boolean prefix = Arrays.equals(tail, Arrays.copyOf(unsynced, tail.length));
            boolean garbled = tail.length == unsynced.length && !prefix;
            assertTrue(prefix || garbled, "seed " + seed + ": tail is neither a prefix nor a garbled copy");
            assertThrows(IOException.class, () -> w.append(bytes("x")), "handles die in a crash");
        }
        Map<CrashMode, Long> total = new java.util.EnumMap<>(CrashMode.class);
        for (int seed = 0; seed < 400; seed++) {
            FaultyFileSystem f = new FaultyFileSystem();
            f.createDirectories(DIR);
            WritableFile w = f.create(A);
            w.append(unsynced);
            f.syncDirectory(DIR);
            f.crash(new Random(seed));
            f.crashModesChosen().forEach((m, n) -> total.merge(m, n, Long::sum));
        }
        for (CrashMode mode : CrashMode.values()) {
            assertTrue(total.get(mode) > 50, "mode " + mode + " chosen only " + total.get(mode) + " times");
        }
    }

    @Test
    void sameSeedGivesSameCrashOutcome() throws IOException {
        byte[][] outcomes = new byte[2][];
        for (int run = 0; run < 2; run++) {
            FaultyFileSystem f = new FaultyFileSystem();
            f.createDirectories(DIR);
            for (Path p : List.of(A, B, DIR.resolve("c"))) {
                WritableFile w = f.create(p);
                w.append(bytes("payload of " + p));
            }
            f.syncDirectory(DIR);
            f.crash(new Random(42));
            outcomes[run] = concat(f.fileBytes(A), f.fileBytes(B), f.fileBytes(DIR.resolve("c")));
        }
        assertArrayEquals(outcomes[0], outcomes[1]);
    }

    @Test
    void unsyncedDirectoryEntriesVanishOnCrash() throws IOException {
        writeDurably(A, "a");
        try (WritableFile f = fs.create(B)) {
            f.append(bytes("b"));
            f.sync(); // content synced, name not
        }
        fs.crash(new Random(1));
        assertTrue(fs.exists(A));
        assertFalse(fs.exists(B), "a created name survives only after syncDirectory");
        assertEquals(List.of("a"), fs.list(DIR));
    }

    @Test
    void unsyncedRenameAndDeleteAreUndoneByCrash() throws IOException {
        writeDurably(A, "old");
        writeDurably(B, "new");
        fs.rename(B, A);
        assertArrayEquals(bytes("new"), read(A));
        assertFalse(fs.exists(B));
        fs.crash(new Random(2));
        assertArrayEquals(bytes("old"), read(A), "rename not durable before syncDirectory");
        assertArrayEquals(bytes("new"), read(B));

        fs.rename(B, A);
        fs.syncDirectory(DIR);
        fs.crash(new Random(3));
        assertArrayEquals(bytes("new"), read(A), "rename durable after syncDirectory");
        assertFalse(fs.exists(B));

        fs.delete(A);
        assertFalse(fs.exists(A));
        fs.crash(new Random(4));
        assertTrue(fs.exists(A), "delete not durable before syncDirectory");
        fs.delete(A);
        fs.syncDirectory(DIR);
        fs.crash(new Random(5));
        assertFalse(fs.exists(A));
    }

    @Test
    void openHandleSurvivesDeleteAsOnPosix() throws IOException {
        writeDurably(A, "still readable");
        ReadableFile r = fs.openRead(A);
        fs.delete(A);
        assertArrayEquals(bytes("still readable"), r.readFully(0, 14));
        r.close();
    }

    @Test
    void truncateIsDurable() throws IOException {
        try (WritableFile f = fs.create(A)) {
            f.append(bytes("0123456789"));
        }
        fs.syncDirectory(DIR);
        fs.truncate(A, 4);
        fs.crash(new Random(6));
        assertArrayEquals(bytes("0123"), read(A));
    }

    @Test
    void failsTheNthCallOnceOrFromThenOn() throws IOException {
        WritableFile f = fs.create(A);
        fs.failAfter(Op.SYNC, 2);
        f.sync();
        IOException e = assertThrows(IOException.class, f::sync);
        assertTrue(e.getMessage().contains("injected"), e.getMessage());
        f.sync(); // once only

        fs.failFrom(Op.WRITE, 2);
        f.append(bytes("a"));
        assertThrows(IOException.class, () -> f.append(bytes("b")));
        assertThrows(IOException.class, () -> f.append(bytes("c")));
        assertArrayEquals(bytes("a"), fs.fileBytes(A), "a failed append changes nothing");
        fs.clearFaults();
        f.append(bytes("d"));
        assertArrayEquals(bytes("ad"), fs.fileBytes(A));
    }

    @Test
    void anyFailsTheNthIoCallWhateverItIs() throws IOException {
        fs.resetCounters();
        fs.failAfter(Op.ANY, 3);
        WritableFile f = fs.create(A); // 1
        f.append(bytes("x")); // 2
        assertThrows(IOException.class, f::sync); // 3
        fs.rename(A, B); // 4
        assertEquals(4, fs.count(Op.ANY));
        assertEquals(1, fs.count(Op.SYNC));
        assertEquals(1, fs.count(Op.RENAME));
    }

    @Test
    void appendsPastCapacityFailWithNoSpaceLeft() throws IOException {
        fs.diskCapacityBytes(10);
        WritableFile f = fs.create(A);
        f.append(new byte[8]);
        IOException e = assertThrows(IOException.class, () -> f.append(new byte[3]));
        assertTrue(e.getMessage().contains(FaultyFileSystem.NO_SPACE), e.getMessage());
        f.append(new byte[2]);
        assertEquals(10, fs.totalBytes());
        fs.delete(A);
        WritableFile g = fs.create(B);
        g.append(new byte[10]); // deleting a file frees its space
    }

    @Test
    void powerOffFailsEverythingUntilCrash() throws IOException {
        writeDurably(A, "kept");
        WritableFile f = fs.create(B);
        fs.powerOffAfter(2);
        f.append(bytes("1"));
        assertThrows(IOException.class, f::sync);
        assertTrue(fs.isPoweredOff());
        assertThrows(IOException.class, () -> fs.delete(A));
        assertThrows(IOException.class, () -> fs.create(DIR.resolve("c")));
        fs.crash(new Random(7));
        assertFalse(fs.isPoweredOff());
        assertArrayEquals(bytes("kept"), read(A));
        assertFalse(fs.exists(B));
    }

    @Test
    void powerOffAtCutsAtTheNthCallOfOneOperation() throws IOException {
        WritableFile f = fs.create(A);
        fs.powerOffAt(Op.SYNC, 2);
        f.append(bytes("1"));
        f.sync();
        f.append(bytes("2"));
        f.append(bytes("3"));
        assertThrows(IOException.class, f::sync);
        assertTrue(fs.isPoweredOff());
        assertThrows(IOException.class, () -> fs.syncDirectory(DIR), "too late: power is off");
    }

    @Test
    void heldCallWaitsWhileOthersProceed() throws Exception {
        WritableFile f = fs.create(A);
        fs.holdAt(Op.SYNC, 1);
        Thread syncer = new Thread(() -> {
            try {
                f.sync();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        syncer.start();
        assertTrue(fs.awaitHold(5_000));
        writeDurably(B, "others go on"); // would deadlock if the held call kept the monitor
        assertTrue(syncer.isAlive());
        fs.releaseHold();
        syncer.join(5_000);
        assertFalse(syncer.isAlive());
    }

    @Test
    void crashWithForcedModeAppliesItToEveryFile() throws IOException {
        for (Path p : List.of(A, B)) {
            WritableFile w = fs.create(p);
            w.append(bytes("unsynced " + p));
        }
        fs.syncDirectory(DIR);
        fs.crash(new Random(10), CrashMode.KEEP_ALL);
        assertArrayEquals(bytes("unsynced " + A), read(A));
        assertArrayEquals(bytes("unsynced " + B), read(B));
        assertTrue(fs.lastCrashLog().get(0).contains("KEEP_ALL"), fs.lastCrashLog().toString());
    }

    @Test
    void lockIsExclusiveAndReleasedByCloseOrCrash() throws IOException {
        Path lock = DIR.resolve("LOCK");
        FileSystem.DirectoryLock held = fs.lock(lock);
        assertThrows(IOException.class, () -> fs.lock(lock));
        held.close();
        FileSystem.DirectoryLock again = fs.lock(lock);
        fs.crash(new Random(8));
        FileSystem.DirectoryLock afterCrash = fs.lock(lock);
        assertThrows(IOException.class, again::close, "the old process's lock died with it");
        afterCrash.close();
    }

    @Test
    void flipBitChangesExactlyOneBit() throws IOException {
        writeDurably(A, "AAAA");
        fs.flipBit(A, 8 + 1);
        assertArrayEquals(new byte[] {'A', 'A' ^ 2, 'A', 'A'}, read(A));
        FaultyFileSystem copy = fs.copy();
        fs.flipBit(A, 8 + 1);
        assertArrayEquals(new byte[] {'A', 'A' ^ 2, 'A', 'A'}, copy.fileBytes(A), "copies are independent");
        assertThrows(IllegalArgumentException.class, () -> fs.flipBit(A, 32));
    }

    @Test
    void missingFilesAndDirectoriesFailAsOnDisk() throws IOException {
        assertThrows(NoSuchFileException.class, () -> fs.openRead(A));
        assertThrows(NoSuchFileException.class, () -> fs.create(Path.of("/nodir/x")));
        assertThrows(NoSuchFileException.class, () -> fs.rename(A, B));
        fs.delete(A); // deleting a missing file is fine
    }

    @Test
    void createOverSyncedFileKeepsOldContentUnlessSynced() throws IOException {
        writeDurably(A, "old content");
        boolean sawOld = false;
        boolean sawNew = false;
        for (int seed = 0; seed < 40; seed++) {
            FaultyFileSystem f = fs.copy();
            WritableFile w = f.create(A);
            w.append(bytes("new"));
            f.crash(new Random(seed));
            String after = new String(f.fileBytes(A), StandardCharsets.UTF_8);
            assertTrue(after.equals("old content") || "new".startsWith(after) || after.length() == 3, after);
            sawOld |= after.equals("old content");
            sawNew |= !after.equals("old content");
        }
        assertTrue(sawOld && sawNew);
        WritableFile w = fs.create(A);
        w.append(bytes("new"));
        w.sync();
        fs.crash(new Random(9));
        assertArrayEquals(bytes("new"), read(A));
    }

    private void writeDurably(Path path, String content) throws IOException {
        try (WritableFile f = fs.create(path)) {
            f.append(bytes(content));
            f.sync();
        }
        fs.syncDirectory(path.getParent());
    }

    private byte[] read(Path path) throws IOException {
        try (ReadableFile r = fs.openRead(path)) {
            return r.readFully(0, (int) r.size());
        }
    }

    private void crashDroppingUnsynced(Path path) throws IOException {
        // Find a seed whose crash keeps only the durable bytes of this file (tried on copies), then use it.
        for (int seed = 0; seed < 1000; seed++) {
            FaultyFileSystem probe = fs.copy();
            probe.crash(new Random(seed));
            if (Arrays.equals(probe.fileBytes(path), probe.durableBytes(path))
                    && probe.fileBytes(path).length == fs.durableBytes(path).length) {
                fs.crash(new Random(seed));
                return;
            }
        }
        throw new AssertionError("no seed dropped the unsynced bytes of " + path);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
