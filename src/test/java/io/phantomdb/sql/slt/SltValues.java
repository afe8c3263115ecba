package io.phantomdb.sql.slt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The rendered values of one query result, row-major (row 1's columns, then row 2's, ...), with the
 * operations the README defines on them: sorting by sort mode, the MD5 digest, and the script form.
 */
public record SltValues(List<String> values) {

    public SltValues {
        values = List.copyOf(values);
    }

    /** Number of values (rows x columns), the N of "N values hashing to ...". */
    public int count() {
        return values.size();
    }

    /**
     * The values in the order they are compared in. {@code rowsort} compares rows column by column on
     * their text; {@code valuesort} sorts single values. Rendered text is printable ASCII only, so
     * {@link String#compareTo} orders exactly as a byte-by-byte comparison ("10" before "9").
     */
    public SltValues sorted(SltSortMode mode, int columns) {
        switch (mode) {
            case ROWSORT:
                return new SltValues(sortRows(columns));
            case VALUESORT:
                List<String> copy = new ArrayList<>(values);
                Collections.sort(copy);
                return new SltValues(copy);
            default:
                return this;
        }
    }

    private List<String> sortRows(int columns) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i + columns <= values.size(); i += columns) {
            rows.add(values.subList(i, i + columns));
        }
        rows.sort(SltValues::compareRows);
        List<String> out = new ArrayList<>(values.size());
        rows.forEach(out::addAll);
        return out;
    }

    private static int compareRows(List<String> a, List<String> b) {
        for (int c = 0; c < a.size(); c++) {
            int cmp = a.get(c).compareTo(b.get(c));
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }

    /** MD5 (lower-case hex) of every value followed by {@code "\n"}, in the current order. */
    public String md5() {
        MessageDigest md = md5Digest();
        for (String v : values) {
            md.update(v.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    /** The digest line exactly as a script writes it: {@code <N> values hashing to <md5>}. */
    public String hashLine() {
        return count() + " values hashing to " + md5();
    }

    /**
     * The result as a script would record it under {@code hashThreshold}: the digest line when there are
     * more values than the threshold (0 means never hash), else the values one per line.
     */
    public String scriptForm(int hashThreshold) {
        return hashedUnder(hashThreshold) ? hashLine() : String.join("\n", values);
    }

    /** Whether a script writes this result as a digest under {@code hashThreshold} (0: never). */
    public boolean hashedUnder(int hashThreshold) {
        return hashThreshold > 0 && count() > hashThreshold;
    }

    /** Whether these (already sorted) values are the expected result, by value or by digest. */
    public boolean matches(SltExpected expected) {
        if (expected instanceof SltExpected.Hash) {
            SltExpected.Hash hash = (SltExpected.Hash) expected;
            return hash.count() == count() && hash.md5().equals(md5());
        }
        return ((SltExpected.Values) expected).values().equals(values);
    }
}
