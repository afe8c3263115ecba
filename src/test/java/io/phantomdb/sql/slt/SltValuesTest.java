package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: sorting, hashing and the script form of a result follow the README: rowsort compares rows column by
 * column on text in byte order ("10" before "9"), valuesort sorts single values, the digest is the MD5 of
 * every value followed by "\n", written {@code N values hashing to <md5>}, used only above the hash
 * threshold (0: never).
 *
 * <p>Method: fixed inputs with digests computed outside Java ({@code printf '1\n2\n3\n' | md5sum}), and one
 * digest taken from the corpus itself ({@code random/aggregates/slt_good_0.test}: the rows of {@code tab2}).
 */
class SltValuesTest {

    private static final String MD5_1_2_3 = "c0710d6b4f15dfa88f600b0e6b624077";

    @Test
    void rowsortUsesByteOrderOfTheText() {
        SltValues v = new SltValues(List.of("9", "10", "100", "-1"));
        assertEquals(List.of("-1", "10", "100", "9"), v.sorted(SltSortMode.ROWSORT, 1).values());
    }

    @Test
    void rowsortComparesColumnByColumnAndKeepsRowsTogether() {
        // Comparing rows as concatenated text ("101" < "199") would put the row "10","1" first.
        SltValues v = new SltValues(List.of("10", "1", "1", "99", "NULL", "0"));
        assertEquals(List.of("1", "99", "10", "1", "NULL", "0"), v.sorted(SltSortMode.ROWSORT, 2).values());
    }

    @Test
    void valuesortSortsSingleValuesAndNosortKeepsOrder() {
        SltValues v = new SltValues(List.of("b", "9", "10", "a"));
        assertEquals(List.of("10", "9", "a", "b"), v.sorted(SltSortMode.VALUESORT, 2).values());
        assertEquals(v, v.sorted(SltSortMode.NOSORT, 2));
    }

    @Test
    void digestIsMd5OfValuesEachFollowedByNewline() {
        SltValues v = new SltValues(List.of("1", "2", "3"));
        assertEquals(MD5_1_2_3, v.md5());
        assertEquals("3 values hashing to " + MD5_1_2_3, v.hashLine());
    }

    @Test
    void digestMatchesTheCorpusAfterRowsort() {
        // random/aggregates/slt_good_0.test: SELECT DISTINCT * FROM tab2 ... -> 9 values hashing to 75c9...
        SltValues rows = new SltValues(List.of("64", "77", "40", "75", "67", "58", "46", "51", "23"));
        assertEquals("9 values hashing to 75c998aa53ac83218cbf2feb962d0a49",
                rows.sorted(SltSortMode.ROWSORT, 3).hashLine());
    }

    @Test
    void hashThresholdDecidesTheScriptForm() {
        SltValues nine = new SltValues(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"));
        assertTrue(nine.scriptForm(8).matches("9 values hashing to [0-9a-f]{32}"), "more than 8 values: digest");
        assertEquals("1\n2\n3\n4\n5\n6\n7\n8\n9", nine.scriptForm(9), "not more than the threshold: values");
        assertFalse(nine.hashedUnder(0), "0 means never hash");
    }

    @Test
    void matchesComparesValuesOrDigest() {
        SltValues v = new SltValues(List.of("1", "2", "3"));
        assertTrue(v.matches(new SltExpected.Values(List.of("1", "2", "3"))));
        assertFalse(v.matches(new SltExpected.Values(List.of("1", "2"))), "too few values");
        assertFalse(v.matches(new SltExpected.Values(List.of("1", "2", "3", "4"))), "too many values");
        assertTrue(v.matches(new SltExpected.Hash(3, MD5_1_2_3)));
        assertFalse(v.matches(new SltExpected.Hash(4, MD5_1_2_3)), "the count is part of the digest line");
    }
}
