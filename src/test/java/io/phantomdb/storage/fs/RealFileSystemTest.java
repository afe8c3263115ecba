package io.phantomdb.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@link RealFileSystem#createPreallocated} gives a file of exactly the asked size, all zeros, that
 * appends overwrite from offset 0 without changing its size until they run past its end, which is what
 * makes a WAL fsync cheap. Method: real files in {@code @TempDir}, checked with {@link Files}.
 */
class RealFileSystemTest {

    private static final FileSystem FS = RealFileSystem.INSTANCE;

    @TempDir
    Path dir;

    @Test
    void preallocatedFileIsZerosOfTheAskedSizeAndAppendsOverwriteThem() throws IOException {
        Path path = dir.resolve("a.wal");
        long size = (1 << 20) * 2 + 5; // more than one zero chunk, not a multiple of it
        try (WritableFile file = FS.createPreallocated(path, size)) {
            assertEquals(size, Files.size(path));
            assertEquals(0, file.size());
            file.append(bytes("record one"));
            file.append(bytes("|two"));
            file.sync();
            assertEquals(14, file.size());
            assertEquals(size, Files.size(path), "overwrites inside the file keep its size");
        }
        byte[] content = Files.readAllBytes(path);
        assertArrayEquals(bytes("record one|two"), Arrays.copyOf(content, 14));
        assertArrayEquals(new byte[(int) size - 14], Arrays.copyOfRange(content, 14, content.length));
    }

    @Test
    void appendsPastThePreallocatedEndGrowTheFile() throws IOException {
        Path path = dir.resolve("b.wal");
        try (WritableFile file = FS.createPreallocated(path, 4)) {
            file.append(bytes("0123456789"));
            assertEquals(10, file.size());
        }
        assertArrayEquals(bytes("0123456789"), Files.readAllBytes(path));
    }

    @Test
    void preallocationReplacesAnExistingFile() throws IOException {
        Path path = dir.resolve("c.wal");
        Files.write(path, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        FS.createPreallocated(path, 4).close();
        assertArrayEquals(new byte[4], Files.readAllBytes(path));
        assertThrows(IllegalArgumentException.class, () -> FS.createPreallocated(path, 0));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
