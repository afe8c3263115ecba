package io.phantomdb.sql.ddl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING btree] (column [ASC | DESC], ...)}.
 *
 * @param name the index name, or null when the statement gave none: the executor then picks one with
 *     {@link #chooseName} (PostgreSQL's rule, {@code <table>_<columns>_idx}); IF NOT EXISTS requires a name
 */
public record CreateIndex(String name, String table, List<IndexColumn> columns, boolean unique,
        boolean ifNotExists) implements DdlStatement {

    /** PostgreSQL's NAMEDATALEN - 1: the longest name, in UTF-8 bytes, that it generates. */
    private static final int GENERATED_NAME_BYTES_MAX = 63;

    public CreateIndex {
        columns = List.copyOf(columns);
        if (table == null || columns.isEmpty() || (ifNotExists && name == null)) {
            throw new IllegalArgumentException("bad CREATE INDEX: table " + table + ", columns " + columns);
        }
    }

    /**
     * The name PostgreSQL 15 gives an unnamed index ({@code ChooseRelationName}): the table name, the column
     * names and "idx" joined by underscores, shortened to 63 bytes by trimming the longer of the table and
     * column parts; if that name is taken, "idx1", "idx2", ... instead of "idx".
     *
     * @param taken whether a name is already used by a table, index or view
     */
    public String chooseName(Predicate<String> taken) {
        List<String> columnNames = new ArrayList<>();
        for (IndexColumn column : columns) {
            columnNames.add(column.name());
        }
        String joined = String.join("_", columnNames);
        for (int pass = 0; ; pass++) {
            String candidate = makeObjectName(table, joined, pass == 0 ? "idx" : "idx" + pass);
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }

    /** PostgreSQL's {@code makeObjectName}: name1_name2_label within 63 bytes, cut on character boundaries. */
    private static String makeObjectName(String name1, String name2, String label) {
        int available = GENERATED_NAME_BYTES_MAX - 1 - (label.length() + 1);
        int name1Bytes = utf8Length(name1);
        int name2Bytes = utf8Length(name2);
        while (name1Bytes + name2Bytes > available) {
            if (name1Bytes > name2Bytes) {
                name1Bytes--;
            } else {
                name2Bytes--;
            }
        }
        return clip(name1, name1Bytes) + "_" + clip(name2, name2Bytes) + "_" + label;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code bytes} bytes. */
    private static String clip(String s, int bytes) {
        int end = 0;
        int used = 0;
        while (end < s.length()) {
            int codePoint = s.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (used + size > bytes) {
                break;
            }
            used += size;
            end += Character.charCount(codePoint);
        }
        return s.substring(0, end);
    }
}
