package io.phantomdb.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Goal: values compare, equal and hash as PostgreSQL does: numbers by exact value across classes, NaN greatest
 * and equal to itself, -0.0 = 0.0, text in code-point order (C collation), bytea unsigned, false before true,
 * NULL placement on request, and keys that group exactly the SQL-equal values. Method: hand-picked edge values.
 */
class ValuesTest {

    @Test
    void numbersCompareByValueAcrossClasses() {
        assertEquals(0, Values.compare((short) 3, 3L));
        assertEquals(0, Values.compare(new BigDecimal("3.00"), 3));
        assertTrue(Values.compare(2, 2.5) < 0);
        assertTrue(Values.compare(new BigDecimal("0.1"), 0.1) < 0, "0.1 as a double is slightly above 0.1");
        assertTrue(Values.compare(9007199254740993L, 9007199254740992.0) > 0, "2^53+1 vs 2^53 without rounding");
        assertTrue(Values.compare(Long.MAX_VALUE, Double.POSITIVE_INFINITY) < 0);
        assertTrue(Values.compare(1.5f, new BigDecimal("1.25")) > 0);
    }

    @Test
    void nanIsGreatestAndEqualToItselfAndNegativeZeroEqualsZero() {
        assertTrue(Values.compare(Double.NaN, Double.POSITIVE_INFINITY) > 0);
        assertTrue(Values.compare(Long.MAX_VALUE, Double.NaN) < 0);
        assertEquals(0, Values.compare(Double.NaN, Float.NaN));
        assertTrue(Values.sqlEquals(Double.NaN, Double.NaN));
        assertEquals(0, Values.compare(-0.0, 0.0));
        assertTrue(Values.sqlEquals(-0.0f, 0));
        assertEquals(Values.keyOf(-0.0), Values.keyOf(0.0));
        assertEquals(Values.keyOf(Double.NaN), Values.keyOf(Float.NaN));
    }

    @Test
    void textComparesByCodePointNotByUtf16Unit() {
        assertTrue(Values.compare("B", "a") < 0, "C collation: upper case first");
        assertTrue(Values.compare("ab", "abc") < 0);
        // U+1F600 (a surrogate pair) is above U+FFFD, though its first UTF-16 unit (0xD83D) is below 0xFFFD.
        assertTrue(Values.compare("\uD83D\uDE00", "\uFFFD") > 0);
        assertTrue("\uD83D\uDE00".compareTo("\uFFFD") < 0, "premise: String.compareTo disagrees");
        assertEquals(0, Values.compare("é", "é"));
    }

    @Test
    void otherTypesUseTheirNaturalSqlOrder() {
        assertTrue(Values.compare(false, true) < 0);
        assertTrue(Values.compare(new byte[] {(byte) 0x80}, new byte[] {0x7f}) > 0, "bytea is unsigned");
        assertTrue(Values.compare(new byte[] {1}, new byte[] {1, 0}) < 0);
        assertTrue(Values.compare(LocalDate.of(2024, 1, 2), LocalDate.of(2023, 12, 31)) > 0);
        assertTrue(Values.compare(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.of(2024, 1, 1, 0, 1)) < 0);
        assertThrows(IllegalArgumentException.class, () -> Values.compare("1", 1));
    }

    @Test
    void compareNullablePlacesNullsAsAsked() {
        assertTrue(Values.compareNullable(null, 1, true) < 0);
        assertTrue(Values.compareNullable(null, 1, false) > 0);
        assertTrue(Values.compareNullable(1, null, false) < 0);
        assertEquals(0, Values.compareNullable(null, null, false));
        assertTrue(Values.compareNullable(1, 2, true) < 0);
    }

    @Test
    void keysGroupSqlEqualValuesTogether() {
        assertEquals(Values.keyOf(1), Values.keyOf(1L));
        assertEquals(Values.keyOf(new BigDecimal("1.50")), Values.keyOf(new BigDecimal("1.5")));
        assertEquals(Values.keyOf(new BigDecimal("0.000")), Values.keyOf(BigDecimal.ZERO));
        assertEquals(Values.keyOf(new BigDecimal("2.0")), Values.keyOf(2.0));
        assertEquals(Values.keyOf(new BigDecimal("0.5")), Values.keyOf(0.5f));
        assertNotEquals(Values.keyOf(new BigDecimal("0.1")), Values.keyOf(0.1));
        assertEquals(Values.keyOf(new byte[] {1, 2}), Values.keyOf(new byte[] {1, 2}));
        assertEquals(Values.keyOf(new byte[] {1, 2}).hashCode(), Values.keyOf(new byte[] {1, 2}).hashCode());
        assertNotEquals(Values.keyOf(new byte[] {1, 2}), Values.keyOf(new byte[] {1, 3}));
        assertNull(Values.keyOf(null));
        assertTrue(Values.sqlEquals(new byte[] {1, 2}, new byte[] {1, 2}));
        assertFalse(Values.sqlEquals("a", "A"));
    }

    @Test
    void groupKeysTreatNullsAsEqual() {
        Object[] a = {null, 1, "x"};
        Object[] b = {null, 1L, "y"};
        assertEquals(Values.groupKey(a, new int[] {0, 1}), Values.groupKey(b, new int[] {0, 1}));
        assertEquals(Values.groupKey(a, new int[] {0, 1}).hashCode(), Values.groupKey(b, new int[] {0, 1}).hashCode());
        assertNotEquals(Values.groupKey(a, new int[] {0, 2}), Values.groupKey(b, new int[] {0, 2}));
        assertNotEquals(Values.groupKey(a, new int[] {0}), Values.groupKey(new Object[] {0}, new int[] {0}));
    }
}
