package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link SltParser} reads the record format of {@code shared/conformance/sqllogictest/README.md}
 * exactly: CRLF, comments that do not end records, conditions with trailing comments, query line parts,
 * value and digest results, halt, hash-threshold, line numbers, and malformed records kept as
 * {@link SltRecord.Invalid} instead of being lost.
 *
 * <p>Method: small inline scripts are parsed and the resulting records compared field by field.
 */
class SltParserTest {

    private static final String MD5 = "75c998aa53ac83218cbf2feb962d0a49";

    @Test
    void crlfIsStrippedFromEveryLine() {
        String script = "statement ok\nCREATE TABLE t(a INTEGER)\n\nquery I rowsort\nSELECT a\nFROM t\n----\n1\n2\n\n"
                + "query II nosort\nSELECT a, a FROM t\n----\n9 values hashing to " + MD5 + "\n";
        List<SltRecord> records = SltParser.parse(script.replace("\n", "\r\n"));

        assertEquals(3, records.size());
        assertEquals("CREATE TABLE t(a INTEGER)", statement(records.get(0)).sql());
        SltRecord.Query q = query(records.get(1));
        assertEquals("SELECT a\nFROM t", q.sql());
        assertEquals(new SltExpected.Values(List.of("1", "2")), q.expected());
        assertEquals(new SltExpected.Hash(9, MD5), query(records.get(2)).expected());
    }

    @Test
    void commentLinesAreDroppedAndDoNotEndARecord() {
        String script = """
                # leading comment
                query I nosort
                SELECT 1
                # a comment inside the SQL
                  + 1
                ----
                # a comment inside the result
                2
                """;
        List<SltRecord> records = SltParser.parse(script);

        assertEquals(1, records.size());
        SltRecord.Query q = query(records.get(0));
        assertEquals("SELECT 1\n  + 1", q.sql());
        assertEquals(new SltExpected.Values(List.of("2")), q.expected());
        assertEquals(2, q.line());
    }

    @Test
    void blankLinesSeparateRecordsAndLinesAreOneBased() {
        String script = "hash-threshold 8\n\n\n   \nstatement ok\nINSERT 1\n\nskipif mysql\nstatement error\nINSERT 2\n";
        List<SltRecord> records = SltParser.parse(script);

        assertEquals(3, records.size());
        assertEquals(1, records.get(0).line());
        assertEquals(5, records.get(1).line());
        assertEquals(9, records.get(2).line(), "the line of the command, not of its condition");
        assertEquals(8, records.get(2).conditions().get(0).line());
    }

    @Test
    void conditionsKeepOnlyTheEngineName() {
        String script = """
                onlyif mysql # DIV for integer division:\s
                skipif postgresql # not compatible
                query I rowsort label-1
                SELECT 20 DIV 3
                ----
                6
                """;
        SltRecord q = SltParser.parse(script).get(0);

        assertEquals(List.of(new SltCondition(true, "mysql", 1), new SltCondition(false, "postgresql", 2)),
                q.conditions());
        assertTrue(q.appliesTo("mysql"));
        assertFalse(q.appliesTo("postgresql"));
        assertFalse(q.appliesTo("phantomdb"), "onlyif mysql excludes every other engine");
    }

    @Test
    void queryLineGivesTypesSortModeAndLabel() {
        List<SltRecord> records = SltParser.parse("""
                query ITR
                SELECT 1, 'a', 1.5
                ----
                1
                a
                1.500

                query I valuesort label-7
                SELECT 1
                ----
                1
                """);
        SltRecord.Query plain = query(records.get(0));
        assertEquals("ITR", plain.types());
        assertEquals(SltSortMode.NOSORT, plain.sortMode(), "nosort is the default");
        assertNull(plain.label());
        SltRecord.Query labelled = query(records.get(1));
        assertEquals(SltSortMode.VALUESORT, labelled.sortMode());
        assertEquals("label-7", labelled.label());
    }

    @Test
    void missingOrEmptyResultMeansNoRows() {
        List<SltRecord> records = SltParser.parse("query I\nSELECT 1 WHERE 0\n\nquery I\nSELECT 2 WHERE 0\n----\n");
        assertEquals(new SltExpected.Values(List.of()), query(records.get(0)).expected());
        assertEquals(new SltExpected.Values(List.of()), query(records.get(1)).expected());
        assertEquals("SELECT 2 WHERE 0", query(records.get(1)).sql());
    }

    @Test
    void statementOkAndError() {
        List<SltRecord> records = SltParser.parse("statement ok\nCREATE TABLE t(a INT)\n\nstatement error\nDROP X\n");
        assertFalse(statement(records.get(0)).expectError());
        assertTrue(statement(records.get(1)).expectError());
    }

    @Test
    void haltAndHashThresholdAreRecords() {
        List<SltRecord> records = SltParser.parse("onlyif mssql\nhalt\n\nhash-threshold 0\n\nhalt\n");
        assertInstanceOf(SltRecord.Halt.class, records.get(0));
        assertEquals(List.of(new SltCondition(true, "mssql", 1)), records.get(0).conditions());
        assertEquals(0, ((SltRecord.HashThreshold) records.get(1)).threshold());
        assertInstanceOf(SltRecord.Halt.class, records.get(2));
    }

    @Test
    void malformedRecordsAreKeptAsInvalid() {
        List<SltRecord> records = SltParser.parse("""
                query X
                SELECT 1

                query I upsidedown
                SELECT 1

                statement maybe
                SELECT 1

                frobnicate

                skipif mysql
                """);
        assertEquals(5, records.size());
        assertEquals(List.of("query", "query", "statement", "frobnicate", ""),
                records.stream().map(r -> ((SltRecord.Invalid) r).command()).toList());
        assertEquals(12, records.get(4).line());
    }

    private static SltRecord.Statement statement(SltRecord r) {
        return assertInstanceOf(SltRecord.Statement.class, r);
    }

    private static SltRecord.Query query(SltRecord r) {
        return assertInstanceOf(SltRecord.Query.class, r);
    }
}
