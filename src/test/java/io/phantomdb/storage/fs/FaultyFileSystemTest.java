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

    @Test
    void preallocatedFileIsDurableZerosThatAppendsOverwrite() throws IOException {
        WritableFile f = fs.createPreallocated(A, 100);
        fs.syncDirectory(DIR);
        assertEquals(0, f.size(), "appends start at offset 0");
        assertArrayEquals(new byte[100], fs.durableBytes(A), "the zeros are durable at once");
        f.append(bytes("abc"));
        assertEquals(3, f.size());
        byte[] expected = new byte[100];
        System.arraycopy(bytes("abc"), 0, expected, 0, 3);
        assertArrayEquals(expected, fs.fileBytes(A), "overwritten in place, same length");
        assertEquals(100, fs.totalBytes());
        assertEquals(1, fs.unsyncedRanges(A).size());
        assertArrayEquals(new int[] {0, 3}, fs.unsyncedRanges(A).get(0));
        fs.crash(new Random(1), CrashMode.DROP_UNSYNCED);
        assertArrayEquals(new byte[100], read(A), "unsynced overwrites revert to the zeros");
    }

    @Test
    void crashKeepsSyncedOverwritesAndGivesUnsyncedOnesAFormOfTheirNewBytesOrZeros() throws IOException {
        // In a preallocated file every outcome is: the synced bytes, then a prefix of the unsynced ones
        // followed by zeros, or all of them with at most 4 bytes garbled; always the full length.
        byte[] synced = bytes("0123456789");
        byte[] unsynced = bytes("abcdefghijklmnopqrstuvwxyz");
        Map<CrashMode, Long> modes = new java.util.EnumMap<>(CrashMode.class);
        for (int seed = 0; seed < 400; seed++) {
            FaultyFileSystem f = new FaultyFileSystem();
            f.createDirectories(DIR);
            WritableFile w = f.createPreallocated(A, 64);
            f.syncDirectory(DIR);
            w.append(synced);
            w.sync();
            w.append(unsynced);
            f.crash(new Random(seed));
            f.crashModesChosen().forEach((m, n) -> modes.merge(m, n, Long::sum));
            byte[] after = f.fileBytes(A);
            assertEquals(64, after.length, "seed " + seed + ": a preallocated file keeps its length");
            assertArrayEquals(synced, Arrays.copyOf(after, 10), "seed " + seed + ": synced bytes changed");
            byte[] region = Arrays.copyOfRange(after, 10, 36);
            assertArrayEquals(new byte[28], Arrays.copyOfRange(after, 36, 64), "seed " + seed + ": bytes never written");
            assertTrue(isPrefixThenZeros(region, unsynced) || differsIn(region, unsynced) <= 4,
                    "seed " + seed + ": " + new String(region, StandardCharsets.ISO_8859_1));
        }
        for (CrashMode mode : CrashMode.values()) {
            assertTrue(modes.getOrDefault(mode, 0L) > 40, "mode " + mode + " chosen " + modes.get(mode) + " times");
        }
    }

    @Test
    void keepSomeSectorsKeepsOrRevertsEachSectorWhole() throws IOException {
        int sector = 512;
        byte[] data = new byte[4 * sector];
        Arrays.fill(data, (byte) 0x5A);
        boolean sawHole = false;
        for (int seed = 0; seed < 60; seed++) {
            FaultyFileSystem f = new FaultyFileSystem();
            f.createDirectories(DIR);
            WritableFile w = f.createPreallocated(A, data.length);
            f.syncDirectory(DIR);
            w.append(data);
            f.crash(new Random(seed), CrashMode.KEEP_SOME_SECTORS);
            byte[] after = f.fileBytes(A);
            boolean[] kept = new boolean[4];
            for (int s = 0; s < 4; s++) {
                byte[] part = Arrays.copyOfRange(after, s * sector, (s + 1) * sector);
                kept[s] = Arrays.equals(part, Arrays.copyOf(data, sector));
                assertTrue(kept[s] || Arrays.equals(part, new byte[sector]), "seed " + seed + ": sector " + s + " mixed");
            }
            sawHole |= !kept[0] && (kept[1] || kept[2] || kept[3]);
        }
        assertTrue(sawHole, "some crash should keep a later sector and drop an earlier one");
    }

    @Test
    void appendsPastThePreallocatedEndGrowTheFile() throws IOException {
        WritableFile f = fs.createPreallocated(A, 8);
        fs.syncDirectory(DIR);
        f.append(bytes("0123456789AB"));
        assertEquals(12, fs.fileBytes(A).length);
        assertEquals(12, f.size());
        fs.crash(new Random(2), CrashMode.DROP_UNSYNCED);
        assertArrayEquals(new byte[8], read(A));
    }

    @Test
    void preallocationTakesDiskSpaceOverwritesDoNot() throws IOException {
        fs.diskCapacityBytes(100);
        IOException e = assertThrows(IOException.class, () -> fs.createPreallocated(A, 101));
        assertTrue(e.getMessage().contains(FaultyFileSystem.NO_SPACE), e.getMessage());
        WritableFile f = fs.createPreallocated(B, 60);
        f.append(new byte[60]); // inside the preallocated space: no new space
        assertThrows(IOException.class, () -> f.append(new byte[41]));
        f.append(new byte[40]);
        assertEquals(100, fs.totalBytes());
    }

    @Test
    void preallocationIsCreateWriteAndSyncSoFaultsCanLandBetween() throws IOException {
        fs.resetCounters();
        fs.createPreallocated(A, 10).close();
        assertEquals(1, fs.count(Op.CREATE));
        assertEquals(1, fs.count(Op.WRITE));
        assertEquals(1, fs.count(Op.SYNC));
        assertEquals(1, fs.preallocations());

        fs.failAfter(Op.SYNC, 1);
        assertThrows(IOException.class, () -> fs.createPreallocated(B, 10));
        fs.syncDirectory(DIR);
        assertEquals(List.of(), fs.unsyncedRanges(A));
        assertArrayEquals(new int[] {0, 10}, fs.unsyncedRanges(B).get(0), "zeros written, not synced");
    }

    @Test
    void largePreallocationCostsNoHeapUntilWritten() throws IOException {
        long gib = 1L << 30;
        WritableFile f = fs.createPreallocated(A, gib);
        f.append(bytes("head"));
        fs.syncDirectory(DIR);
        fs.crash(new Random(3));
        try (ReadableFile r = fs.openRead(A)) {
            assertEquals(gib, r.size());
            assertArrayEquals(new byte[16], r.readFully(gib - 16, 16));
        }
        assertThrows(IOException.class, () -> fs.createPreallocated(B, 2 * gib), "files are limited to 2 GiB");
    }

    private static boolean isPrefixThenZeros(byte[] region, byte[] full) {
        int n = 0;
        while (n < region.length && region[n] == full[n]) {
            n++;
        }
        for (int i = n; i < region.length; i++) {
            if (region[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int differsIn(byte[] a, byte[] b) {
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            count += a[i] != b[i] ? 1 : 0;
        }
        return count;
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
