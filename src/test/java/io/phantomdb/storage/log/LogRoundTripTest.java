package io.phantomdb.storage.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Goal: every record a {@link LogWriter} writes comes back from a {@link LogReader} unchanged, in order,
 * at the offset the writer returned, whether records were appended one by one or as a group.
 *
 * <p>Method: jqwik generates lists of random payloads (including 1-byte ones and ones around the reader's
 * 1 MiB chunk size), writes them to a real file in a temporary directory, and reads them back in both
 * tail modes. jqwik has no {@code @TempDir}, so the class makes and removes its own directory.
 */
class LogRoundTripTest {

    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("log-round-trip");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 200)
    void recordsAppendedOneByOneReadBackInOrder(@ForAll("payloadLists") List<byte[]> payloads) throws IOException {
        Path path = dir.resolve("single.log");
        long[] offsets = LogFixtures.writeLog(path, payloads);
        assertReadsBack(path, payloads, offsets);
    }

    @Property(tries = 200)
    void recordsAppendedAsGroupsReadBackInOrder(@ForAll("payloadLists") List<byte[]> payloads,
            @ForAll("groupSizes") List<Integer> groupSizes) throws IOException {
        Path path = dir.resolve("grouped.log");
        long[] offsets = writeInGroups(path, payloads, groupSizes);
        assertReadsBack(path, payloads, offsets);
    }

    @Example
    void recordsLargerThanAReadChunkReadBack() throws IOException {
        int chunk = LogReader.CHUNK_BYTES;
        int[] sizes = {chunk - LogFormat.HEADER_BYTES, 1, chunk - 3, chunk + 1, 3 * chunk, 7, chunk};
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] payload = new byte[sizes[i]];
            new java.util.Random(i).nextBytes(payload);
            payloads.add(payload);
        }
        Path path = dir.resolve("large.log");
        long[] offsets = writeInGroups(path, payloads, List.of(2, 1, 4));
        assertReadsBack(path, payloads, offsets);
    }

    @Example
    void emptyFileIsACleanEmptyLog() throws IOException {
        Path path = dir.resolve("empty.log");
        LogFixtures.writeLog(path, List.of());
        assertReadsBack(path, List.of(), new long[0]);
    }

    @Provide
    Arbitrary<List<byte[]>> payloadLists() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(5_000).ofMaxSize(20_000);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, small), net.jqwik.api.Tuple.of(1, large)).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Integer>> groupSizes() {
        return Arbitraries.integers().between(0, 10).list().ofMaxSize(20);
    }

    /** Appends {@code payloads} in groups of the given sizes (the rest as one last group). */
    private static long[] writeInGroups(Path path, List<byte[]> payloads, List<Integer> groupSizes)
            throws IOException {
        long[] offsets = new long[payloads.size()];
        try (LogWriter writer = new LogWriter(RealFileSystem.INSTANCE.create(path))) {
            int next = 0;
            for (int g = 0; next < payloads.size(); g++) {
                int size = g < groupSizes.size() ? groupSizes.get(g) : payloads.size() - next;
                List<byte[]> group = payloads.subList(next, Math.min(payloads.size(), next + size));
                long start = writer.size();
                writer.appendAll(group);
                for (byte[] payload : group) {
                    offsets[next++] = start;
                    start += LogFormat.frameBytes(payload.length);
                }
                assertEquals(start, writer.size(), "writer size after a group");
            }
            writer.sync();
        }
        return offsets;
    }

    private static void assertReadsBack(Path path, List<byte[]> payloads, long[] offsets) throws IOException {
        long fileBytes = Files.size(path);
        for (LogReader.TailMode mode : LogReader.TailMode.values()) {
            LogFixtures.ReadResult result = LogFixtures.readAll(path, mode);
            assertEquals(payloads.size(), result.payloads().size(), "record count in " + mode);
            for (int i = 0; i < payloads.size(); i++) {
                assertArrayEquals(payloads.get(i), result.payloads().get(i), "payload " + i + " in " + mode);
                assertEquals(offsets[i], result.offsets().get(i), "offset of record " + i + " in " + mode);
            }
            assertEquals(fileBytes, result.validEnd(), "valid end in " + mode);
            assertTrue(result.tornTail().isEmpty(), "no torn tail in " + mode);
        }
    }
}
