package io.phantomdb.sql.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: every CREATE/DROP statement of the sqllogictest corpus (/work/shared/conformance/sqllogictest) parses,
 * into the statement kind its text says, and no other statement or query of the corpus is taken for DDL.
 *
 * <p>Method: read every {@code *.test} file as its README describes (strip CR, drop '#' comment lines,
 * records separated by blank lines), take the SQL of every {@code statement ok}/{@code statement error} and
 * {@code query} record, and parse each with {@link DdlParser}. The file list and the statement counts are
 * checked too, so a missing corpus fails instead of passing vacuously.
 */
class DdlCorpusTest {

    /** One SQL text of the corpus and where it is. */
    record Sql(String text, String kind, Path file, int line) {
        String where() {
            return file.getFileName() + ":" + line + ": " + text;
        }
    }

    private static List<Sql> corpus;

    @BeforeAll
    static void readCorpus() throws IOException {
        Path root = corpusRoot();
        assertTrue(Files.isDirectory(root), "no sqllogictest corpus at " + root.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> paths = Files.walk(root)) {
            files = paths.filter(p -> p.toString().endsWith(".test")).sorted().collect(Collectors.toList());
        }
        assertEquals(24, files.size(), "the corpus README lists 24 files");
        corpus = new ArrayList<>();
        for (Path file : files) {
            corpus.addAll(records(file));
        }
    }

    @Test
    void everyCreateAndDropStatementParses() {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Sql sql : corpus) {
            if (!sql.kind().equals("statement ok") || !startsWithCreateOrDrop(sql.text())) {
                continue;
            }
            try {
                Optional<DdlStatement> statement = DdlParser.parse(sql.text());
                if (statement.isEmpty() || !kindMatches(sql.text(), statement.get())) {
                    failures.add(sql.where() + " -> " + statement);
                }
                parsed++;
            } catch (PhantomSqlException e) {
                failures.add(sql.where() + " -> " + e);
            }
        }
        assertEquals(List.of(), failures.stream().limit(20).collect(Collectors.toList()), failures.size() + " failures");
        assertTrue(parsed >= 6000, "expected the ~6,100 DDL statements of the corpus, found " + parsed);
    }

    @Test
    void noOtherStatementOrQueryIsTakenForDdl() {
        int checked = 0;
        for (Sql sql : corpus) {
            if (startsWithCreateOrDrop(sql.text())) {
                continue;
            }
            if (DdlParser.parse(sql.text()).isPresent()) {
                fail("taken for DDL: " + sql.where());
            }
            checked++;
        }
        assertTrue(checked > 190_000, "expected ~200,000 INSERT/SELECT/... texts, found " + checked);
    }

    @Test
    void theCorpusTableDefinitionsComeOutRight() {
        CreateTable table = (CreateTable) DdlParser.parse("CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col0 INTEGER,"
                + " col1 FLOAT, col2 TEXT, col3 INTEGER, col4 FLOAT, col5 TEXT)").orElseThrow();
        assertEquals(List.of("pk"), table.primaryKey());
        assertEquals(List.of(DataType.INTEGER, DataType.INTEGER, DataType.DOUBLE, DataType.VARCHAR, DataType.INTEGER,
                DataType.DOUBLE, DataType.VARCHAR),
                table.columns().stream().map(c -> c.type().type()).collect(Collectors.toList()));
        CreateIndex index = (CreateIndex) DdlParser.parse("CREATE UNIQUE INDEX idx_tab1_3 ON tab1 (col4 DESC,col1)")
                .orElseThrow();
        assertEquals(List.of(new IndexColumn("col4", true), new IndexColumn("col1", false)), index.columns());
        CreateView view = (CreateView) DdlParser.parse("CREATE VIEW view_1_tab0_153 AS SELECT pk, col0 FROM tab0"
                + " WHERE col0 = 49").orElseThrow();
        assertEquals("SELECT pk, col0 FROM tab0 WHERE col0 = 49", view.querySql());
    }

    // ---------------------------------------------------------------- corpus reading

    private static Path corpusRoot() {
        String shared = System.getProperty("phantom.shared.dir", "../shared");
        return Path.of(shared, "conformance", "sqllogictest");
    }

    /** The SQL of each statement and query record of one file. */
    static List<Sql> records(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        List<Sql> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean statement = line.startsWith("statement ");
            if (!statement && !line.startsWith("query ")) {
                continue;
            }
            String kind = statement ? line.trim() : "query";
            StringBuilder sql = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).isEmpty() && !lines.get(j).equals("----"); j++) {
                if (!lines.get(j).startsWith("#")) {
                    sql.append(sql.length() == 0 ? "" : "\n").append(lines.get(j));
                }
            }
            records.add(new Sql(sql.toString(), kind, file, i + 1));
            i = j;
        }
        return records;
    }

    private static boolean startsWithCreateOrDrop(String sql) {
        String upper = sql.stripLeading().toUpperCase(Locale.ROOT);
        return upper.startsWith("CREATE") || upper.startsWith("DROP");
    }

    private static boolean kindMatches(String sql, DdlStatement statement) {
        String[] words = sql.trim().toUpperCase(Locale.ROOT).split("\\s+");
        String object = words[1].equals("UNIQUE") ? words[2] : words[1];
        String expected = (words[0].equals("CREATE") ? "Create" : "Drop") + object.charAt(0)
                + object.substring(1).toLowerCase(Locale.ROOT);
        return statement.getClass().getSimpleName().equals(expected);
    }
}
