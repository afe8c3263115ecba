package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Goal: the parser reads every script of the shared corpus completely: per file, the numbers of statements,
 * queries, digest results, queries per sort mode and skipif/onlyif lines equal the table in the corpus
 * README (which counts lines starting with {@code statement} / {@code query}), no record is malformed, and
 * the table lists exactly the files present.
 *
 * <p>Method: the README's "Files in this folder" table is read at test time, so the check follows the
 * corpus if files are added; one row is also pinned here (select1.test: 31 statements, 1000 queries, 909
 * hashed) so that a table reader that silently finds nothing cannot pass.
 */
class SltCorpusParseTest {

    /** {@code | file | statements | queries | hashed | n/r/v | conditions |} */
    private static final Pattern ROW = Pattern.compile(
            "\\| (\\S+\\.test) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+)/(\\d+)/(\\d+) \\| (\\d+) \\|");

    /** The per-file numbers, in the README's column order. */
    record FileCounts(int statements, int queries, int hashed, int nosort, int rowsort, int valuesort,
            int conditions) {
    }

    static Path corpus() {
        String shared = System.getProperty("phantom.shared.dir");
        assertNotNull(shared, "phantom.shared.dir is set by Surefire (pom.xml); run through Maven");
        Path dir = Path.of(shared, "conformance", "sqllogictest");
        assertTrue(Files.isDirectory(dir), "missing corpus folder " + dir);
        return dir;
    }

    @Test
    void everyCorpusFileParsesToTheCountsInTheReadme() throws IOException {
        Path root = corpus();
        Map<String, FileCounts> expected = readmeTable(root.resolve("README.md"));
        Map<String, FileCounts> actual = new TreeMap<>();
        for (Path file : SltRunner.testFiles(root)) {
            actual.put(SltRunner.displayName(root, file), count(SltParser.parse(file)));
        }

        assertEquals(new FileCounts(31, 1000, 909, 1000, 0, 0, 0), expected.get("select1.test"));
        assertEquals(24, expected.size(), "README lists 24 files");
        assertEquals(expected.keySet(), actual.keySet(), "README table and folder list the same files");
        expected.forEach((file, counts) -> assertEquals(counts, actual.get(file), file));
    }

    @Test
    void noCorpusRecordIsMalformed() throws IOException {
        List<String> invalid = new ArrayList<>();
        Path root = corpus();
        for (Path file : SltRunner.testFiles(root)) {
            for (SltRecord r : SltParser.parse(file)) {
                if (r instanceof SltRecord.Invalid) {
                    invalid.add(SltRunner.displayName(root, file) + ":" + r.line() + " " + r);
                }
            }
        }
        assertEquals(List.of(), invalid);
    }

    static Map<String, FileCounts> readmeTable(Path readme) throws IOException {
        Map<String, FileCounts> rows = new TreeMap<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                rows.put(m.group(1), new FileCounts(num(m, 2), num(m, 3), num(m, 4), num(m, 5), num(m, 6), num(m, 7),
                        num(m, 8)));
            }
        }
        return rows;
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Counts parsed records the way the README table counts lines. */
    static FileCounts count(List<SltRecord> records) {
        int statements = 0;
        int hashed = 0;
        int conditions = 0;
        int[] sorts = new int[SltSortMode.values().length];
        for (SltRecord r : records) {
            conditions += r.conditions().size();
            if (r instanceof SltRecord.Statement) {
                statements++;
            } else if (r instanceof SltRecord.Query) {
                SltRecord.Query q = (SltRecord.Query) r;
                sorts[q.sortMode().ordinal()]++;
                hashed += q.expected() instanceof SltExpected.Hash ? 1 : 0;
            }
        }
        int queries = sorts[0] + sorts[1] + sorts[2];
        return new FileCounts(statements, queries, hashed, sorts[SltSortMode.NOSORT.ordinal()],
                sorts[SltSortMode.ROWSORT.ordinal()], sorts[SltSortMode.VALUESORT.ordinal()], conditions);
    }
}
