package io.phantomdb.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Goal: {@link Values#keyOf} is a correct hash key for {@link Values#sqlEquals} across all numeric classes (equal
 * keys exactly for equal values, so a hash join or GROUP BY never splits or merges wrongly), and
 * {@link Values#compare} is a total order consistent with it. Method: jqwik draws numbers of every SQL numeric
 * class from small, colliding ranges (1 = 1.0 = 1.00, 0.5 as REAL and DECIMAL, NaN, infinities, -0.0, 2^53+1).
 */
class ValuesPropertiesTest {

    @Provide
    Arbitrary<Number> numbers() {
        Arbitrary<Number> shorts = Arbitraries.shorts().between((short) -3, (short) 3).map(s -> s);
        Arbitrary<Number> ints = Arbitraries.integers().between(-3, 3).map(i -> i);
        Arbitrary<Number> longs = Arbitraries.of(-3L, 0L, 2L, 9007199254740992L, 9007199254740993L, Long.MAX_VALUE,
                Long.MIN_VALUE);
        Arbitrary<Number> doubles = Arbitraries.of(-0.0, 0.0, 0.5, 2.0, -3.0, 0.1, 9007199254740992.0, 0x1p63,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300);
        Arbitrary<Number> floats = Arbitraries.of(-0.0f, 0.5f, 2f, 0.1f, Float.NaN, Float.NEGATIVE_INFINITY);
        Arbitrary<Number> decimals = Arbitraries.integers().between(-30, 30)
                .flatMap(unscaled -> Arbitraries.integers().between(0, 3).map(scale -> new BigDecimal(
                        java.math.BigInteger.valueOf(unscaled), scale)));
        Arbitrary<Number> bigDecimals = Arbitraries.of(new BigDecimal("9223372036854775807.0"),
                new BigDecimal("9223372036854775808"), new BigDecimal("0.1"), new BigDecimal("1E+1"));
        return Arbitraries.oneOf(shorts, ints, longs, doubles, floats, decimals, bigDecimals);
    }

    @Property(tries = 2000)
    void keysAreEqualExactlyWhenValuesAreSqlEqual(@ForAll("numbers") Number a, @ForAll("numbers") Number b) {
        boolean equal = Values.sqlEquals(a, b);
        assertEquals(equal, Values.keyOf(a).equals(Values.keyOf(b)), a + " vs " + b);
        if (equal) {
            assertEquals(Values.keyOf(a).hashCode(), Values.keyOf(b).hashCode());
        }
        assertEquals(equal, Values.compare(a, b) == 0, a + " vs " + b);
        assertEquals(Integer.signum(Values.compare(a, b)), -Integer.signum(Values.compare(b, a)));
    }

    @Property(tries = 2000)
    void compareIsTransitive(@ForAll("numbers") Number a, @ForAll("numbers") Number b, @ForAll("numbers") Number c) {
        if (Values.compare(a, b) <= 0 && Values.compare(b, c) <= 0) {
            assertTrue(Values.compare(a, c) <= 0, a + " <= " + b + " <= " + c);
        }
    }
}
