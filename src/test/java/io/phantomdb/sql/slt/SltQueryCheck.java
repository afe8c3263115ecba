package io.phantomdb.sql.slt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether the rows a query returned are right: column count, rendering, sort mode, comparison
 * with the expected values or digest, and agreement with earlier queries of the same label. One instance
 * serves one file, because labels are scoped to a file.
 */
final class SltQueryCheck {

    /** The first executed query of a label: its line and the digest line of its sorted result. */
    private record LabelResult(int line, String hashLine) {
    }

    private static final int SHOWN_CHARS = 120;
    private final Map<String, LabelResult> labels = new HashMap<>();

    /** What is wrong with {@code rows} as the answer to {@code q}, or empty when it is right. */
    Optional<String> check(SltRecord.Query q, List<Object[]> rows, int hashThreshold) {
        if (rows == null) {
            return Optional.of("the database returned null instead of a row list");
        }
        Optional<String> columns = checkColumns(q.types().length(), rows);
        if (columns.isPresent()) {
            return columns;
        }
        SltValues actual = new SltValues(SltRenderer.renderRows(rows, q.types()))
                .sorted(q.sortMode(), q.types().length());
        List<String> problems = new ArrayList<>();
        if (!actual.matches(q.expected())) {
            problems.add(wrongResult(q.expected(), actual, hashThreshold));
        }
        labelDisagreement(q, actual).ifPresent(problems::add);
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static Optional<String> checkColumns(int expected, List<Object[]> rows) {
        for (Object[] row : rows) {
            int got = row == null ? 0 : row.length;
            if (got != expected) {
                return Optional.of("wrong column count: expected " + expected + ", got " + got);
            }
        }
        return Optional.empty();
    }

    /**
     * The expected and actual results, each in script form; the actual one follows the hash threshold in
     * force, so it reads exactly as the line the script would need.
     */
    private static String wrongResult(SltExpected expected, SltValues actual, int hashThreshold) {
        String got = actual.hashedUnder(hashThreshold) ? actual.hashLine() : valuesText(actual.values());
        return "wrong result: expected " + describe(expected) + ", got " + got + firstDifference(expected, actual);
    }

    private static String describe(SltExpected expected) {
        if (expected instanceof SltExpected.Hash) {
            SltExpected.Hash h = (SltExpected.Hash) expected;
            return h.count() + " values hashing to " + h.md5();
        }
        return valuesText(((SltExpected.Values) expected).values());
    }

    /** {@code 3 values: 1 2 3}, cut short for long results; {@code 0 values} for none. */
    private static String valuesText(List<String> values) {
        String shown = values.isEmpty() ? "" : ": " + SltMessages.shorten(String.join(" ", values), SHOWN_CHARS);
        return values.size() + " values" + shown;
    }

    private static String firstDifference(SltExpected expected, SltValues actual) {
        if (!(expected instanceof SltExpected.Values)) {
            return "";
        }
        List<String> want = ((SltExpected.Values) expected).values();
        List<String> got = actual.values();
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            if (!want.get(i).equals(got.get(i))) {
                return " (first difference at value " + (i + 1) + ": expected " + want.get(i) + ", got " + got.get(i) + ")";
            }
        }
        return "";
    }

    /** README rule 5: every query of a label must produce the result of the first one that ran. */
    private Optional<String> labelDisagreement(SltRecord.Query q, SltValues actual) {
        if (q.label() == null) {
            return Optional.empty();
        }
        LabelResult first = labels.putIfAbsent(q.label(), new LabelResult(q.line(), actual.hashLine()));
        if (first == null || first.hashLine().equals(actual.hashLine())) {
            return Optional.empty();
        }
        return Optional.of("label " + q.label() + " disagrees with line " + first.line() + ": "
                + first.hashLine() + " there, " + actual.hashLine() + " here");
    }
}
