package io.phantomdb.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link FileSystem} over {@link FileChannel}. {@code sync()} is {@code force(false)} (fdatasync). */
public final class RealFileSystem implements FileSystem {

    public static final RealFileSystem INSTANCE = new RealFileSystem();

    /** Zeros written per call when preallocating; read-only, so every caller can share it. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private RealFileSystem() {}

    @Override
    public WritableFile create(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new ChannelWritableFile(channel, 0);
    }

    @Override
    public WritableFile createPreallocated(Path path, long bytes) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("preallocation of " + bytes + " bytes");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeZeros(channel, bytes);
            // Real zeros, not a sparse length (setLength) or fallocate: writing into a hole or an unwritten
            // extent changes the block map, which a later fdatasync would have to commit after all. And
            // force(true) once here, so the size and block map are on disk before the first append.
            channel.force(true);
            return new ChannelWritableFile(channel, 0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void writeZeros(FileChannel channel, long bytes) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        long position = 0;
        while (position < bytes) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
        }
    }

    @Override
    public ReadableFile openRead(Path path) throws IOException {
        return new ChannelReadableFile(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public long size(Path path) throws IOException {
        return Files.size(path);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + source + " -> " + target, e);
        }
    }

    @Override
    public void truncate(Path path, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // On Linux a directory can be opened read-only and fsynced; this makes names durable.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public DirectoryLock lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("directory is in use by another engine: " + lockFile);
        }
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                channel.close();
            }
        };
    }

    private static final class ChannelWritableFile implements WritableFile {
        private final FileChannel channel;
        /** Offset of the next append; positional writes, so a preallocated file is overwritten in place. */
        private long size;

        ChannelWritableFile(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer, size + (length - buffer.remaining()));
            }
            size += length;
        }

        @Override
        public void sync() throws IOException {
            channel.force(false);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class ChannelReadableFile implements ReadableFile {
        private final FileChannel channel;

        ChannelReadableFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            return channel.read(ByteBuffer.wrap(buffer, offset, length), position);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
