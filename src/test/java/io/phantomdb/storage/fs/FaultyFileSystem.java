package io.phantomdb.storage.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory {@link FileSystem} that enforces the durability contract and injects faults, so that crash
 * and I/O-error recovery can be tested deterministically (LevelDB's memenv plus fault_injection_test).
 *
 * <p>State model. Every file is a {@link SimulatedFile}: its {@code current} bytes (what reads see), its
 * durable bytes (the content at its last sync) and the byte ranges written since then, appended or
 * overwritten in place (a file made by {@link #createPreallocated} is zeros, durably, and appends overwrite
 * them); {@link #create} over an existing file truncates it in place, and until the next sync a crash may
 * undo that. Files up to 2 GiB; preallocated zeros cost no heap until written. Names live in two maps:
 * {@code currentNames} (changed by create, rename, delete) and {@code durableNames} (what a crash reverts
 * to; updated by {@link #syncDirectory} for the entries of that directory). Directories themselves are
 * always durable: the engine creates its directory once and never removes it.
 *
 * <p>Power loss. {@link #crash(Random)} reverts the names to the durable map, and gives each file its
 * durable bytes with one of these applied to the bytes written since its last sync ({@link CrashMode}):
 * none of them reach the disk, a prefix of them (in file order), all of them, all of them with a few
 * bytes garbled, or each 512-byte sector of them independently. Bytes that do not reach the disk keep
 * their durable content: zeros in preallocated space, the old bytes where synced data was overwritten,
 * nothing past the durable end. Every handle opened before the crash becomes invalid (any further use
 * throws {@link IOException}), locks are released, and the file system is usable again for the reopen.
 * {@link #powerOff()} (or {@link #powerOffAfter(long)}, which cuts power at an exact I/O call) makes
 * every call fail until {@link #crash(Random)}: that is the instant of the power loss, and nothing the dying
 * engine does afterwards (a background thread creating or deleting a file) can change what the reopened
 * engine finds.
 *
 * <p>Faults. {@link #failAfter(Op, long)} makes the Nth following call of an operation (or of {@link
 * Op#ANY} operation) throw once; {@link #failFrom(Op, long)} makes it and every later one throw (a dead
 * disk). {@link #diskCapacityBytes(long)} makes appends and preallocations past a total size throw "No
 * space left on device". A failed call has no effect on the state. {@link #count(Op)} counts calls, failed or not.
 * {@link #holdAt(Op, long)} stalls one call until released, to line up concurrent work deterministically.
 *
 * <p>Thread-safety: every method (including those of the handles) synchronizes on this object; the engine
 * has a WAL syncer and background threads.
 */
public final class FaultyFileSystem implements FileSystem {

    /** The I/O calls that can fail; {@link #ANY} matches each of the others. */
    public enum Op {
        CREATE, OPEN_READ, READ, WRITE, SYNC, CLOSE, LIST, SIZE, DELETE, RENAME, TRUNCATE, SYNC_DIRECTORY,
        CREATE_DIRECTORIES, LOCK, ANY
    }

    /** What a crash keeps of a file's unsynced bytes (those written since its last sync). */
    public enum CrashMode {
        /** None: the file is as at its last sync. */
        DROP_UNSYNCED,
        /** The first N unsynced bytes in file order, N random: a write cut short. */
        KEEP_PREFIX,
        /** All of them. */
        KEEP_ALL,
        /** All of them, 1 to 4 of them garbled. */
        GARBLE,
        /**
         * Each 512-byte sector holding unsynced bytes keeps them or not, independently: write-back in any
         * order, which leaves old bytes (zeros, in preallocated space) between new ones.
         */
        KEEP_SOME_SECTORS
    }

    /** Message of the exception thrown for appends past {@link #diskCapacityBytes(long)}, as Linux says it. */
    public static final String NO_SPACE = "No space left on device";

    private final Map<Path, SimulatedFile> currentNames = new HashMap<>();
    private final Map<Path, SimulatedFile> durableNames = new HashMap<>();
    private final Set<Path> directories = new TreeSet<>();
    private final Map<Path, Long> locks = new HashMap<>();
    private final EnumMap<Op, Long> counts = new EnumMap<>(Op.class);
    private final List<Fault> faults = new ArrayList<>();
    private final EnumMap<CrashMode, Long> crashModesChosen = new EnumMap<>(CrashMode.class);
    /** One line per file of the last crash: what was durable, what was unsynced, what the crash kept. */
    private final List<String> lastCrashLog = new ArrayList<>();

    /** Bumped by every crash; handles from an older epoch are dead. */
    private long epoch;
    private boolean powerIsOff;
    /** Calls (of {@link #powerOffOp}) left until power is cut; 0 = no cut planned. */
    private long callsUntilPowerOff;
    private Op powerOffOp = Op.ANY;
    /** A call that waits (monitor released) until {@link #releaseHold()}; null = none planned. */
    private Op holdOp;
    private long callsUntilHold;
    private boolean holding;
    private long capacityBytes = Long.MAX_VALUE;
    private Random random = new Random(0);
    private long preallocations;
    /** File names that renames moved a file to, in order. */
    private final List<String> renameTargets = new ArrayList<>();

    public FaultyFileSystem() {
        for (Op op : Op.values()) {
            counts.put(op, 0L);
        }
        for (CrashMode mode : CrashMode.values()) {
            crashModesChosen.put(mode, 0L);
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // Test controls

    /** The random source of {@link #crash()}. */
    public synchronized FaultyFileSystem setRandom(Random random) {
        this.random = random;
        return this;
    }

    /** Fails the {@code n}th call of {@code op} from now on (1 = the next one), once. */
    public synchronized FaultyFileSystem failAfter(Op op, long n) {
        checkPositive(n);
        faults.add(new Fault(op, n, false));
        return this;
    }

    /** Fails the {@code n}th call of {@code op} from now on and every later one (a dead device). */
    public synchronized FaultyFileSystem failFrom(Op op, long n) {
        checkPositive(n);
        faults.add(new Fault(op, n, true));
        return this;
    }

    /** Appends that would make the total size of all files exceed {@code bytes} fail with ENOSPC. */
    public synchronized FaultyFileSystem diskCapacityBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + bytes);
        }
        capacityBytes = bytes;
        return this;
    }

    /** Removes every injected fault, the capacity limit and a planned power cut; power stays as it is. */
    public synchronized FaultyFileSystem clearFaults() {
        faults.clear();
        capacityBytes = Long.MAX_VALUE;
        callsUntilPowerOff = 0;
        return this;
    }

    /** Cuts power now: every call fails until {@link #crash(Random)}. */
    public synchronized void powerOff() {
        powerIsOff = true;
    }

    /** Cuts power at the {@code n}th I/O call from now (that call already fails). */
    public synchronized FaultyFileSystem powerOffAfter(long n) {
        return powerOffAt(Op.ANY, n);
    }

    /** Cuts power at the {@code n}th call of {@code op} from now (that call already fails). */
    public synchronized FaultyFileSystem powerOffAt(Op op, long n) {
        checkPositive(n);
        powerOffOp = op;
        callsUntilPowerOff = n;
        return this;
    }

    /**
     * Makes the {@code n}th call of {@code op} from now wait, before it takes effect, until {@link
     * #releaseHold()}; other threads keep using the file system meanwhile. Lets a test line up work behind
     * a stalled call (for instance, queue writes while the WAL sync of an earlier one is in progress).
     */
    public synchronized FaultyFileSystem holdAt(Op op, long n) {
        checkPositive(n);
        holdOp = op;
        callsUntilHold = n;
        holding = false;
        return this;
    }

    /** Waits until a call is held by {@link #holdAt}; false if none is after {@code millis}. */
    public synchronized boolean awaitHold(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!holding) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Lets the held call go on (and cancels a hold not reached yet). */
    public synchronized void releaseHold() {
        holdOp = null;
        holding = false;
        notifyAll();
    }

    public synchronized boolean isPoweredOff() {
        return powerIsOff;
    }

    /** {@link #crash(Random)} with the random source of {@link #setRandom(Random)}. */
    public synchronized void crash() {
        crash(random);
    }

    /**
     * Simulates a power loss and the reboot after it: names revert to the last synced directory state,
     * each file keeps its synced bytes plus some, all, none or a garbled copy of its unsynced bytes, every
     * open handle and lock dies, injected faults stay, and power is back on.
     */
    public synchronized void crash(Random rnd) {
        crash(rnd, null);
    }

    /** As {@link #crash(Random)}, but every file gets {@code mode} (null = a random mode per file). */
    public synchronized void crash(Random rnd, CrashMode mode) {
        // java.util.Random's first draws for nearby seeds are correlated (seeds 0..999 would mostly pick
        // the same mode); one draw, spread by SplittableRandom's mixer, decorrelates them.
        SplittableRandom mixed = new SplittableRandom(rnd.nextLong());
        // Visit files in name order, each node once, so that a seed always gives the same outcome.
        Set<SimulatedFile> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        lastCrashLog.clear();
        for (Map.Entry<Path, SimulatedFile> e : new TreeMap<>(durableNames).entrySet()) {
            if (visited.add(e.getValue())) {
                lastCrashLog.add(e.getKey().getFileName() + ": " + e.getValue().crash(mixed, mode, crashModesChosen));
            }
        }
        currentNames.clear();
        currentNames.putAll(durableNames);
        locks.clear();
        epoch++;
        powerIsOff = false;
        callsUntilPowerOff = 0;
        releaseHold();
    }

    /** A deep copy of the current state (names, bytes, synced lengths); no faults, handles or locks. */
    public synchronized FaultyFileSystem copy() {
        FaultyFileSystem copy = new FaultyFileSystem();
        Map<SimulatedFile, SimulatedFile> copies = new IdentityHashMap<>();
        for (Map.Entry<Path, SimulatedFile> e : currentNames.entrySet()) {
            copy.currentNames.put(e.getKey(), copies.computeIfAbsent(e.getValue(), SimulatedFile::copy));
        }
        for (Map.Entry<Path, SimulatedFile> e : durableNames.entrySet()) {
            copy.durableNames.put(e.getKey(), copies.computeIfAbsent(e.getValue(), SimulatedFile::copy));
        }
        copy.directories.addAll(directories);
        return copy;
    }

    /** Calls of {@code op} so far, failed ones included; {@link Op#ANY} counts all calls. */
    public synchronized long count(Op op) {
        return counts.get(op);
    }

    public synchronized void resetCounters() {
        for (Op op : Op.values()) {
            counts.put(op, 0L);
        }
    }

    /** Files made by {@link #createPreallocated} so far (to show a test exercised preallocation). */
    public synchronized long preallocations() {
        return preallocations;
    }

    /** The names that successful renames moved a file to, in call order (to tell renames apart). */
    public synchronized List<String> renameTargets() {
        return new ArrayList<>(renameTargets);
    }

    /** How often each crash mode was chosen for a file so far (to show the test covers all of them). */
    public synchronized Map<CrashMode, Long> crashModesChosen() {
        return new EnumMap<>(crashModesChosen);
    }

    /** What the last crash did to each surviving file, for failure messages. */
    public synchronized List<String> lastCrashLog() {
        return new ArrayList<>(lastCrashLog);
    }

    /** The current bytes of a file (not counted as a call, never fails). */
    public synchronized byte[] fileBytes(Path path) throws NoSuchFileException {
        return existing(path).currentBytes();
    }

    /**
     * The bytes of a file at its last sync: what a crash with {@link CrashMode#DROP_UNSYNCED} keeps (unless
     * an unsynced truncation by {@link #create} reaches the disk, which leaves it empty).
     */
    public synchronized byte[] durableBytes(Path path) throws NoSuchFileException {
        return existing(path).durableBytes();
    }

    /** The byte ranges {@code [start, end)} of a file written since its last sync, in file order. */
    public synchronized List<int[]> unsyncedRanges(Path path) throws NoSuchFileException {
        return existing(path).unsyncedRanges();
    }

    /** Flips one bit of a file at rest (in its current and, where synced, durable content). */
    public synchronized void flipBit(Path path, long bitIndex) throws NoSuchFileException {
        SimulatedFile file = existing(path);
        long byteIndex = bitIndex >>> 3;
        if (bitIndex < 0 || byteIndex >= file.length()) {
            throw new IllegalArgumentException("bit " + bitIndex + " outside " + path + " of " + file.length() + " bytes");
        }
        file.flip((int) byteIndex, 1 << (bitIndex & 7));
    }

    /** Sorted names of the files directly in {@code dir} (not counted as a call, never fails). */
    public synchronized List<String> fileNames(Path dir) {
        Path d = normalize(dir);
        List<String> names = new ArrayList<>();
        for (Path p : new TreeMap<>(currentNames).keySet()) {
            if (d.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** Total current size of all named files. */
    public synchronized long totalBytes() {
        long total = 0;
        for (SimulatedFile file : distinctCurrentFiles()) {
            total += file.length();
        }
        return total;
    }

    // ----------------------------------------------------------------------------------------------------
    // FileSystem

    @Override
    public synchronized WritableFile create(Path path) throws IOException {
        beforeCall(Op.CREATE);
        Path p = normalize(path);
        requireDirectory(p.getParent());
        if (directories.contains(p)) {
            throw new IOException("is a directory: " + p);
        }
        SimulatedFile file = currentNames.get(p);
        if (file == null) {
            file = new SimulatedFile();
            currentNames.put(p, file);
        } else {
            file.truncateUnsynced();
        }
        return new Writer(file, p, epoch);
    }

    /**
     * As on disk: create, write the zeros, sync them; each step is its own call (CREATE, WRITE, SYNC), so
     * a fault or power cut can land between them and leave a file with fewer or unsynced zeros.
     */
    @Override
    public synchronized WritableFile createPreallocated(Path path, long bytes) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("preallocation of " + bytes + " bytes");
        }
        Writer writer = (Writer) create(path);
        beforeCall(Op.WRITE);
        if (bytes > Integer.MAX_VALUE - writer.file.length()) {
            throw new IOException("file too large: preallocating " + bytes + " bytes of " + path);
        }
        if (totalBytes() + bytes > capacityBytes) {
            throw new IOException(NO_SPACE + ": preallocating " + bytes + " bytes of " + path);
        }
        writer.file.extendWithZeros((int) bytes);
        beforeCall(Op.SYNC);
        writer.file.sync();
        preallocations++;
        return writer;
    }

    @Override
    public synchronized ReadableFile openRead(Path path) throws IOException {
        beforeCall(Op.OPEN_READ);
        Path p = normalize(path);
        return new Reader(existing(p), p, epoch);
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path p = normalize(path);
        return currentNames.containsKey(p) || directories.contains(p);
    }

    @Override
    public synchronized List<String> list(Path dir) throws IOException {
        beforeCall(Op.LIST);
        Path d = normalize(dir);
        requireDirectory(d);
        List<String> names = new ArrayList<>();
        for (Path p : currentNames.keySet()) {
            if (d.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        for (Path p : directories) {
            if (d.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    @Override
    public synchronized long size(Path path) throws IOException {
        beforeCall(Op.SIZE);
        return existing(normalize(path)).length();
    }

    @Override
    public synchronized void delete(Path path) throws IOException {
        beforeCall(Op.DELETE);
        // Open handles keep working on the unlinked node, as on POSIX.
        currentNames.remove(normalize(path));
    }

    @Override
    public synchronized void rename(Path source, Path target) throws IOException {
        beforeCall(Op.RENAME);
        Path s = normalize(source);
        Path t = normalize(target);
        SimulatedFile file = existing(s);
        requireDirectory(t.getParent());
        if (s.equals(t)) {
            return;
        }
        currentNames.remove(s);
        currentNames.put(t, file);
        renameTargets.add(t.getFileName().toString());
    }

    @Override
    public synchronized void truncate(Path path, long size) throws IOException {
        beforeCall(Op.TRUNCATE);
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new IOException("bad truncate size " + size);
        }
        existing(normalize(path)).truncateDurably((int) size);
    }

    @Override
    public synchronized void syncDirectory(Path dir) throws IOException {
        beforeCall(Op.SYNC_DIRECTORY);
        Path d = normalize(dir);
        requireDirectory(d);
        durableNames.keySet().removeIf(p -> d.equals(p.getParent()));
        for (Map.Entry<Path, SimulatedFile> e : currentNames.entrySet()) {
            if (d.equals(e.getKey().getParent())) {
                durableNames.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        beforeCall(Op.CREATE_DIRECTORIES);
        Path d = normalize(dir);
        for (Path p = d; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (currentNames.containsKey(p)) {
                throw new IOException("not a directory: " + p);
            }
        }
        for (Path p = d; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            directories.add(p);
        }
    }

    @Override
    public synchronized DirectoryLock lock(Path lockFile) throws IOException {
        beforeCall(Op.LOCK);
        Path p = normalize(lockFile);
        requireDirectory(p.getParent());
        if (locks.containsKey(p)) {
            throw new IOException("directory is in use by another engine: " + p);
        }
        currentNames.computeIfAbsent(p, k -> new SimulatedFile());
        long lockEpoch = epoch;
        locks.put(p, lockEpoch);
        return new DirectoryLock() {
            private boolean released;

            @Override
            public void close() throws IOException {
                synchronized (FaultyFileSystem.this) {
                    if (released) {
                        return;
                    }
                    released = true;
                    if (lockEpoch != epoch) {
                        throw new IOException("lock " + p + " was lost in a simulated crash");
                    }
                    locks.remove(p);
                }
            }
        };
    }

    // ----------------------------------------------------------------------------------------------------
    // Internals (callers hold the monitor)

    private void beforeCall(Op op) throws IOException {
        counts.merge(op, 1L, Long::sum);
        counts.merge(Op.ANY, 1L, Long::sum);
        if (powerIsOff) {
            throw new IOException("simulated power loss: device is off (" + op + ")");
        }
        if (callsUntilPowerOff > 0 && (powerOffOp == Op.ANY || powerOffOp == op) && --callsUntilPowerOff == 0) {
            powerIsOff = true;
            throw new IOException("simulated power loss: power cut during " + op);
        }
        IOException failure = null;
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.op != Op.ANY && fault.op != op) {
                continue;
            }
            fault.seen++;
            if (fault.seen == fault.n || (fault.sticky && fault.seen > fault.n)) {
                if (!fault.sticky) {
                    it.remove();
                }
                if (failure == null) {
                    failure = new IOException("injected I/O error: " + op + " (call #" + fault.seen + " of "
                            + fault.op + ")");
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (holdOp != null && (holdOp == Op.ANY || holdOp == op) && --callsUntilHold == 0) {
            holding = true;
            notifyAll();
            while (holding) {
                try {
                    wait(); // releases the monitor: other threads go on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while held at " + op);
                }
            }
            if (powerIsOff) {
                throw new IOException("simulated power loss: device is off (" + op + ")");
            }
        }
    }

    private void checkHandle(long handleEpoch, boolean closed, Path path) throws IOException {
        if (handleEpoch != epoch) {
            throw new IOException("stale handle of " + path + ": invalidated by a simulated crash");
        }
        if (closed) {
            throw new IOException("file is closed: " + path);
        }
    }

    private SimulatedFile existing(Path path) throws NoSuchFileException {
        SimulatedFile file = currentNames.get(normalize(path));
        if (file == null) {
            throw new NoSuchFileException(path.toString());
        }
        return file;
    }

    private void requireDirectory(Path dir) throws NoSuchFileException {
        if (dir != null && !dir.equals(dir.getRoot()) && !directories.contains(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
    }

    private Set<SimulatedFile> distinctCurrentFiles() {
        Set<SimulatedFile> files = Collections.newSetFromMap(new IdentityHashMap<>());
        files.addAll(currentNames.values());
        return files;
    }

    private static Path normalize(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static void checkPositive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based: " + n);
        }
    }

    private static final class Fault {
        final Op op;
        final long n;
        final boolean sticky;
        long seen;

        Fault(Op op, long n, boolean sticky) {
            this.op = op;
            this.n = n;
            this.sticky = sticky;
        }
    }

    private final class Writer implements WritableFile {
        private final SimulatedFile file;
        private final Path path;
        private final long handleEpoch;
        private boolean closed;
        /** Offset of the next append: the end of the file, or inside a preallocated one. */
        private int position;

        Writer(SimulatedFile file, Path path, long handleEpoch) {
            this.file = file;
            this.path = path;
            this.handleEpoch = handleEpoch;
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            synchronized (FaultyFileSystem.this) {
                beforeCall(Op.WRITE);
                checkHandle(handleEpoch, closed, path);
                if (offset < 0 || length < 0 || offset + length > bytes.length) {
                    throw new IndexOutOfBoundsException("offset " + offset + " length " + length);
                }
                if (length > Integer.MAX_VALUE - position) {
                    throw new IOException("file too large: appending " + length + " bytes to " + path);
                }
                // Only growth takes space: overwriting preallocated zeros does not.
                long growth = Math.max(0, position + length - file.length());
                if (totalBytes() + growth > capacityBytes) {
                    throw new IOException(NO_SPACE + ": appending " + length + " bytes to " + path);
                }
                file.write(position, bytes, offset, length);
                position += length;
            }
        }

        @Override
        public void sync() throws IOException {
            synchronized (FaultyFileSystem.this) {
                beforeCall(Op.SYNC);
                checkHandle(handleEpoch, closed, path);
                file.sync();
            }
        }

        @Override
        public long size() {
            synchronized (FaultyFileSystem.this) {
                return position;
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (FaultyFileSystem.this) {
                if (closed) {
                    return;
                }
                closed = true;
                beforeCall(Op.CLOSE);
                checkHandle(handleEpoch, false, path);
            }
        }
    }

    private final class Reader implements ReadableFile {
        private final SimulatedFile file;
        private final Path path;
        private final long handleEpoch;
        private boolean closed;

        Reader(SimulatedFile file, Path path, long handleEpoch) {
            this.file = file;
            this.path = path;
            this.handleEpoch = handleEpoch;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            synchronized (FaultyFileSystem.this) {
                beforeCall(Op.READ);
                checkHandle(handleEpoch, closed, path);
                if (position < 0 || offset < 0 || length < 0 || offset + length > buffer.length) {
                    throw new IndexOutOfBoundsException("position " + position + " offset " + offset + " length " + length);
                }
                if (length == 0) {
                    return 0;
                }
                if (position >= file.length()) {
                    return -1;
                }
                return file.read((int) position, buffer, offset, length);
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (FaultyFileSystem.this) {
                beforeCall(Op.SIZE);
                checkHandle(handleEpoch, closed, path);
                return file.length();
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (FaultyFileSystem.this) {
                if (closed) {
                    return;
                }
                closed = true;
                beforeCall(Op.CLOSE);
                checkHandle(handleEpoch, false, path);
            }
        }
    }
}
