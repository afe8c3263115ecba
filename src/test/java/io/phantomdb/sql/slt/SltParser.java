package io.phantomdb.sql.slt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a sqllogictest script into {@link SltRecord}s, following the record format of
 * {@code shared/conformance/sqllogictest/README.md}: a trailing CR is stripped from every line first,
 * comment lines ({@code #...}) are dropped wherever they are without ending a record, and records are
 * separated by one or more blank lines.
 *
 * <p>The parser never throws on bad input: a record it cannot read becomes {@link SltRecord.Invalid}, so a
 * single malformed record shows up as one reported failure instead of silently removing a whole file from
 * the pass rate.
 */
public final class SltParser {

    private static final Pattern HASH_LINE = Pattern.compile("(\\d{1,9}) values hashing to ([0-9a-f]{32})");
    private static final Pattern TYPES = Pattern.compile("[IRT]+");
    private static final Pattern SPACES = Pattern.compile("[ \\t]+");
    private static final String RESULT_SEPARATOR = "----";

    private SltParser() {
    }

    /** Parses a script file; its bytes are read as UTF-8 (the corpus is ASCII). */
    public static List<SltRecord> parse(Path file) throws IOException {
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    /** Parses the text of a script. */
    public static List<SltRecord> parse(String text) {
        List<SltRecord> records = new ArrayList<>();
        for (Chunk chunk : chunks(text)) {
            records.add(parseChunk(chunk));
        }
        return records;
    }

    /** Numbered lines of one record, comments already removed. */
    private record Chunk(List<Integer> lineNumbers, List<String> lines) {
        int size() {
            return lines.size();
        }
    }

    /** Splits the text into records: runs of non-blank lines, with comment lines skipped, not counted as blank. */
    private static List<Chunk> chunks(String text) {
        List<Chunk> chunks = new ArrayList<>();
        Chunk current = newChunk();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripCr(lines[i]);
            if (line.startsWith("#")) {
                continue;
            }
            if (isBlank(line)) {
                current = flush(chunks, current);
            } else {
                current.lineNumbers().add(i + 1);
                current.lines().add(line);
            }
        }
        flush(chunks, current);
        return chunks;
    }

    private static Chunk newChunk() {
        return new Chunk(new ArrayList<>(), new ArrayList<>());
    }

    private static Chunk flush(List<Chunk> chunks, Chunk current) {
        if (current.size() == 0) {
            return current;
        }
        chunks.add(current);
        return newChunk();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** A line of only spaces and tabs separates records just like an empty one. */
    private static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String[] words(String line) {
        return SPACES.split(line.trim());
    }

    private static SltRecord parseChunk(Chunk chunk) {
        List<SltCondition> conditions = new ArrayList<>();
        int i = 0;
        while (i < chunk.size() && isCondition(chunk.lines().get(i))) {
            String[] w = words(chunk.lines().get(i));
            conditions.add(new SltCondition(w[0].equals("onlyif"), w[1], chunk.lineNumbers().get(i)));
            i++;
        }
        if (i == chunk.size()) {
            int line = chunk.lineNumbers().get(0);
            return new SltRecord.Invalid(line, List.copyOf(conditions), "", "conditions without a record");
        }
        return parseCommand(chunk, i, List.copyOf(conditions));
    }

    private static boolean isCondition(String line) {
        // Cheap test first: nearly every record starts with "statement" or "query".
        String start = line.stripLeading();
        if (!start.startsWith("skipif") && !start.startsWith("onlyif")) {
            return false;
        }
        String[] w = words(line);
        return w.length >= 2 && (w[0].equals("skipif") || w[0].equals("onlyif"));
    }

    private static SltRecord parseCommand(Chunk chunk, int at, List<SltCondition> conditions) {
        String[] w = words(chunk.lines().get(at));
        int line = chunk.lineNumbers().get(at);
        List<String> body = chunk.lines().subList(at + 1, chunk.size());
        switch (w[0]) {
            case "statement":
                return statement(line, conditions, w, body);
            case "query":
                return query(line, conditions, w, body);
            case "halt":
                return new SltRecord.Halt(line, conditions);
            case "hash-threshold":
                return hashThreshold(line, conditions, w);
            default:
                return new SltRecord.Invalid(line, conditions, w[0], "unknown record type '" + w[0] + "'");
        }
    }

    private static SltRecord statement(int line, List<SltCondition> conditions, String[] w, List<String> body) {
        // Words after ok/error are ignored: the README says any error satisfies "statement error".
        boolean ok = w.length >= 2 && w[1].equals("ok");
        boolean error = w.length >= 2 && w[1].equals("error");
        if (!ok && !error) {
            return new SltRecord.Invalid(line, conditions, "statement", "expected 'statement ok' or 'statement error'");
        }
        if (body.isEmpty()) {
            return new SltRecord.Invalid(line, conditions, "statement", "statement without SQL");
        }
        return new SltRecord.Statement(line, conditions, error, String.join("\n", body));
    }

    private static SltRecord hashThreshold(int line, List<SltCondition> conditions, String[] w) {
        if (w.length != 2 || !w[1].matches("\\d{1,9}")) {
            return new SltRecord.Invalid(line, conditions, "hash-threshold", "expected 'hash-threshold <n>'");
        }
        return new SltRecord.HashThreshold(line, conditions, Integer.parseInt(w[1]));
    }

    private static SltRecord query(int line, List<SltCondition> conditions, String[] w, List<String> body) {
        Optional<String> problem = checkQueryLine(w);
        if (problem.isPresent()) {
            return new SltRecord.Invalid(line, conditions, "query", problem.get());
        }
        int separator = body.indexOf(RESULT_SEPARATOR);
        List<String> sql = separator < 0 ? body : body.subList(0, separator);
        List<String> result = separator < 0 ? List.of() : body.subList(separator + 1, body.size());
        if (sql.isEmpty()) {
            return new SltRecord.Invalid(line, conditions, "query", "query without SQL");
        }
        SltSortMode sort = w.length >= 3 ? SltSortMode.parse(w[2]).orElseThrow() : SltSortMode.NOSORT;
        String label = w.length >= 4 ? w[3] : null;
        return new SltRecord.Query(line, conditions, w[1], sort, label, String.join("\n", sql), expected(result));
    }

    /** The query line must be {@code query <IRT...> [<sort mode> [<label>]]}; returns what is wrong, if anything. */
    private static Optional<String> checkQueryLine(String[] w) {
        if (w.length < 2 || !TYPES.matcher(w[1]).matches()) {
            return Optional.of("expected 'query <types>' with types made of I, R and T");
        }
        if (w.length >= 3 && SltSortMode.parse(w[2]).isEmpty()) {
            return Optional.of("unknown sort mode '" + w[2] + "'");
        }
        if (w.length > 4) {
            return Optional.of("too many words on the query line");
        }
        return Optional.empty();
    }

    private static SltExpected expected(List<String> result) {
        if (result.size() == 1) {
            Matcher m = HASH_LINE.matcher(result.get(0).trim());
            if (m.matches()) {
                return new SltExpected.Hash(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return new SltExpected.Values(result);
    }
}
