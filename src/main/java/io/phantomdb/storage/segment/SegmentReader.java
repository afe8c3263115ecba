package io.phantomdb.storage.segment;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.CorruptionException;
import io.phantomdb.storage.StorageException;
import io.phantomdb.storage.codec.ByteCoding;
import io.phantomdb.storage.fs.FileSystem;
import io.phantomdb.storage.fs.ReadableFile;
import io.phantomdb.storage.iterator.InternalIterator;
import io.phantomdb.storage.key.InternalKey;
import io.phantomdb.storage.key.ValueKind;
import java.io.IOException;
import java.nio.file.Path;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads one segment file. {@link #open} verifies the footer (magic, CRC, version) and loads the index,
 * bloom and properties blocks (each CRC-verified), which stay pinned in memory for the reader's life.
 * Data blocks are read on demand through the shared {@link BlockCache}; every block read from disk is
 * CRC-verified and fully validated before it is cached or used, so a corrupt block is never returned as
 * data: the read throws {@link CorruptionException} naming the file and the block's offset.
 *
 * <p>Thread-safe: all state is immutable after {@link #open} and the file supports concurrent positional
 * reads. Iterators are not thread-safe (one per thread). Closing the reader while an iterator or a read
 * is still running makes that read fail; {@link TableCache} leases prevent it.
 */
public final class SegmentReader implements AutoCloseable {

    /** Safe decompressor: bounds-checks its input, so corrupt LZ4 bytes fail instead of reading out of bounds. */
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    /** One version found by {@link #get}: copies, owned by the caller. */
    public record Lookup(byte[] internalKey, ValueKind kind, byte[] value) {}

    private final Path path;
    private final long fileNumber;
    private final ReadableFile file;
    private final BlockCache cache;
    private final long fileBytes;
    private final Footer footer;
    private final Block index;
    private final long[] blockOffsets;
    private final int[] blockSizes;
    private final BloomFilter bloom;
    private final byte[] smallestKey;
    private final byte[] largestKey;
    private volatile boolean closed;

    private SegmentReader(Path path, long fileNumber, ReadableFile file, BlockCache cache) throws IOException {
        this.path = path;
        this.fileNumber = fileNumber;
        this.file = file;
        this.cache = cache;
        this.fileBytes = file.size();
        if (fileBytes < SegmentFormat.FOOTER_BYTES) {
            throw new CorruptionException(path, 0, "file of " + fileBytes + " bytes is shorter than a footer");
        }
        long footerOffset = fileBytes - SegmentFormat.FOOTER_BYTES;
        this.footer = Footer.decode(file.readFully(footerOffset, SegmentFormat.FOOTER_BYTES), path, footerOffset);
        this.index = Block.decode(readVerified(footer.index()), path, footer.index().offset());
        this.blockOffsets = new long[index.count()];
        this.blockSizes = new int[index.count()];
        decodeHandles();
        this.bloom = footer.bloom().isAbsent() ? null
                : BloomFilter.decode(readVerified(footer.bloom()), path, footer.bloom().offset());
        byte[] properties = readVerified(footer.properties());
        try {
            ByteCoding.Reader reader = new ByteCoding.Reader(properties);
            this.smallestKey = reader.bytes(reader.varInt(properties.length));
            this.largestKey = reader.bytes(reader.varInt(properties.length));
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(path, footer.properties().offset(), "malformed properties: " + e.getMessage(), e);
        }
        checkPropertiesAgreeWithIndex();
    }

    /**
     * Opens and verifies {@code path}. Throws {@link CorruptionException} if the footer, index, bloom or
     * properties block is damaged, {@link StorageException} on an I/O error.
     */
    public static SegmentReader open(FileSystem fs, Path path, long fileNumber, BlockCache cache) {
        ReadableFile file;
        try {
            file = fs.openRead(path);
        } catch (IOException e) {
            throw new StorageException("cannot open segment " + path, e);
        }
        try {
            return new SegmentReader(path, fileNumber, file, cache);
        } catch (IOException e) {
            closeQuietly(file);
            throw new StorageException("cannot read segment " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    /** Data block handles from the index: contiguous from offset 0, ending before the first meta block. */
    private void decodeHandles() {
        long expectedOffset = 0;
        for (int i = 0; i < index.count(); i++) {
            byte[] value = index.value(i);
            try {
                ByteCoding.Reader reader = new ByteCoding.Reader(value);
                blockOffsets[i] = reader.varLong();
                blockSizes[i] = reader.varInt(Integer.MAX_VALUE);
                if (reader.remaining() != 0) {
                    throw new IllegalArgumentException(reader.remaining() + " trailing bytes");
                }
            } catch (IllegalArgumentException e) {
                throw new CorruptionException(path, footer.index().offset(), "malformed handle of data block " + i
                        + ": " + e.getMessage(), e);
            }
            if (blockOffsets[i] != expectedOffset) {
                throw new CorruptionException(path, footer.index().offset(), "data block " + i + " at "
                        + blockOffsets[i] + ", expected " + expectedOffset);
            }
            expectedOffset = new BlockHandle(blockOffsets[i], blockSizes[i]).end();
        }
        long metaStart = Math.min(footer.index().offset(), footer.properties().offset());
        if (!footer.bloom().isAbsent()) {
            metaStart = Math.min(metaStart, footer.bloom().offset());
        }
        if (expectedOffset != metaStart) {
            throw new CorruptionException(path, footer.index().offset(), "data blocks end at " + expectedOffset
                    + ", meta blocks start at " + metaStart);
        }
    }

    private void checkPropertiesAgreeWithIndex() {
        long at = footer.properties().offset();
        if (smallestKey.length < InternalKey.TIMESTAMP_BYTES || largestKey.length < InternalKey.TIMESTAMP_BYTES) {
            throw new CorruptionException(path, at, "properties key shorter than a timestamp");
        }
        if (!index.lastKeyEquals(largestKey) || InternalKey.compare(smallestKey, largestKey) > 0) {
            throw new CorruptionException(path, at, "properties key range disagrees with the index");
        }
    }

    /**
     * The newest entry of exactly {@code userKey} whose timestamp is {@code <= timestamp} (a tombstone
     * included), or null. Consults the bloom filter first, so a miss usually costs no I/O.
     */
    public Lookup get(byte[] userKey, long timestamp) {
        if (!mayContain(userKey)) {
            return null;
        }
        // Versions of a user key sort newest first, so the first entry >= (userKey, timestamp) is the newest
        // version at or before the timestamp, if it still has the same user key.
        byte[] target = InternalKey.encode(userKey, timestamp);
        int blockIndex = index.lowerBound(target);
        if (blockIndex == index.count()) {
            return null;
        }
        Block block = dataBlock(blockIndex);
        int entry = block.lowerBound(target);
        if (entry == block.count() || !block.hasUserKey(entry, userKey)) {
            return null;
        }
        return new Lookup(block.key(entry), block.kind(entry), block.value(entry));
    }

    /** False only if the segment certainly holds no version of {@code userKey}. */
    public boolean mayContain(byte[] userKey) {
        return bloom == null || bloom.mayContain(userKey);
    }

    /** A new unpositioned cursor over every entry; reads data blocks lazily as it reaches them. */
    public InternalIterator newIterator() {
        return new SegmentIterator(this, true);
    }

    /**
     * As {@link #newIterator()}; with {@code fillCache} false, blocks it reads are not added to the block
     * cache (cached ones are still used). Compaction reads every block once: caching them would evict the
     * blocks that foreground reads keep hot.
     */
    public InternalIterator newIterator(boolean fillCache) {
        return new SegmentIterator(this, fillCache);
    }

    public long fileBytes() {
        return fileBytes;
    }

    public long entryCount() {
        return footer.entryCount();
    }

    public long fileNumber() {
        return fileNumber;
    }

    public Path path() {
        return path;
    }

    public long minTimestamp() {
        return footer.minTimestamp();
    }

    public long maxTimestamp() {
        return footer.maxTimestamp();
    }

    /** First engine key of the segment (a copy). */
    public byte[] smallestKey() {
        return smallestKey.clone();
    }

    /** Last engine key of the segment (a copy). */
    public byte[] largestKey() {
        return largestKey.clone();
    }

    boolean isClosed() {
        return closed;
    }

    /** Number of data blocks (for the scrubber and tests). */
    int dataBlockCount() {
        return blockOffsets.length;
    }

    /** Where data block {@code i} is stored (for the scrubber and tests). */
    BlockHandle dataBlockHandle(int i) {
        return new BlockHandle(blockOffsets[i], blockSizes[i]);
    }

    Footer footer() {
        return footer;
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } catch (IOException e) {
            throw new StorageException("cannot close segment " + path, e);
        }
    }

    // ---- block access, shared with SegmentIterator ----

    Block indexBlock() {
        return index;
    }

    /** Data block {@code blockIndex}: from the cache, or read, verified, checked against the index, cached. */
    Block dataBlock(int blockIndex) {
        return dataBlock(blockIndex, true);
    }

    /** As {@link #dataBlock(int)}, adding a block read from disk to the cache only if {@code fillCache}. */
    Block dataBlock(int blockIndex, boolean fillCache) {
        long offset = blockOffsets[blockIndex];
        Block block = cache.get(fileNumber, offset);
        if (block != null) {
            return block;
        }
        block = Block.decode(readVerified(new BlockHandle(offset, blockSizes[blockIndex])), path, offset);
        if (index.compareKey(blockIndex, block.key(block.count() - 1)) != 0) {
            throw new CorruptionException(path, offset, "last key of data block " + blockIndex + " disagrees with the index");
        }
        if (fillCache) {
            cache.put(fileNumber, offset, block);
        }
        return block;
    }

    /**
     * Reads a stored block and its trailer, verifies the CRC and compression code, and returns the decoded
     * (decompressed) bytes. Any failure is a {@link CorruptionException} at the block's offset.
     */
    private byte[] readVerified(BlockHandle handle) {
        int storedLength = handle.size();
        byte[] stored;
        try {
            stored = file.readFully(handle.offset(), storedLength + SegmentFormat.BLOCK_TRAILER_BYTES);
        } catch (IOException e) {
            throw new StorageException("cannot read block at " + handle.offset() + " of segment " + path, e);
        }
        byte code = stored[storedLength];
        int storedCrc = ByteCoding.getInt(stored, storedLength + 1);
        if (storedCrc != SegmentWriter.blockChecksum(stored, storedLength, code)) {
            throw new CorruptionException(path, handle.offset(), "block checksum mismatch");
        }
        Compression compression;
        try {
            compression = Compression.fromCode(code & 0xFF);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(path, handle.offset(), "unknown block compression code " + (code & 0xFF));
        }
        if (compression == Compression.NONE) {
            return storedLength == stored.length ? stored : java.util.Arrays.copyOf(stored, storedLength);
        }
        return decompressLz4(stored, storedLength, handle.offset());
    }

    private byte[] decompressLz4(byte[] stored, int storedLength, long blockOffset) {
        try {
            ByteCoding.Reader reader = new ByteCoding.Reader(stored, 0, storedLength);
            long rawBound = Math.min((long) storedLength * SegmentFormat.LZ4_EXPANSION_RATIO_MAX + 64,
                    Integer.MAX_VALUE - 16);
            int rawLength = reader.varInt((int) rawBound);
            byte[] raw = new byte[rawLength];
            int produced = LZ4.decompress(stored, reader.position(), reader.remaining(), raw, 0, rawLength);
            if (produced != rawLength) {
                throw new IllegalArgumentException("decompressed " + produced + " of " + rawLength + " bytes");
            }
            return raw;
        } catch (LZ4Exception | IllegalArgumentException e) {
            throw new CorruptionException(path, blockOffset, "LZ4 block failed to decompress: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ReadableFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // Already failing with a more useful error.
        }
    }

    @Override
    public String toString() {
        return "SegmentReader[" + path + ", " + footer.entryCount() + " entries, " + blockOffsets.length + " blocks]";
    }
}
