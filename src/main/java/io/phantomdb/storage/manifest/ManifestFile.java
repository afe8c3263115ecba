package io.phantomdb.storage.manifest;

import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.log.LogReader;
import io.phantomdb.storage.log.LogWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and installs the {@code MANIFEST}: a CRC-framed record log (the same framing as the WAL) whose
 * records are version edits. Phantom-DB writes one full-state edit per install and installs it
 * atomically: write {@code MANIFEST.tmp}, fsync it, rename it over {@code MANIFEST}, fsync the directory.
 * A crash leaves either the old or the new manifest, never a torn one, so any checksum failure when
 * reading is corruption, reported with the file and offset. See docs/formats/manifest.md.
 */
public final class ManifestFile {

    public static final String FILE_NAME = "MANIFEST";
    public static final String TEMP_FILE_NAME = "MANIFEST.tmp";

    /** "PHMF": marks a manifest edit, so a stray file of another kind is not misread. */
    static final int MAGIC = 0x50484d46;
    /** Format of the edit payload; bump when it changes, keep reading old ones. */
    static final int FORMAT_VERSION = 1;
    /** Edit type: the full state (files of every level plus the counters). Written to disk: never reuse. */
    static final int EDIT_FULL_STATE = 1;
    /** Upper bounds that reject garbage before it allocates: no engine has more of these. */
    static final int LEVELS_MAX = 64;
    static final int FILES_PER_LEVEL_MAX = 1 << 20;
    static final int KEY_BYTES_MAX = 64 << 20;

    private ManifestFile() {}

    public static boolean exists(FileSystem fs, Path dir) {
        return fs.exists(dir.resolve(FILE_NAME));
    }

    /** Reads the manifest; throws {@link CorruptionException} naming the file and offset on any damage. */
    public static ManifestState read(FileSystem fs, Path dir) {
        Path path = dir.resolve(FILE_NAME);
        ManifestState state = null;
        try (LogReader reader = LogReader.open(fs, path, LogReader.TailMode.STRICT)) {
            byte[] payload;
            while ((payload = reader.next()) != null) {
                try {
                    state = decode(payload);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new CorruptionException(path, reader.recordOffset(), "bad manifest edit: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (state == null) {
            throw new CorruptionException(path, 0, "manifest holds no edit");
        }
        return state;
    }

    /** Atomically replaces the manifest with {@code state}. Returns only once the new one is durable. */
    public static void install(FileSystem fs, Path dir, ManifestState state) throws IOException {
        Path temp = dir.resolve(TEMP_FILE_NAME);
        try (LogWriter writer = new LogWriter(fs.create(temp))) { // the writer owns and closes the file
            writer.append(encode(state));
            writer.sync();
        }
        fs.rename(temp, dir.resolve(FILE_NAME));
        fs.syncDirectory(dir);
    }

    static byte[] encode(ManifestState state) {
        ByteCoding.Writer out = new ByteCoding.Writer(256);
        out.int32(MAGIC).u8(FORMAT_VERSION).u8(EDIT_FULL_STATE);
        out.varLong(state.nextFileNumber()).varLong(state.logNumber()).varLong(state.lastTimestamp());
        Version version = state.version();
        out.varLong(version.levelCount());
        for (int level = 0; level < version.levelCount(); level++) {
            List<SegmentMeta> files = version.files(level);
            out.varLong(files.size());
            for (SegmentMeta meta : files) {
                out.varLong(meta.fileNumber()).varLong(meta.fileBytes()).varLong(meta.entryCount());
                out.varLong(meta.minTimestamp()).varLong(meta.maxTimestamp());
                out.lengthPrefixed(meta.smallestKey()).lengthPrefixed(meta.largestKey());
            }
        }
        return out.toByteArray();
    }

    static ManifestState decode(byte[] payload) {
        ByteCoding.Reader in = new ByteCoding.Reader(payload);
        int magic = in.int32();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("bad magic 0x%08x", magic));
        }
        int format = in.u8();
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported manifest format " + format);
        }
        int editType = in.u8();
        if (editType != EDIT_FULL_STATE) {
            throw new IllegalArgumentException("unknown edit type " + editType);
        }
        long nextFileNumber = in.varLong();
        long logNumber = in.varLong();
        long lastTimestamp = in.varLong();
        int levelCount = in.varInt(LEVELS_MAX);
        List<List<SegmentMeta>> levels = new ArrayList<>(levelCount);
        for (int level = 0; level < levelCount; level++) {
            int fileCount = in.varInt(FILES_PER_LEVEL_MAX);
            List<SegmentMeta> files = new ArrayList<>(fileCount);
            for (int i = 0; i < fileCount; i++) {
                files.add(decodeSegment(in, nextFileNumber));
            }
            levels.add(files);
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes");
        }
        return new ManifestState(new Version(levels), nextFileNumber, logNumber, lastTimestamp);
    }

    private static SegmentMeta decodeSegment(ByteCoding.Reader in, long nextFileNumber) {
        long fileNumber = in.varLong();
        long fileBytes = in.varLong();
        long entryCount = in.varLong();
        long minTimestamp = in.varLong();
        long maxTimestamp = in.varLong();
        byte[] smallest = in.bytes(in.varInt(KEY_BYTES_MAX));
        byte[] largest = in.bytes(in.varInt(KEY_BYTES_MAX));
        if (fileNumber <= 0 || fileNumber >= nextFileNumber) {
            throw new IllegalArgumentException("file number " + fileNumber + " outside [1, " + nextFileNumber + ")");
        }
        if (smallest.length < 8 || largest.length < 8 || minTimestamp > maxTimestamp) {
            throw new IllegalArgumentException("malformed bounds of segment " + fileNumber);
        }
        return new SegmentMeta(fileNumber, fileBytes, entryCount, smallest, largest, minTimestamp, maxTimestamp);
    }
}
