package io.phantomdb.sql.slt;

import io.phantomdb.Row;
import io.phantomdb.testkit.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Phantom-DB as a sqllogictest database: a fresh one-node database in its own temporary directory per script
 * file, driven through the embedded API (the same {@code sql}/{@code execute} calls an application uses).
 * Closing deletes the directory.
 */
final class PhantomSltDatabase implements SltDatabase {
    private final Path dir;
    private final TestNode node;

    PhantomSltDatabase(Map<String, Object> settings) {
        try {
            dir = Files.createTempDirectory("phantom-slt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node = new TestNode(dir, settings);
    }

    @Override
    public void execute(String sql) {
        node.execute(sql);
    }

    @Override
    public List<Object[]> query(String sql) {
        List<Object[]> rows = new ArrayList<>();
        for (Row r : node.query(sql)) {
            Object[] values = new Object[r.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.get(i);
            }
            rows.add(values);
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        node.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
