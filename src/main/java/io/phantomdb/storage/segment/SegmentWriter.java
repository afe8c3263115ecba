package io.phantomdb.storage.segment;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.codec.Checksums;
import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.fs.WritableFile;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes one segment file from entries given in strictly increasing engine-key order (a memtable flush or
 * a compaction output). Layout in {@code docs/formats/segment.md}:
 *
 * <pre>
 *   add() ... add()  -> data blocks, each cut at ~blockBytes, LZ4 when it saves >= 12.5%
 *   finish()         -> [bloom block] [properties block] [index block] [footer], fsync, close
 *   abandon()        -> close and delete the partial file
 * </pre>
 *
 * <p>After {@link #finish()} the file's bytes are durable, but its name is not: the caller syncs the
 * directory (and records the file in the manifest) before relying on it. After an I/O error the writer is
 * unusable and the caller must {@link #abandon()} it. Not thread-safe: one writer per file.
 */
public final class SegmentWriter {

    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

    private enum State { OPEN, FINISHED, FAILED, ABANDONED }

    private final FileSystem fs;
    private final Path path;
    private final WritableFile file;
    private final int blockBytes;
    private final Compression compression;
    private final BloomFilter.Builder bloom;
    private final BlockBuilder dataBlock;
    private final BlockBuilder indexBlock = new BlockBuilder(4096);
    private State state = State.OPEN;
    private byte[] smallestKey;
    private byte[] lastKey;
    private int entryCount;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private byte[] compressBuffer = new byte[0];

    /**
     * Creates (or truncates) {@code path}.
     *
     * @param blockBytes target data block size before compression
     * @param bloomBitsPerKey bloom filter bits per distinct user key, 0 for no filter
     */
    public SegmentWriter(FileSystem fs, Path path, int blockBytes, Compression compression, int bloomBitsPerKey) {
        if (blockBytes < 1 || blockBytes > SegmentFormat.ENTRY_BYTES_MAX) {
            throw new IllegalArgumentException("blockBytes out of range: " + blockBytes);
        }
        if (bloomBitsPerKey < 0 || bloomBitsPerKey > SegmentFormat.BLOOM_BITS_PER_KEY_MAX) {
            throw new IllegalArgumentException("bloomBitsPerKey out of range [0, "
                    + SegmentFormat.BLOOM_BITS_PER_KEY_MAX + "]: " + bloomBitsPerKey);
        }
        this.fs = fs;
        this.path = path;
        this.blockBytes = blockBytes;
        this.compression = Objects.requireNonNull(compression, "compression");
        this.bloom = bloomBitsPerKey == 0 ? null : new BloomFilter.Builder(bloomBitsPerKey);
        this.dataBlock = new BlockBuilder(blockBytes);
        try {
            this.file = fs.create(path);
        } catch (IOException e) {
            throw new StorageException("cannot create segment " + path, e);
        }
    }

    /**
     * Appends an entry. Keys must be strictly increasing by {@link InternalKey#COMPARATOR}; a key out of
     * order is a caller bug and throws {@link IllegalStateException} without writing anything.
     */
    public void add(byte[] internalKey, ValueKind kind, byte[] value) {
        requireState(State.OPEN);
        Objects.requireNonNull(kind, "kind");
        long timestamp = checkEntry(internalKey, value);
        if (bloom != null && (lastKey == null || !InternalKey.sameUserKey(lastKey, internalKey))) {
            // Versions of one user key are adjacent, so this adds each user key once.
            bloom.addUserKey(internalKey, 0, InternalKey.userKeyLength(internalKey));
        }
        minTimestamp = Math.min(minTimestamp, timestamp);
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        if (smallestKey == null) {
            smallestKey = internalKey.clone();
        }
        lastKey = internalKey.clone();
        entryCount++;
        dataBlock.add(internalKey, kind, value);
        if (dataBlock.estimatedBytes() >= blockBytes) {
            flushDataBlock();
        }
    }

    /** Validates an entry before any state changes; returns its timestamp. */
    private long checkEntry(byte[] internalKey, byte[] value) {
        if (internalKey.length < InternalKey.TIMESTAMP_BYTES) {
            throw new IllegalArgumentException("engine key shorter than its timestamp: " + internalKey.length);
        }
        if ((long) internalKey.length + value.length > SegmentFormat.ENTRY_BYTES_MAX) {
            throw new IllegalArgumentException("entry of " + ((long) internalKey.length + value.length)
                    + " bytes exceeds " + SegmentFormat.ENTRY_BYTES_MAX);
        }
        long timestamp = InternalKey.timestamp(internalKey);
        if (timestamp < 0) {
            throw new IllegalArgumentException("engine key suffix encodes a negative timestamp: " + timestamp);
        }
        if (lastKey != null && InternalKey.compare(lastKey, internalKey) >= 0) {
            throw new IllegalStateException("segment keys out of order in " + path + ": "
                    + InternalKey.describe(internalKey) + " after " + InternalKey.describe(lastKey));
        }
        return timestamp;
    }

    public int entryCount() {
        return entryCount;
    }

    /** The file size if {@link #finish()} ran now (before compression of the open block). */
    public long estimatedFileBytes() {
        long bloomBytes = bloom == null ? 0 : bloom.estimatedBytes() + SegmentFormat.BLOCK_TRAILER_BYTES;
        return file.size() + dataBlock.estimatedBytes() + indexBlock.estimatedBytes() + bloomBytes
                + SegmentFormat.FOOTER_BYTES;
    }

    public Path path() {
        return path;
    }

    /**
     * Writes the remaining blocks and the footer, fsyncs and closes the file. There must be at least one
     * entry: callers abandon empty outputs instead of writing empty segments.
     */
    public SegmentInfo finish() {
        requireState(State.OPEN);
        if (entryCount == 0) {
            throw new IllegalStateException("segment " + path + " has no entries; abandon it instead");
        }
        if (!dataBlock.isEmpty()) {
            flushDataBlock();
        }
        BlockHandle bloomHandle = bloom == null ? BlockHandle.ABSENT : writeBlock(bloom.finish(), Compression.NONE);
        BlockHandle propertiesHandle = writeBlock(encodeProperties(), Compression.NONE);
        BlockHandle indexHandle = writeBlock(indexBlock.finish(), Compression.NONE);
        Footer footer = new Footer(indexHandle, bloomHandle, propertiesHandle, entryCount, minTimestamp, maxTimestamp);
        try {
            file.append(footer.encode());
            file.sync();
            file.close();
        } catch (IOException e) {
            throw fail("cannot finish segment " + path, e);
        }
        state = State.FINISHED;
        return new SegmentInfo(file.size(), entryCount, smallestKey.clone(), lastKey.clone(), minTimestamp,
                maxTimestamp);
    }

    /** Closes and deletes the partial file. Safe after a failure; a no-op after {@link #finish()}. */
    public void abandon() {
        if (state == State.FINISHED || state == State.ABANDONED) {
            return;
        }
        state = State.ABANDONED;
        try {
            file.close();
        } catch (IOException ignored) {
            // The file is deleted next; its close error changes nothing.
        }
        try {
            fs.delete(path);
        } catch (IOException e) {
            throw new StorageException("cannot delete abandoned segment " + path, e);
        }
    }

    private void flushDataBlock() {
        BlockHandle handle = writeBlock(dataBlock.finish(), compression);
        byte[] handleBytes = new byte[2 * ByteCoding.VARINT64_BYTES_MAX];
        int end = ByteCoding.putVarLong(handleBytes, 0, handle.offset());
        end = ByteCoding.putVarLong(handleBytes, end, handle.size());
        indexBlock.add(lastKey, ValueKind.PUT, Arrays.copyOf(handleBytes, end));
        dataBlock.reset();
    }

    /** Properties block: {@code [varint length][smallest key][varint length][largest key]}. */
    private byte[] encodeProperties() {
        return new ByteCoding.Writer(smallestKey.length + lastKey.length + 20).lengthPrefixed(smallestKey)
                .lengthPrefixed(lastKey).toByteArray();
    }

    /**
     * Appends {@code raw} as a stored block plus trailer and returns its handle. With LZ4 the stored bytes
     * are {@code [varint raw length][LZ4 block]}, kept only when that saves at least 1/8.
     */
    private BlockHandle writeBlock(byte[] raw, Compression wanted) {
        byte[] stored = raw;
        int storedLength = raw.length;
        Compression used = Compression.NONE;
        if (wanted == Compression.LZ4) {
            int bound = ByteCoding.VARINT64_BYTES_MAX + LZ4.maxCompressedLength(raw.length);
            if (compressBuffer.length < bound + SegmentFormat.BLOCK_TRAILER_BYTES) {
                compressBuffer = new byte[bound + SegmentFormat.BLOCK_TRAILER_BYTES];
            }
            int header = ByteCoding.putVarLong(compressBuffer, 0, raw.length);
            int compressedLength = header + LZ4.compress(raw, 0, raw.length, compressBuffer, header, bound - header);
            if (compressedLength <= raw.length - raw.length / SegmentFormat.COMPRESSION_SAVINGS_DIVISOR) {
                stored = compressBuffer;
                storedLength = compressedLength;
                used = Compression.LZ4;
            }
        }
        long offset = file.size();
        byte[] trailer = new byte[SegmentFormat.BLOCK_TRAILER_BYTES];
        trailer[0] = (byte) used.code();
        ByteCoding.putInt(trailer, 1, blockChecksum(stored, storedLength, trailer[0]));
        try {
            file.append(stored, 0, storedLength);
            file.append(trailer);
        } catch (IOException e) {
            throw fail("cannot write segment " + path, e);
        }
        return new BlockHandle(offset, storedLength);
    }

    /** Masked CRC32C over the stored bytes followed by the compression code byte. */
    static int blockChecksum(byte[] stored, int storedLength, byte compressionCode) {
        CRC32C crc = new CRC32C();
        crc.update(stored, 0, storedLength);
        crc.update(compressionCode);
        return Checksums.mask((int) crc.getValue());
    }

    private StorageException fail(String message, IOException cause) {
        state = State.FAILED;
        return new StorageException(message, cause);
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("segment writer for " + path + " is " + state + ", not " + expected);
        }
    }
}
