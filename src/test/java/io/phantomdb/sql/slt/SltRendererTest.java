package io.phantomdb.sql.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link SltRenderer} turns Java values into the text the expected answers use, by type letter:
 * {@code NULL}; {@code I} as a C-style integer conversion (truncation toward zero, booleans 1/0, atoi on
 * text); {@code R} as {@code %.3f} whatever the default locale; {@code T} as text with {@code (empty)}
 * and {@code @} for every non-printable byte.
 *
 * <p>Method: one assertion per conversion rule on hand-picked values, including the edge cases (negative
 * fractions, text with leading spaces or no number, multi-byte characters).
 */
class SltRendererTest {

    @Test
    void nullIsNullForEveryType() {
        for (char type : "IRT".toCharArray()) {
            assertEquals("NULL", SltRenderer.render(null, type));
        }
    }

    @Test
    void integerColumnsConvertLikeC() {
        assertEquals("42", SltRenderer.render(42, 'I'));
        assertEquals("-9000000000", SltRenderer.render(-9_000_000_000L, 'I'));
        assertEquals("7", SltRenderer.render((short) 7, 'I'));
        assertEquals("123456789012345678901234567890",
                SltRenderer.render(new BigInteger("123456789012345678901234567890"), 'I'));
        assertEquals("2", SltRenderer.render(2.99, 'I'), "truncated, not rounded");
        assertEquals("-2", SltRenderer.render(-2.99, 'I'), "toward zero, not down");
        assertEquals("-7", SltRenderer.render(new BigDecimal("-7.9"), 'I'));
        assertEquals("3", SltRenderer.render(3.5f, 'I'));
        assertEquals("1", SltRenderer.render(true, 'I'));
        assertEquals("0", SltRenderer.render(false, 'I'));
    }

    @Test
    void integerColumnsReadTextLikeAtoi() {
        assertEquals("42", SltRenderer.render("  42abc", 'I'));
        assertEquals("-5", SltRenderer.render("-5", 'I'));
        assertEquals("12", SltRenderer.render("12.9", 'I'));
        assertEquals("0", SltRenderer.render("abc", 'I'));
        assertEquals("0", SltRenderer.render("", 'I'));
        assertEquals("2024", SltRenderer.render(LocalDate.of(2024, 3, 1), 'I'));
        assertEquals("17", SltRenderer.render("17".getBytes(StandardCharsets.US_ASCII), 'I'));
    }

    @Test
    void realColumnsHaveThreeDecimals() {
        assertEquals("1.000", SltRenderer.render(1, 'R'));
        assertEquals("2.500", SltRenderer.render(2.5, 'R'));
        assertEquals("1.235", SltRenderer.render(new BigDecimal("1.23456"), 'R'));
        assertEquals("-0.000", SltRenderer.render(-0.0004, 'R'), "as C's printf prints it");
        assertEquals("3.142", SltRenderer.render(" 3.14159xyz", 'R'), "atof on text");
        assertEquals("0.000", SltRenderer.render("xyz", 'R'));
        assertEquals("1.000", SltRenderer.render(true, 'R'));
    }

    @Test
    void realColumnsIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("1234.500", SltRenderer.render(1234.5, 'R'), "no decimal comma, no grouping");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void textColumnsShowEmptyAndReplaceNonPrintableBytes() {
        assertEquals("abc def", SltRenderer.render("abc def", 'T'));
        assertEquals("(empty)", SltRenderer.render("", 'T'));
        assertEquals("tab@here", SltRenderer.render("tab\there", 'T'));
        assertEquals("h@@llo", SltRenderer.render("h\u00e9llo", 'T'), "one @ per UTF-8 byte");
        assertEquals("A@@", SltRenderer.render(new byte[] {65, 0, -1}, 'T'));
        assertEquals("~ @", SltRenderer.render("~ \u007f", 'T'), "0x7F (DEL) is not printable");
    }

    @Test
    void textColumnsPrintNumbersAsTheReferenceEnginesDo() {
        assertEquals("5", SltRenderer.render(5, 'T'));
        assertEquals("1.0", SltRenderer.render(1.0, 'T'));
        assertEquals("0.3", SltRenderer.render(0.1 + 0.2, 'T'), "15 significant digits");
        assertEquals("1.0e+20", SltRenderer.render(1e20, 'T'));
        assertEquals("12.50", SltRenderer.render(new BigDecimal("12.50"), 'T'));
        assertEquals("1", SltRenderer.render(true, 'T'));
        assertEquals("2024-03-01", SltRenderer.render(LocalDate.of(2024, 3, 1), 'T'));
    }

    @Test
    void rowsAreRenderedRowMajorAndMustMatchTheTypes() {
        List<Object[]> rows = List.of(new Object[] {1, "x"}, new Object[] {2.9, null});
        assertEquals(List.of("1", "x", "2", "NULL"), SltRenderer.renderRows(rows, "IT"));
        assertThrows(IllegalArgumentException.class, () -> SltRenderer.renderRows(rows, "ITT"));
    }
}
